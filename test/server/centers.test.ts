// Two centers and three tokens (center A's device, center B's device, an administrator) against every REST route
// and sync endpoint, on both databases: each device token sees and changes only its own center's records.
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationId } from '../../shared/contract';
import { profileUuidFor, randomId } from '../../shared/ids';
import { messages } from '../../shared/messages';
import { OUT_OF_SCOPE, syncPath, type ChangeBatch, type PushResult, type SyncCheckpoint } from '../../shared/sync-protocol';
import { buildApp } from '../../server/app';
import { createCenter, readAudit } from '../../server/centers';
import { createToken } from '../../server/tokens';
import { uniqueEmail } from '../contract/cases';
import { backends } from '../support/backends';
import { httpHost, jsonFile, restRequest } from '../support/hosts';

type Host = Awaited<ReturnType<typeof httpHost>>;
type Answer = { status: number; body: { success: boolean; message: string; data: unknown } };

for (const backend of backends) {
  describe(`centers and scoped tokens on ${backend.name}`, { timeout: 120_000 }, () => {
    let host: Host;
    let centerA: string;
    let centerB: string;
    const tokens = { a: '', b: '', admin: '' };

    const as = (token: string) => async (id: OperationId, ...args: unknown[]): Promise<Answer> => {
      const request = restRequest(host.baseUrl, id, args);
      const response = await fetch(request.url, {
        method: request.method,
        headers: { authorization: `Bearer ${token}`, ...(typeof request.body === 'string' ? { 'content-type': 'application/json' } : {}) },
        body: request.body,
      });
      return { status: response.status, body: (await response.json()) as Answer['body'] };
    };
    const sync = (token: string) => ({
      pullAll: async (collection: 'learners' | 'learner_profiles' | 'conflicts', from: SyncCheckpoint = { seq: 0 }) => {
        const documents: Record<string, unknown>[] = [];
        let checkpoint = from;
        for (;;) {
          const query = new URLSearchParams({ checkpoint: String(checkpoint.seq), xid: String(checkpoint.xid ?? 0), limit: '100' });
          const response = await fetch(`${host.baseUrl}${syncPath(collection, 'pull')}?${query}`, { headers: { authorization: `Bearer ${token}` } });
          expect(response.status).toBe(200);
          const page = (await response.json()) as ChangeBatch;
          documents.push(...page.documents);
          if (page.documents.length === 0) return { documents, checkpoint };
          checkpoint = page.checkpoint;
        }
      },
      push: async (collection: string, rows: unknown[]) => {
        const response = await fetch(`${host.baseUrl}${syncPath(collection as 'learners', 'push')}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(rows),
        });
        return { status: response.status, body: (await response.json()) as PushResult };
      },
      whoami: async () => (await fetch(`${host.baseUrl}/sync/v1/whoami`, { headers: { authorization: `Bearer ${token}` } })).json(),
    });
    const learnerOf = async (token: string, extra: Record<string, unknown> = {}) => {
      const created = await as(token)('learner.create', { first_name: 'Scoped', last_name: 'Learner', email_address: uniqueEmail(), ...extra });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      return created.body.data as { uuid: string; center_id: string; email_address: string };
    };

    beforeAll(async () => {
      host = await httpHost(await backend.open());
      tokens.admin = host.token;
      centerA = (await host.db.query<{ id: string }>(`SELECT id FROM centers WHERE name = 'default'`))[0]!.id;
      centerB = await createCenter(host.db, 'Center B');
      tokens.a = await createToken(host.db, `a-${randomId()}`, { centers: [centerA] });
      tokens.b = await createToken(host.db, `b-${randomId()}`, { centers: [centerB] });
      await host.app.tokens.refresh();
    });
    afterAll(() => host?.close());

    it('tells each token who it is and which centers it serves', async () => {
      expect(await sync(tokens.a).whoami()).toMatchObject({ admin: false, centers: [{ id: centerA, name: 'default' }] });
      expect(await sync(tokens.b).whoami()).toMatchObject({ admin: false, centers: [{ id: centerB, name: 'Center B' }] });
      const admin = (await sync(tokens.admin).whoami()) as { admin: boolean; centers: { id: string }[] };
      expect(admin.admin).toBe(true);
      expect(admin.centers.map((c) => c.id).sort()).toEqual([centerA, centerB].sort());
    });

    it("places a device's new learners in its center; an administrator of several must name one", async () => {
      expect((await learnerOf(tokens.a)).center_id).toBe(centerA);
      expect((await learnerOf(tokens.b)).center_id).toBe(centerB);
      const unnamed = await as(tokens.admin)('learner.create', { first_name: 'No', last_name: 'Center', email_address: uniqueEmail() });
      expect(unnamed.status).toBe(422);
      expect(unnamed.body.data).toEqual([expect.objectContaining({ loc: ['body', 'center_id'], msg: messages.fieldRequired })]);
      expect((await learnerOf(tokens.admin, { center_id: centerB })).center_id).toBe(centerB);
      // A device naming a center that is not its own is refused.
      const elsewhere = await as(tokens.a)('learner.create', { first_name: 'X', last_name: 'Y', email_address: uniqueEmail(), center_id: centerB });
      expect(elsewhere.status).toBe(422);
    });

    it("answers every route about another center's learner exactly as if it did not exist", async () => {
      const mine = await learnerOf(tokens.a);
      await as(tokens.a)('learnerProfile.create', mine.uuid, { personal_goals: 'A goal of center A' });
      const ghost = randomId();
      const b = as(tokens.b);
      const profile = profileUuidFor(mine.uuid);
      const calls: [OperationId, (id: string) => unknown[]][] = [
        ['learner.get', (id) => [id]],
        ['learner.update', (id) => [id, { city: 'Elsewhere' }]],
        ['learner.delete', (id) => [id]],
        ['learnerProfile.create', (id) => [id, { personal_goals: 'x' }]],
        ['learnerProfile.get', (id) => [id, profileUuidFor(id)]],
        ['learnerProfile.update', (id) => [id, profileUuidFor(id), { personal_goals: 'x' }]],
        ['learnerProfile.getByLearner', (id) => [id]],
        ['learnerProfile.updateByLearner', (id) => [id, { personal_goals: 'x' }]],
        ['learnerProfile.delete', (id) => [id]],
      ];
      for (const [id, args] of calls) {
        const other = await b(id, ...args(mine.uuid));
        const none = await b(id, ...args(ghost));
        expect(other.status, id).toBe(404);
        // The same answer as for an id that names nothing, the id aside.
        expect(JSON.stringify(other.body).replaceAll(mine.uuid, '?').replaceAll(profile, '?'), id).toBe(
          JSON.stringify(none.body).replaceAll(ghost, '?').replaceAll(profileUuidFor(ghost), '?'),
        );
      }
      // Nothing of it changed.
      const still = await as(tokens.a)('learner.get', mine.uuid);
      expect(still.status).toBe(200);
      expect((still.body.data as { city?: string }).city ?? null).not.toBe('Elsewhere');
      expect((await as(tokens.a)('learnerProfile.getByLearner', mine.uuid)).status).toBe(200);
    });

    it("lists, searches and exports only the token's centers", async () => {
      const a = await learnerOf(tokens.a, { first_name: 'Findme' });
      const b = await learnerOf(tokens.b, { first_name: 'Findme' });
      const idsOf = (answer: Answer) => (answer.body.data as { records: { uuid: string }[] }).records.map((r) => r.uuid);
      const listB = idsOf(await as(tokens.b)('learner.list', { limit: 100 }));
      expect(listB).toContain(b.uuid);
      expect(listB).not.toContain(a.uuid);
      const byEmail = await as(tokens.b)('learner.search', { email_address: a.email_address });
      expect(byEmail.status).toBe(200);
      expect(JSON.stringify(byEmail.body)).not.toContain(a.uuid);
      const byName = await as(tokens.b)('learner.search', { first_name: 'Findme' });
      expect(JSON.stringify(byName.body)).toContain(b.uuid);
      expect(JSON.stringify(byName.body)).not.toContain(a.uuid);
      const admin = idsOf(await as(tokens.admin)('learner.list', { limit: 100 }));
      expect(admin).toEqual(expect.arrayContaining([a.uuid, b.uuid]));
      const profilesB = (await as(tokens.b)('learnerProfile.list', { limit: 100 })).body.data as { records: { learner_id: string }[] };
      expect(profilesB.records.every((p) => p.learner_id !== a.uuid)).toBe(true);
    });

    it('keeps one email per server across centers, and the refusal names no center', async () => {
      const a = await learnerOf(tokens.a);
      const again = await as(tokens.b)('learner.create', { first_name: 'Same', last_name: 'Email', email_address: a.email_address });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe(messages.learner.duplicateEmail(a.email_address));
      expect(again.body.message).not.toContain('default');
    });

    it('imports only into the importing token’s center, and refuses records of another', async () => {
      const b = as(tokens.b);
      const response = await fetch(`${host.baseUrl}/learner-profile-service/api/v1/learner/import/json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.b}` },
        body: jsonFile('json_file', [{ first_name: 'Imp', last_name: 'Orted', email_address: uniqueEmail() }]),
      });
      expect(response.status).toBe(200);
      const imported = ((await response.json()) as { data: string[] }).data;
      expect(((await b('learner.get', imported[0]!)).body.data as { center_id: string }).center_id).toBe(centerB);
      const refused = await fetch(`${host.baseUrl}/learner-profile-service/api/v1/learner/import/json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.b}` },
        body: jsonFile('json_file', [{ first_name: 'Imp', last_name: 'Orted', email_address: uniqueEmail(), center_id: centerA }]),
      });
      expect(refused.status).toBe(422);
      expect(JSON.stringify(await refused.json())).toContain('"loc":["body",0,"center_id"]');
    });

    it('leaves the catalog and moves between centers to administrators: 403 for a device token', async () => {
      const achievement = { type: 'competency', name: `Catalog ${randomId()}` };
      const refused = await as(tokens.b)('achievement.create', achievement);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toBe(messages.notAllowed);
      const created = await as(tokens.admin)('achievement.create', achievement);
      expect(created.status).toBe(200);
      const id = (created.body.data as { uuid: string }).uuid;
      expect((await as(tokens.b)('achievement.update', id, { name: 'Renamed' })).status).toBe(403);
      expect((await as(tokens.b)('achievement.delete', id)).status).toBe(403);
      expect((await as(tokens.b)('achievement.get', id)).status).toBe(200);

      const learner = await learnerOf(tokens.a);
      const move = await as(tokens.a)('learner.update', learner.uuid, { center_id: centerB });
      expect(move.status).toBe(403);
      expect(move.body.message).toBe(messages.notAllowed);
    });

    it("moves a learner: the old center's pull purges it, the new center's pull brings it, with its profile", async () => {
      const learner = await learnerOf(tokens.a);
      await as(tokens.a)('learnerProfile.create', learner.uuid, { personal_goals: 'Moving on' });
      const beforeA = await sync(tokens.a).pullAll('learners');
      const beforeB = await sync(tokens.b).pullAll('learners');
      const beforeProfilesA = await sync(tokens.a).pullAll('learner_profiles');
      expect(beforeA.documents.map((d) => d.uuid)).toContain(learner.uuid);
      expect(beforeB.documents.map((d) => d.uuid)).not.toContain(learner.uuid);

      const moved = await as(tokens.admin)('learner.update', learner.uuid, { center_id: centerB });
      expect(moved.status).toBe(200);
      expect((await as(tokens.a)('learner.get', learner.uuid)).status).toBe(404);
      expect((await as(tokens.b)('learner.get', learner.uuid)).status).toBe(200);
      expect((await as(tokens.b)('learnerProfile.getByLearner', learner.uuid)).status).toBe(200);

      const afterA = await sync(tokens.a).pullAll('learners', beforeA.checkpoint);
      expect(afterA.documents).toContainEqual({ uuid: learner.uuid, _deleted: true });
      const profilesA = await sync(tokens.a).pullAll('learner_profiles', beforeProfilesA.checkpoint);
      expect(profilesA.documents).toContainEqual({ uuid: profileUuidFor(learner.uuid), _deleted: true });
      const afterB = await sync(tokens.b).pullAll('learners', beforeB.checkpoint);
      expect(afterB.documents).toContainEqual(expect.objectContaining({ uuid: learner.uuid, center_id: centerB, _deleted: false }));
      // B's whole history holds nothing of center A.
      const everythingB = await sync(tokens.b).pullAll('learners');
      expect(everythingB.documents.every((d) => d._deleted === true || d.center_id === centerB)).toBe(true);
    });

    it("refuses a device's push of another center's record with a plain reason, and signs what it stores", async () => {
      const learner = await learnerOf(tokens.a);
      const [doc] = (await sync(tokens.a).pullAll('learners')).documents.filter((d) => d.uuid === learner.uuid);
      const changed = { ...doc, city: 'Pushed by B' };
      const pushed = await sync(tokens.b).push('learners', [{ assumedMasterState: doc, newDocumentState: changed }]);
      expect(pushed.status).toBe(200);
      expect(pushed.body.rejected).toEqual([{ id: learner.uuid, reason: OUT_OF_SCOPE }]);
      expect(pushed.body.conflicts).toEqual([]);
      expect(((await as(tokens.a)('learner.get', learner.uuid)).body.data as { city?: string }).city ?? null).not.toBe('Pushed by B');

      // What the server stores carries the writing token's name, whatever the client claimed.
      const aName = ((await sync(tokens.a).whoami()) as { name: string }).name;
      expect(doc!.modified_by).toBe(aName);
      const forged = { ...doc, modified_by: 'someone-else', sync: doc!.sync };
      await sync(tokens.a).push('learners', [{ assumedMasterState: doc, newDocumentState: forged }]);
      const stored = (await sync(tokens.a).pullAll('learners')).documents.find((d) => d.uuid === learner.uuid);
      expect(stored?.modified_by).toBe(aName);

      // The audit log names the token and the operation, never a value.
      const entries = await readAudit(host.db, learner.uuid);
      expect(entries.map((e) => [e.token, e.operation])).toContainEqual([aName, 'learner.create']);
      expect(JSON.stringify(entries)).not.toContain(learner.email_address);
    });

    it('refuses input nested 100,000 deep with 422 on REST, sync and import alike', async () => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      const body = `{"first_name":"D","last_name":"D","email_address":"deep@example.org","extra":${deep}}`;
      for (const [method, path] of [
        ['POST', '/learner-profile-service/api/v1/learner'],
        ['PUT', `/learner-profile-service/api/v1/learner/${randomId()}`],
        ['POST', syncPath('learners', 'push')],
      ] as const) {
        const response = await fetch(`${host.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${tokens.a}`, 'content-type': 'application/json' },
          body: method === 'POST' && path.includes('sync') ? `[${deep}]` : body,
        });
        expect(response.status, path).toBe(422);
        expect(await response.json(), path).toMatchObject({ success: false, data: [{ type: 'value_error.depth' }] });
      }
      const form = new FormData();
      form.append('json_file', new Blob([`[${deep}]`], { type: 'application/json' }), 'deep.json');
      const upload = await fetch(`${host.baseUrl}/learner-profile-service/api/v1/learner/import/json`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.a}` },
        body: form,
      });
      expect(upload.status).toBe(422);
      // The server is fine afterwards.
      expect((await as(tokens.a)('learner.list', {})).status).toBe(200);
    });
  });
}

