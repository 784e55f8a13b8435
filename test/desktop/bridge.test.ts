// The browser preview's bridge: its own boundary rules, the change feed, and fuzzed arguments for every operation.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOperationIds } from '../../shared/contract';
import { bridgeHost } from '../support/bridge-host';
import { uniqueEmail } from '../contract/cases';

describe('browser bridge', () => {
  let host: Awaited<ReturnType<typeof bridgeHost>>;
  beforeAll(async () => {
    host = await bridgeHost();
  });
  afterAll(() => host?.close());

  it('answers {status, body} for a call, with the HTTP status alike', async () => {
    const result = await host.post('learner.create', JSON.stringify([{ first_name: 'B', last_name: 'R', email_address: uniqueEmail() }]));
    expect(result.status).toBe(200);
    expect(result.httpStatus).toBe(200);
    expect(result.body.message).toBe('Successfully created the learner');
  });

  it('answers 422 at the body for an argument list that is not JSON or not an array', async () => {
    for (const body of ['{bad', '{"a":1}', '"x"', '42', 'null']) {
      const result = await host.post('learner.list', body);
      expect(result.status, body).toBe(422);
      expect((result.body.data as { loc: unknown[] }[])[0]!.loc).toEqual(['body']);
    }
    const wrongType = await host.post('learner.get', '[42]');
    expect(wrongType.status).toBe(422);
    expect((wrongType.body.data as { loc: unknown[] }[])[0]!.loc).toEqual(['path', 'uuid']);
  });

  it('answers 404 for an unknown operation and refuses server-only ones', async () => {
    expect((await host.post('learner.drop', '[]')).status).toBe(404);
    expect((await host.post('achievement.create', '[{"type":"level","name":"x"}]')).status).toBe(404);
    expect((await host.post('__proto__', '[]')).status).toBe(404);
  });

  it('refuses requests from other sites', async () => {
    expect((await host.post('learner.list', '[]', { origin: 'http://evil.example' })).httpStatus).toBe(403);
    const form = await fetch(`${host.baseUrl}/api/learner.list`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie: host.cookie }, body: '[]' });
    expect(form.status).toBe(415);
    // A DNS-rebound page reaches this port under its own host name.
    const rebound = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${host.baseUrl}/api/learner.list`, { method: 'POST', headers: { 'content-type': 'application/json', host: 'evil.example', cookie: host.cookie } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end('[]');
    });
    expect(rebound).toBe(403);
  });

  it('pushes change events to subscribers', async () => {
    const controller = new AbortController();
    const response = await fetch(`${host.baseUrl}/api/events`, { headers: { accept: 'text/event-stream', cookie: host.cookie }, signal: controller.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let text = '';
    const read = async (until: string) => {
      while (!text.includes(until)) {
        const { value, done } = await reader.read();
        // A stream that ends (or was refused) must fail the test, not spin.
        if (done) throw new Error(`the event stream ended before ${until}: ${text}`);
        text += new TextDecoder().decode(value);
      }
    };
    await read('event: ready');
    const created = await host.call('learner.create', { first_name: 'E', last_name: 'V', email_address: uniqueEmail() });
    const uuid = (created.body.data as { uuid: string }).uuid;
    await read(uuid);
    expect(text).toContain('"collection":"learners"');
    controller.abort();
  });

  it('browses learners by text with totals and offsets', async () => {
    const tag = `Quux${Date.now()}`;
    for (let i = 0; i < 5; i++) await host.call('learner.create', { first_name: `${tag}${i}`, last_name: 'Ümlaut', email_address: uniqueEmail() });
    const page = await host.call('learner.browse', { text: tag.toLowerCase(), sort_by: 'first_name', sort_order: 'ascending', offset: 1, limit: 2 });
    const data = page.body.data as { total_count: number; records: { first_name: string }[] };
    expect(data.total_count).toBe(5);
    expect(data.records.map((l) => l.first_name)).toEqual([`${tag}1`, `${tag}2`]);
    const accentless = await host.call('learner.browse', { text: `${tag} umlaut` });
    expect((accentless.body.data as { total_count: number }).total_count).toBe(5);
    expect((await host.call('learner.browse', { limit: 501 })).status).toBe(422);
  });

  it('never crashes or answers 500 for arbitrary arguments to any operation', async () => {
    const ids = apiOperationIds.filter((id) => id !== 'kiosk.unlock' && id !== 'sync.now');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ids), fc.oneof(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.jsonValue()), async (id, args) => {
        const t0 = Date.now(); process.stderr.write(`> ${id} ${JSON.stringify(args).slice(0,200)}\n`); const result = await host.post(id, JSON.stringify(args)); process.stderr.write(`< ${result.status} ${Date.now()-t0}ms\n`);
        expect(result.status, `${id} ${JSON.stringify(args)}`).not.toBe(500);
        expect(typeof result.body.success).toBe('boolean');
        expect(typeof result.body.message).toBe('string');
      }),
      { numRuns: 400 },
    );
  });
});
