// What a counselor sees of sync: record badges, a change the server refuses (kept, flagged, with its reason), a
// profile sent before its learner (sent again once the learner is there), and a revoked token (sync stops, data stays).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openPglite, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';
import { createPostgresRepository } from '../../server/repository';
import { createToken, revokeToken } from '../../server/tokens';
import { invoke } from '../../shared/operations';
import type { Repository } from '../../shared/repository';
import { silentLog } from '../../electron/log';
import { memoryBox } from '../../electron/secrets';
import { startServices, type Services } from '../../electron/services';
import { TEST_DATA_KEY } from '../support/data-key';

describe('sync outcomes on one device', { timeout: 120_000 }, () => {
  let db: Database;
  let serverRepo: Repository;
  let client: Services;
  let close: () => Promise<void>;
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-outcomes-'));
  const create = async (email: string) =>
    ((await client.api.handle('learner.create', [{ first_name: 'Out', last_name: 'Come', email_address: email }])).body.data as { uuid: string }).uuid;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    const app = await buildApp({ db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    serverRepo = createPostgresRepository(db);
    const token = await createToken(db, 'outcomes');
    await app.tokens.refresh();
    client = await startServices({
      dataDir,
      dataKey: TEST_DATA_KEY,
      secrets: memoryBox(),
      log: silentLog,
      version: 'test',
      initialSync: { serverUrl: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, token },
      backoff: { first: 50, max: 200 },
    });
    close = async () => {
      await client.close();
      // The client's requests shared this process's connection pool: do not wait for its idle sockets.
      app.server.closeAllConnections();
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(() => close?.());

  it('shows a record pending until the server has it, then synced', async () => {
    const uuid = await create('badge@example.org');
    expect((await client.api.handle('learner.syncStates', [[uuid]])).body.data).toEqual({ [uuid]: 'pending' });
    const status = await client.sync.now();
    expect(status).toMatchObject({ state: 'idle', pending: 0 });
    expect((await client.api.handle('learner.syncStates', [[uuid]])).body.data).toEqual({ [uuid]: 'synced' });
    expect((await serverRepo.getLearner(uuid))?.email_address).toBe('badge@example.org');
  });

  it('keeps a change the server refuses, flagged with the reason', async () => {
    await invoke(serverRepo, 'learner.create', [{ first_name: 'Already', last_name: 'There', email_address: 'taken@example.org' }]);
    const uuid = await create('taken@example.org');
    const status = await client.sync.now();
    expect(status.rejected).toBe(1);
    expect((await client.api.handle('learner.syncStates', [[uuid]])).body.data).toEqual({ [uuid]: 'rejected' });
    const rejected = await client.local.db.sync_outbox.findOne(`learners:${uuid}`).exec();
    expect(rejected?.reason).toBe('Learner with the given email address taken@example.org already exists');
    expect((await client.api.handle('learner.get', [uuid])).status).toBe(200);
    // Fixing the email here sends it again, and the server takes it.
    await client.api.handle('learner.update', [uuid, { email_address: 'fixed@example.org' }]);
    expect(await client.sync.now()).toMatchObject({ rejected: 0, pending: 0 });
    expect((await serverRepo.getLearner(uuid))?.email_address).toBe('fixed@example.org');
  });

  it('sends a profile again once the learner it needs has reached the server', async () => {
    const uuid = await create('orphan@example.org');
    await client.api.handle('learnerProfile.create', [uuid, { personal_goals: 'Arrives second' }]);
    await client.sync.now();
    await expect.poll(async () => (await client.sync.now()).pending, { timeout: 30_000 }).toBe(0);
    expect(client.sync.status().rejected).toBe(0);
    expect((await invoke(serverRepo, 'learnerProfile.getByLearner', [uuid])).body.data).toMatchObject({ personal_goals: 'Arrives second' });
  });

  it('stops when the token is revoked, says so, and keeps every local record', async () => {
    const before = ((await client.api.handle('learner.list', [{ limit: 100 }])).body.data as { total_count: number }).total_count;
    await revokeToken(db, 'outcomes');
    await client.api.handle('learner.create', [{ first_name: 'After', last_name: 'Revoke', email_address: 'after@example.org' }]);
    await expect.poll(async () => (await client.sync.now()).state, { timeout: 30_000 }).toBe('unauthorized');
    expect(client.sync.status().error).toContain('refused this device’s token');
    expect(((await client.api.handle('learner.list', [{ limit: 100 }])).body.data as { total_count: number }).total_count).toBe(before + 1);
    expect(client.sync.status().pending).toBeGreaterThan(0);
  });
});
