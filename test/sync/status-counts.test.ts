// The sync status's counts of unsent and refused changes: taken after bursts of outbox writes, on a storage that may
// answer slowly; a count that answers late never replaces a newer one.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppDatabase, type AppDatabase } from '../../electron/db/database';
import { createRxRepository } from '../../electron/db/repository';
import type { Log } from '../../electron/log';
import type { SettingsService } from '../../electron/settings';
import type { ConflictLog } from '../../electron/sync/conflict-log';
import type { DeviceClock } from '../../electron/sync/device-clock';
import { createSyncEngine } from '../../electron/sync/engine';
import type { Outbox } from '../../electron/sync/outbox';

const quiet: Log = { debug() {}, info() {}, warn() {}, error() {} };

describe('sync status counts', () => {
  let db: AppDatabase | undefined;
  afterEach(async () => {
    await db?.close();
  });

  it('keeps the newest count when an older one answers after it', async () => {
    db = await createAppDatabase(getRxStorageMemory(), `status-counts-${process.pid}`);
    const answers: ((counts: { pending: number; rejected: number }) => void)[] = [];
    const outbox = { counts: () => new Promise((resolve) => answers.push(resolve)) } as unknown as Outbox;
    const conflicts = {
      unresolvedCount: async () => 0,
      resolve: async () => ({ status: 404, body: { message: 'Conflict not found' } }),
    } as unknown as ConflictLog;
    const engine = createSyncEngine({
      db,
      repo: createRxRepository(db),
      settings: { connection: async () => undefined } as unknown as SettingsService,
      outbox,
      conflicts,
      clock: { warning: () => null, node: 'test', save: async () => {} } as unknown as DeviceClock,
      replicaId: 'test',
      network: { isOnline: () => false },
      log: quiet,
    });
    // The first count (at start) is slow; a second one starts meanwhile and answers first.
    await expect.poll(() => answers.length).toBe(1);
    const second = engine.resolveConflict('none', 'mine');
    await expect.poll(() => answers.length).toBe(2);
    answers[1]!({ pending: 0, rejected: 0 });
    await second;
    expect(engine.status()).toMatchObject({ pending: 0, rejected: 0 });
    answers[0]!({ pending: 3, rejected: 1 });
    await expect.poll(() => engine.status().state).toBe('disabled');
    expect(engine.status()).toMatchObject({ pending: 0, rejected: 0 });
    await engine.close();
  });
});
