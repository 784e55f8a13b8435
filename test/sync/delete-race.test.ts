// Deletes racing edits (../shared/spec/sync.md "What the tests must show"), two devices and the server, each in its
// own process: a delete right after an update on one device (the edit's push still under way when the delete lands:
// before field edit times, the server's echo of the edit came back late and undid the delete here in 8 of 8 tries);
// an update on one device while another deletes; a profile deleted and created again; a profile created on one device
// while another deletes its learner (refused by the server, or there first). On every device the end state is the
// same, and every edit is in it or in the conflict log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileUuidFor } from '../../shared/ids';
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

    // A profile never outlives its learner: created on one device while another deleted the learner, it ends
    // deleted everywhere, its values in the log once (not once per device), and nothing is left pending or refused.
    const profileGoneEverywhere = async (learner: Doc, goal: string) => {
      const profileId = profileUuidFor(learner.uuid);
      const entries = async (client: SyncClient) => (await client.conflicts()).filter((c) => c.recordId === profileId && c.field === 'personal_goals');
      for (const client of [a, b]) {
        await expect
          .poll(async () => {
            await client.call('sync.now');
            return (await client.snapshot()).profiles.some((doc) => doc.uuid === profileId);
          }, { timeout: 30_000, interval: 300 })
          .toBe(false);
      }
      await syncBoth();
      expect((await serverSnapshot(server)).profiles.some((doc) => doc.uuid === profileId)).toBe(false);
      for (const client of [a, b]) {
        await expect.poll(async () => (await entries(client)).length, { timeout: 20_000 }).toBe(1);
        expect((await entries(client))[0]).toMatchObject({ kind: 'deleted', lost: goal, resolved: false });
        await expect.poll(async () => (await client.call<{ pending: number; rejected: number }>('sync.status')).body.data, { timeout: 20_000 }).toMatchObject({ pending: 0, rejected: 0 });
      }
    };

    it('deletes a profile created offline for a learner deleted elsewhere, once the server refuses it', async () => {
      const learner = await newLearner();
      await syncBoth();
      a.proxy.setOnline(false);
      b.proxy.setOnline(false);
      expect((await b.call('learnerProfile.create', learner.uuid, { personal_goals: 'Made offline' })).status).toBe(200);
      expect((await a.call('learner.delete', learner.uuid)).status).toBe(200);
      a.proxy.setOnline(true);
      await a.call('sync.now');
      b.proxy.setOnline(true);
      await profileGoneEverywhere(learner, 'Made offline');
    });

    it('deletes a profile that reached the server before its learner’s deletion, on the deleting device', async () => {
      const learner = await newLearner();
      await syncBoth();
      a.proxy.setOnline(false);
      expect((await b.call('learnerProfile.create', learner.uuid, { personal_goals: 'Arrived first' })).status).toBe(200);
      await b.call('sync.now');
      expect((await serverSnapshot(server)).profiles.some((doc) => doc.learner_id === learner.uuid)).toBe(true);
      expect((await a.call('learner.delete', learner.uuid)).status).toBe(200);
      a.proxy.setOnline(true);
      await profileGoneEverywhere(learner, 'Arrived first');
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
