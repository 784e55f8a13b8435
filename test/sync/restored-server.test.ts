// A server restored from an older backup (../shared/spec/sync.md "When sync runs"): its devices notice, pull from
// the start and send what the backup lacks, instead of trusting checkpoints the restored server never issued.
// Nothing a device holds is taken back by the older copy.
import { cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/desktop';
import { serverSnapshot, startClient, startSyncServer, type Doc, type SyncClient, type SyncServer } from '../support/sync-world';

describe('a server restored from an older backup', { timeout: 300_000 }, () => {
  let server: SyncServer;
  let a: SyncClient;
  let b: SyncClient;
  let n = 0;
  const backup = join(tmpdir(), `lp-server-backup-${process.pid}`);
  const syncAll = async () => {
    for (const client of [a, b, a, b]) await client.call('sync.now');
  };
  const newLearner = async (city: string) =>
    (await a.call<Doc>('learner.create', { first_name: `Restore${n}`, last_name: 'Test', email_address: `restore.${n++}.${Date.now()}@example.org`, city })).body.data!;
  const restoreBackup = async () => {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
    cpSync(backup, server.dataDir, { recursive: true });
  };

  beforeAll(async () => {
    server = await startSyncServer({});
    [a, b] = await Promise.all([startClient('a', server), startClient('b', server)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await server?.close();
    rmSync(backup, { recursive: true, force: true });
  });

  for (const renew of [false, true]) {
    it(renew ? 'is recognised by its renewed epoch, even after it took new writes' : 'is recognised by the checkpoints it never issued', async () => {
      const before = await newLearner('Lyon');
      await syncAll();
      await server.stop();
      rmSync(backup, { recursive: true, force: true });
      cpSync(server.dataDir, backup, { recursive: true });
      await server.restart();

      // After the backup: a new learner, and an edit of one the backup has.
      const after = await newLearner('Nantes');
      await a.call('learner.update', before.uuid, { city: 'Paris' });
      await syncAll();

      await restoreBackup();
      if (renew) expect((await server.cli(['epoch', 'renew'])).code).toBe(0);
      await server.restart();
      if (renew) {
        // Writes reach the restored server before any device comes back: its seqs pass the devices' checkpoints.
        for (let i = 0; i < 3; i++) await fetch(`${server.url}/learner-profile-service/api/v1/learner`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ first_name: 'Written', last_name: 'Meanwhile', email_address: `meanwhile.${i}.${Date.now()}@example.org` }),
        });
      }
      await expect
        .poll(async () => {
          await syncAll();
          const learners = (await serverSnapshot(server)).learners;
          return [learners.find((l) => l.uuid === before.uuid)?.city, learners.some((l) => l.uuid === after.uuid)];
        }, { timeout: 90_000, interval: 1_000 })
        .toEqual(['Paris', true]);
      for (const client of [a, b]) {
        expect((await client.call<Doc>('learner.get', before.uuid)).body.data, client.name).toMatchObject({ city: 'Paris' });
        expect((await client.call('learner.get', after.uuid)).status, client.name).toBe(200);
      }
      // The last repair's resend may still be on its way when the server already holds the record: it settles.
      await expect
        .poll(async () => (await a.call<SyncStatus>('sync.now')).body.data, { timeout: 30_000, interval: 500 })
        .toMatchObject({ pending: 0, rejected: 0, mismatch: null });
      expect((await a.call<SyncStatus>('sync.status')).body.data!.repairs).toBeGreaterThan(0);
    });
  }
});
