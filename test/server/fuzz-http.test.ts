// Arbitrary JSON bodies and queries over HTTP: the envelope every time, never a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE } from '../../server/app';
import { backends } from '../support/backends';
import { httpHost } from '../support/hosts';
import { uniqueEmail } from '../contract/cases';

const backend = backends.find((b) => b.name === 'pglite')!;

describe('REST under arbitrary input', () => {
  let host: Awaited<ReturnType<typeof httpHost>>;
  let learnerId: string;
  let profileId: string;
  beforeAll(async () => {
    host = await httpHost(await backend.open());
    learnerId = ((await host.call('learner.create', { first_name: 'F', last_name: 'Z', email_address: uniqueEmail() })).body.data as { uuid: string }).uuid;
    profileId = ((await host.call('learnerProfile.create', learnerId, {})).body.data as { uuid: string }).uuid;
  });
  afterAll(() => host?.close());

  it('answers every body with the envelope and an expected status', async () => {
    const routes = [
      ['POST', '/learner'],
      ['PUT', () => `/learner/${learnerId}`],
      ['POST', () => `/learner/${learnerId}/learner-profile`],
      ['PUT', () => `/learner/${learnerId}/learner-profile/${profileId}`],
      ['PUT', () => `/learner/${learnerId}/learner-profile`],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue(), async ([method, path], body) => {
        const url = `${host.baseUrl}${API_BASE}${typeof path === 'function' ? path() : path}`;
        const response = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect([200, 404, 409, 422]).toContain(response.status);
        const envelope = (await response.json()) as { success: boolean; message: string };
        expect(typeof envelope.success).toBe('boolean');
        expect(typeof envelope.message).toBe('string');
      }),
      { numRuns: 200 },
    );
  });

  it('answers every query string with the envelope and an expected status', async () => {
    const paths = ['/learners', '/learner/search', '/learner-profile', '/learner-profile/search', '/achievements'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.dictionary(fc.constantFrom('skip', 'limit', 'fetch_archive', 'sort_by', 'sort_order', 'first_name', 'email_address', 'learning_goal', 'learner_id', 'x'), fc.string()),
        async (path, query) => {
          const response = await fetch(`${host.baseUrl}${API_BASE}${path}?${new URLSearchParams(query)}`, {
            headers: { authorization: `Bearer ${host.token}` },
          });
          expect([200, 404, 422]).toContain(response.status);
        },
      ),
      { numRuns: 200 },
    );
  });
});
