// Deletes racing edits (../shared/spec/sync.md "What the tests must show"), two devices and the server, each in its
// own process: a delete right after an update on one device (the edit's push still under way when the delete lands:
// before field edit times, the server's echo of the edit came back late and undid the delete here in 8 of 8 tries);
// an update on one device while another deletes; a profile deleted and created again. On every device the end state
// is the same, and every edit is in it or in the conflict log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/backends';
import { serverSnapshot, startClient, startSyncServer, type Doc, type SyncClient, type SyncServer } from '../support/sync-world';

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`deletes racing edits on ${backend}`, { timeout: 300_000 }, () => {
    let server: SyncServer;
    let a: SyncClient;
    let b: SyncClient;
    let n = 0;
    const newLearner = async () =>
      (await a.call<Doc>('learner.create', { first_name: `Race${n}`, last_name: 'Delete', email_address: `race.${n++}.${Date.now()}@example.org` })).body.data!;
    const syncBoth = async () => {
      for (const client of [a, b, a]) await client.call('sync.now');
    };

    beforeAll(async () => {
      server = await startSyncServer(backend === 'postgres' ? { DATABASE_URL: await freshPostgresUrl() } : {});
      [a, b] = await Promise.all([startClient('a', server), startClient('b', server)]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await server?.close();
    });

    it('keeps a delete made right after an update, on both devices and the server', async () => {
      const lost: string[] = [];
      for (let round = 0; round < 8; round++) {
        const learner = await newLearner();
        await syncBoth();
        // The stream has echoed the create; now the update and, at once, the delete.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect((await a.call('learner.update', learner.uuid, { city: `City ${round}` })).status).toBe(200);
        expect((await a.call('learner.delete', learner.uuid)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await syncBoth();
        const onA = (await a.call('learner.get', learner.uuid)).status;
        const onB = (await b.call('learner.get', learner.uuid)).status;
        const onServer = (await serverSnapshot(server)).learners.some((doc) => doc.uuid === learner.uuid);
        if (onA !== 404 || onB !== 404 || onServer) lost.push(`round ${round}: a ${onA}, b ${onB}, server ${onServer ? 'live' : 'deleted'}`);
      }
      expect(lost).toEqual([]);
      for (const client of [a, b]) expect((await client.call('sync.status')).body.data).toMatchObject({ pending: 0, rejected: 0 });
    });

    it('keeps a delete against an edit made elsewhere without seeing it, and logs the edit, which restore brings back', async () => {
      const learner = await newLearner();
      await syncBoth();
      a.proxy.setOnline(false);
      b.proxy.setOnline(false);
      await a.call('learner.delete', learner.uuid);
      await b.call('learner.update', learner.uuid, { city: 'Edited offline' });
      a.proxy.setOnline(true);
      await a.call('sync.now');
      b.proxy.setOnline(true);
      await syncBoth();
      for (const client of [a, b]) expect((await client.call('learner.get', learner.uuid)).status).toBe(404);
      // The edit is in the log on both devices, named by the learner and the field.
      const entries = async (client: SyncClient) => (await client.conflicts()).filter((c) => c.recordId === learner.uuid && !c.resolved);
      await expect.poll(async () => (await entries(a)).length, { timeout: 20_000 }).toBe(1);
      const [entry] = await entries(b);
      expect(entry).toMatchObject({ kind: 'deleted', field: 'city', lost: 'Edited offline', learnerName: `${learner.first_name} Delete`, mine: 'lost' });
      expect(entry!.keptDevice).toBeTruthy();
      expect(entry!.lostDevice).toBeTruthy();
      expect(entry!.keptDevice).not.toBe(entry!.lostDevice);
      // Restored on one device: the learner is back everywhere with the edit, and the entry resolved everywhere.
      expect((await a.call('sync.resolveConflict', entry!.id, 'restore')).status).toBe(200);
      await syncBoth();
      for (const client of [a, b]) {
        expect((await client.call<Doc>('learner.get', learner.uuid)).body.data).toMatchObject({ city: 'Edited offline' });
        await expect.poll(async () => (await entries(client)).length, { timeout: 20_000 }).toBe(0);
      }
    });

    it('creates a deleted profile again under its own uuid, on every device', async () => {
      const learner = await newLearner();
      await a.call('learnerProfile.create', learner.uuid, { personal_goals: 'First' });
      await syncBoth();
      await b.call('learnerProfile.delete', learner.uuid);
      await syncBoth();
      expect((await a.call('learnerProfile.getByLearner', learner.uuid)).status).toBe(404);
      const again = await a.call<Doc>('learnerProfile.create', learner.uuid, { personal_goals: 'Second' });
      expect(again.status).toBe(200);
      await syncBoth();
      for (const client of [a, b]) {
        expect((await client.call<Doc>('learnerProfile.getByLearner', learner.uuid)).body.data).toMatchObject({ uuid: again.body.data!.uuid, personal_goals: 'Second' });
      }
    });
  });
}
