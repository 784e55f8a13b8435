// Faults between clients and the server, through proxies the test controls: a push applied but its answer lost,
// connections cut mid-pull and mid-stream, the server killed mid-push and restarted, a client killed mid-pull and
// restarted. After each: every client and the server hold the same documents and no edit is lost.
import isEqual from 'fast-deep-equal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/backends';
import { serverSnapshot, startClient, startSyncServer, type Doc, type SyncClient, type SyncServer } from '../support/sync-world';

const path = (method: string, fragment: string) => ({ matches: (m: string, p: string) => m === method && p.includes(fragment) });

async function converge(server: SyncServer, clients: SyncClient[]) {
  for (let pass = 0; pass < 8; pass++) {
    for (const client of clients) await client.call('sync.now');
    const expected = await serverSnapshot(server);
    const snapshots = await Promise.all(clients.map((client) => client.snapshot()));
    if (snapshots.every((snapshot) => isEqual(snapshot, expected))) return expected;
  }
  throw new Error('the clients and the server did not converge');
}

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`sync under faults on ${backend}`, { timeout: 300_000 }, () => {
    let server: SyncServer;
    let a: SyncClient;
    let b: SyncClient;
    let n = 0;
    const newLearner = async (client: SyncClient) =>
      (await client.call<Doc>('learner.create', { first_name: `Fault${n}`, last_name: 'Test', email_address: `fault${n++}.${Date.now()}@example.org` })).body.data!;

    beforeAll(async () => {
      server = await startSyncServer(backend === 'postgres' ? { DATABASE_URL: await freshPostgresUrl() } : {});
      [a, b] = await Promise.all([startClient('a', server), startClient('b', server)]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await server?.close();
    });

    it('applies a push whose answer was lost exactly once, with no false conflict', async () => {
      const learner = await newLearner(a);
      await a.call('learnerProfile.create', learner.uuid, {});
      await converge(server, [a, b]);
      a.proxy.addRule({ ...path('POST', '/learner_profiles/push'), fault: { kind: 'drop-response' }, times: 1 });
      await a.call('learnerProfile.updateByLearner', learner.uuid, { personal_goals: 'Sent once' });
      const state = await converge(server, [a, b]);
      expect(state.profiles.find((p) => p.learner_id === learner.uuid)?.personal_goals).toBe('Sent once');
      expect(a.proxy.applied()).toBeGreaterThanOrEqual(1);
      expect([...(await a.conflicts()), ...(await b.conflicts())]).toEqual([]);
    });

    it('recovers from connections cut mid-pull and mid-stream', async () => {
      b.proxy.addRule({ ...path('GET', '/learners/pull'), fault: { kind: 'cut-after-bytes', bytes: 120 }, times: 2 });
      b.proxy.addRule({ ...path('GET', '/learners/stream'), fault: { kind: 'cut-after-bytes', bytes: 10 }, times: 1 });
      const created = [];
      for (let i = 0; i < 12; i++) created.push(await newLearner(a));
      const state = await converge(server, [a, b]);
      for (const learner of created) expect(state.learners.some((l) => l.uuid === learner.uuid)).toBe(true);
      // The stream is back: a change from a reaches b without anyone asking.
      const last = created.at(-1)!;
      await a.call('learner.update', last.uuid, { city: 'Live again' });
      await expect.poll(async () => (await b.call<Doc>('learner.get', last.uuid)).body.data?.city, { timeout: 30_000, interval: 250 }).toBe('Live again');
    });

    it('loses nothing when the server is killed mid-push and restarted', async () => {
      const learner = await newLearner(a);
      await converge(server, [a, b]);
      a.proxy.addRule({
        ...path('POST', '/learners/push'),
        fault: {
          kind: 'during',
          action: async () => {
            await server.kill();
            setTimeout(() => void server.restart(), 1_500);
          },
        },
        times: 1,
      });
      await a.call('learner.update', learner.uuid, { city: 'Survives a crash' });
      await b.call('learner.update', learner.uuid, { preferred_name: 'Edited meanwhile' });
      await expect.poll(async () => (await fetch(`${server.url}/health`).catch(() => undefined))?.status, { timeout: 30_000, interval: 250 }).toBe(200);
      const state = await converge(server, [a, b]);
      expect(state.learners.find((l) => l.uuid === learner.uuid)).toMatchObject({ city: 'Survives a crash', preferred_name: 'Edited meanwhile' });
    });

    it('loses nothing when a client is killed mid-pull and restarted', async () => {
      const before = await newLearner(a);
      await converge(server, [a, b]);
      const during = [];
      for (let i = 0; i < 5; i++) during.push(await newLearner(a));
      await a.call('sync.now');
      b.proxy.addRule({ ...path('GET', '/learners/pull'), fault: { kind: 'before', action: () => b.kill() }, times: 1 });
      await b.call('sync.now').catch(() => undefined);
      await b.restart();
      const state = await converge(server, [a, b]);
      for (const learner of [before, ...during]) expect(state.learners.some((l) => l.uuid === learner.uuid)).toBe(true);
      const status = (await b.call<{ pending: number; state: string }>('sync.status')).body.data!;
      expect(status).toMatchObject({ pending: 0, state: 'idle' });
    });
  });
}
