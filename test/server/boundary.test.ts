// Hostile and malformed requests: always the contract's envelope, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE } from '../../server/app';
import { createToken, revokeToken } from '../../server/tokens';
import { backends } from '../support/backends';
import { httpHost } from '../support/hosts';
import { uniqueEmail } from '../contract/cases';

for (const backend of backends) {
  describe(`REST boundary on ${backend.name}`, () => {
    let host: Awaited<ReturnType<typeof httpHost>>;
    let learnerId: string;
    beforeAll(async () => {
      host = await httpHost(await backend.open());
      const created = await host.call('learner.create', { first_name: 'A', last_name: 'B', email_address: uniqueEmail() });
      learnerId = (created.body.data as { uuid: string }).uuid;
    });
    afterAll(() => host?.close());

    const request = async (method: string, path: string, init: { body?: string; headers?: Record<string, string>; auth?: string | null } = {}) => {
      const headers: Record<string, string> = { ...init.headers };
      if (init.auth !== null) headers.authorization = init.auth ?? `Bearer ${host.token}`;
      const response = await fetch(`${host.baseUrl}${path}`, { method, headers, body: init.body });
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text) as { success: boolean; message: string; data?: unknown } };
    };
    const api = (path: string) => `${API_BASE}${path}`;

    it('answers malformed JSON with 422 at the body', async () => {
      for (const body of ['{bad', '{"a":', 'undefined', "{'a':1}", '\u0000']) {
        const result = await request('POST', api('/learner'), { body, headers: { 'content-type': 'application/json' } });
        expect(result.status, body).toBe(422);
        expect(result.body).toMatchObject({ success: false, message: 'Validation Failed' });
        expect((result.body.data as { loc: unknown[] }[])[0]!.loc).toEqual(['body']);
      }
    });

    it('answers an empty body and a body of the wrong type with 422', async () => {
      const empty = await request('POST', api('/learner'), { headers: { 'content-type': 'application/json' } });
      expect(empty.status).toBe(422);
      expect(empty.body.data).toEqual([{ loc: ['body'], msg: 'field required', type: 'value_error.missing' }]);
      for (const body of ['[]', '"text"', '42', 'null', 'true']) {
        const result = await request('POST', api(`/learner/${learnerId}/learner-profile`), { body, headers: { 'content-type': 'application/json' } });
        expect(result.status, body).toBe(422);
        expect(result.body.message).toBe('Validation Failed');
      }
    });

    it('reads JSON whatever the content type says', async () => {
      const body = JSON.stringify({ first_name: 'T', last_name: 'P', email_address: uniqueEmail() });
      expect((await request('POST', api('/learner'), { body, headers: { 'content-type': 'text/plain' } })).status).toBe(200);
      expect((await request('POST', api('/learner'), { body: '<x/>', headers: { 'content-type': 'application/xml' } })).status).toBe(422);
    });

    it('refuses prototype poisoning', async () => {
      const body = '{"first_name":"A","last_name":"B","email_address":"proto@example.com","__proto__":{"is_admin":true}}';
      const result = await request('POST', api('/learner'), { body, headers: { 'content-type': 'application/json' } });
      expect(result.status).toBe(422);
      expect(({} as Record<string, unknown>).is_admin).toBeUndefined();
    });

    it('answers a body over the limit with 413 in the envelope', async () => {
      const body = JSON.stringify({ first_name: 'A', last_name: 'B', email_address: uniqueEmail(), affiliation: 'x'.repeat(2 * 1024 * 1024) });
      const result = await request('POST', api('/learner'), { body, headers: { 'content-type': 'application/json' } });
      expect(result).toEqual({ status: 413, body: { success: false, message: 'Request body too large', data: null } });
    });

    it('answers unknown routes and methods with 404 in the envelope', async () => {
      for (const [method, path] of [['GET', api('/nope')], ['GET', '/'], ['PATCH', api('/learner/x')], ['DELETE', api('/learners')]] as const) {
        const result = await request(method, path);
        expect(result, `${method} ${path}`).toEqual({ status: 404, body: { success: false, message: 'Not Found', data: null } });
      }
    });

    it('treats hostile ids as ids that do not exist', async () => {
      for (const id of ["' OR 1=1 --", '%00', '..%2F..%2Fetc', 'x'.repeat(5000), '%F0%9F%98%80', '%ED%A0%80', '%FF', 'null']) {
        const result = await request('GET', api(`/learner/${id}`));
        expect([404, 422], id).toContain(result.status);
        expect(result.body.success).toBe(false);
        const profile = await request('PUT', api(`/learner/${id}/learner-profile/${id}`), { body: '{}', headers: { 'content-type': 'application/json' } });
        expect([404, 422], id).toContain(profile.status);
      }
      const bad = await request('GET', api('/learner/%E0%A4%A'));
      expect(bad.status).toBe(422);
    });

    it('refuses text no database can store, at its field', async () => {
      const body = JSON.stringify({ first_name: 'A\u0000B', last_name: 'B', email_address: uniqueEmail() });
      const result = await request('POST', api('/learner'), { body, headers: { 'content-type': 'application/json' } });
      expect(result.status).toBe(422);
      expect((result.body.data as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'first_name']);
      const surrogate = '{"first_name":"\\ud800","last_name":"B","email_address":"lone@example.com"}';
      const lone = await request('POST', api('/learner'), { body: surrogate, headers: { 'content-type': 'application/json' } });
      expect((lone.body.data as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 'first_name']);
      const query = await request('GET', api('/learner/search?first_name=%00'));
      expect(query.status).toBe(422);
    });

    it('needs a valid bearer token on every API route, not on /health', async () => {
      const unauthorized = { status: 401, body: { success: false, message: 'Unauthorized', data: null } };
      expect(await request('GET', api('/learners'), { auth: null })).toEqual(unauthorized);
      expect(await request('GET', api('/learners'), { auth: 'Bearer nope' })).toEqual(unauthorized);
      expect(await request('GET', api('/learners'), { auth: `Basic ${host.token}` })).toEqual(unauthorized);
      expect(await request('GET', api('/nope'), { auth: null })).toEqual(unauthorized);
      expect(await request('POST', api('/learner'), { auth: null, body: '{bad' })).toEqual(unauthorized);
      const health = await request('GET', '/health', { auth: null });
      expect(health).toEqual({ status: 200, body: { success: true, message: 'ok', data: { database: backend.name } } });
    });

    it('stops accepting a token once it is revoked', async () => {
      const token = await createToken(host.db, 'short-lived');
      await host.app.tokens.refresh();
      expect((await request('GET', api('/learners'), { auth: `Bearer ${token}` })).status).toBe(200);
      expect(await revokeToken(host.db, 'short-lived')).toBe(true);
      // Revocation reaches every server process through NOTIFY, a moment after the revoking transaction commits.
      await expect.poll(async () => (await request('GET', api('/learners'), { auth: `Bearer ${token}` })).status).toBe(401);
      const renewed = await createToken(host.db, 'short-lived');
      await host.app.tokens.refresh();
      expect((await request('GET', api('/learners'), { auth: `Bearer ${renewed}` })).status).toBe(200);
      expect((await request('GET', api('/learners'), { auth: `Bearer ${token}` })).status).toBe(401);
      await expect(createToken(host.db, 'short-lived')).rejects.toThrow(/exists already/);
    });
  });
}