/** A server on a fresh embedded database with these options, and one token made on it. */
async function serverWith(options: Omit<Parameters<typeof buildApp>[0], 'db'>, tokenName: string) {
  const db = await backends[0]!.open();
  const app = await buildApp({ db, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const token = await createToken(db, tokenName);
  await app.tokens.refresh();
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    token,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

describe('abuse and exposure', { timeout: 60_000 }, () => {
  it('refuses an address that keeps sending bad tokens with 429, while valid tokens go on', async () => {
    const { base, token: good, close } = await serverWith({ limits: { authFailuresPerMinute: 5, requestsPerMinutePerToken: 6_000 } }, 'good');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const response = await fetch(`${base}/learner-profile-service/api/v1/learners`, { headers: { authorization: `Bearer lpt_wrong${i}` } });
        statuses.push(response.status);
        const body = (await response.json()) as { success: boolean };
        expect(body.success).toBe(false);
      }
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual(Array(7).fill(429));
      const valid = await fetch(`${base}/learner-profile-service/api/v1/learners`, { headers: { authorization: `Bearer ${good}` } });
      expect(valid.status).toBe(200);
    } finally {
      await close();
    }
  });

  it('holds a token to its request rate with 429 in the envelope', async () => {
    const { base, token, close } = await serverWith({ limits: { authFailuresPerMinute: 20, requestsPerMinutePerToken: 10 } }, 'busy');
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) statuses.push((await fetch(`${base}/learner-profile-service/api/v1/learners`, { headers: { authorization: `Bearer ${token}` } })).status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      const refused = await fetch(`${base}/learner-profile-service/api/v1/learners`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ success: false, data: null });
    } finally {
      await close();
    }
  });

  it('closes a request whose body does not arrive in time, and holds a token to 8 open streams', async () => {
    const { port, token, close } = await serverWith({ requestTimeoutMs: 1_000 }, 'streamer');
    const controllers: AbortController[] = [];
    try {
      // Headers promising a body that never comes: the server gives up on it, whatever the client does.
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += String(chunk)));
      socket.write(`POST /learner-profile-service/api/v1/learner HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
      await new Promise((resolve) => socket.once('close', resolve));
      expect(answer).toMatch(/^HTTP\/1\.1 408/);

      const open = async () => {
        const controller = new AbortController();
        controllers.push(controller);
        return fetch(`http://127.0.0.1:${port}/sync/v1/learners/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      };
      for (let i = 0; i < 8; i++) expect((await open()).status).toBe(200);
      const ninth = await open();
      expect(ninth.status).toBe(429);
      expect(await ninth.json()).toMatchObject({ success: false, message: 'Too many open streams for this token (8 at most)' });
    } finally {
      for (const controller of controllers) controller.abort();
      await close();
    }
  });

  it('logs no query string, body, token or email: a search by email leaves only the route pattern', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { base, token, close } = await serverWith({ logger: { level: 'trace', stream } }, 'logged');
    try {
      const email = 'private.person@example.org';
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      await fetch(`${base}/learner-profile-service/api/v1/learner`, { method: 'POST', headers, body: JSON.stringify({ first_name: 'Priv', last_name: 'Ate', email_address: email }) });
      await fetch(`${base}/learner-profile-service/api/v1/learner/search?email_address=${encodeURIComponent(email)}`, { headers });
      await fetch(`${base}/learner-profile-service/api/v1/learners?search=Priv`, { headers: { authorization: 'Bearer lpt_bad' } });
      const log = lines.join('');
      expect(log).toContain('/learner/search');
      expect(log).not.toContain(email);
      expect(log).not.toContain(encodeURIComponent(email));
      expect(log).not.toContain('Priv');
      expect(log).not.toContain(token);
      expect(log).not.toContain('lpt_bad');
    } finally {
      await close();
    }
  });
});
