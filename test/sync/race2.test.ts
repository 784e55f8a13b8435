import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSnapshot, startClient, startSyncServer, type SyncClient, type SyncServer } from '../support/sync-world';

describe('race across processes', { timeout: 300_000 }, () => {
  let server: SyncServer;
  let a: SyncClient;
  let b: SyncClient;
  beforeAll(async () => {
    server = await startSyncServer({});
    [a, b] = await Promise.all([startClient('a', server), startClient('b', server)]);
  }, 120_000);
  afterAll(async () => {
    await a?.close(); await b?.close(); await server?.close();
  });
  it('update then delete', async () => {
    const lost: string[] = [];
    for (let round = 0; round < 8; round++) {
      const created = await a.call<{ uuid: string }>('learner.create', { first_name: `R${round}`, last_name: 'X', email_address: `r.${round}.${Date.now()}@example.org` });
      const uuid = created.body.data!.uuid;
      await a.call('sync.now'); await b.call('sync.now');
      await new Promise((r) => setTimeout(r, 300));
      const up = a.call('learner.update', uuid, { city: `C${round}` });
      await up;
      const del = await a.call('learner.delete', uuid);
      const right = await a.call('learner.get', uuid);
      await new Promise((r) => setTimeout(r, 1500));
      const later = await a.call('learner.get', uuid);
      console.log('ROUND', round, del.status, right.status, later.status, JSON.stringify((await a.call('sync.status')).body.data));
      await a.call('sync.now'); await b.call('sync.now'); await a.call('sync.now');
      const sa = await a.call<{ is_archived: boolean }>('learner.get', uuid);
      const sb = await b.call('learner.get', uuid);
      const srv = (await serverSnapshot(server)).learners.find((d) => d.uuid === uuid);
      if (sa.status !== 404 || sb.status !== 404 || srv) lost.push(`round ${round}: a ${sa.status} b ${sb.status} server ${srv ? 'live' : 'deleted'}`);
    }
    expect(lost).toEqual([]);
  });
});
