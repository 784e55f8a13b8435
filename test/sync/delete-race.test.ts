// Deletes racing edits on one synced device: "update, then delete at once" must end deleted everywhere, on the
// device and on the server, however the pushes of the two changes interleave.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openPglite, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';
import { createPostgresRepository } from '../../server/repository';
import { createToken } from '../../server/tokens';
import type { Repository } from '../../shared/repository';
import { silentLog } from '../../electron/log';
import { memoryBox } from '../../electron/secrets';
import { startServices, type Services } from '../../electron/services';

describe('delete right after an update, on a synced device', { timeout: 180_000 }, () => {
  let db: Database;
  let serverRepo: Repository;
  let client: Services;
  let close: () => Promise<void>;
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-delete-race-'));

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    const app = await buildApp({ db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    serverRepo = createPostgresRepository(db);
    client = await startServices({
      dataDir,
      secrets: memoryBox(),
      log: silentLog,
      version: 'test',
      initialSync: { serverUrl: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, token: await createToken(db, 'race') },
      backoff: { first: 50, max: 200 },
    });
    close = async () => {
      await client.close();
      app.server.closeAllConnections();
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(() => close?.());

  it('keeps every delete, on the device and the server, over many tries', async () => {
    const call = (id: string, ...args: unknown[]) => client.api.handle(id, args);
    const lost: string[] = [];
    for (let round = 0; round < 12; round++) {
      const created = await call('learner.create', { first_name: `Race${round}`, last_name: 'Delete', email_address: `race.${round}.${Date.now()}@example.org` });
      const uuid = (created.body.data as { uuid: string }).uuid;
      if (round % 2 === 0) await call('learnerProfile.create', uuid, { learning_goals: ['Teamwork'] });
      await client.sync.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The edit's push is under way when the delete lands, as a counselor who edits then deletes would do.
      console.log('--- round', round);
      expect((await call('learner.update', uuid, { city: `City ${round}` })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, round % 4) );
      expect((await call('learner.delete', uuid)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      console.log('AFTER', round, (await client.local.db.learners.findOne(uuid).exec())?.is_deleted);
      await client.sync.now();
      await client.sync.now();
      const local = (await client.local.db.learners.findOne(uuid).exec())?.toJSON();
      const remote = await serverRepo.getLearner(uuid);
      if (!local?.is_deleted || !remote?.is_deleted) lost.push(`round ${round}: device ${String(local?.is_deleted)}, server ${String(remote?.is_deleted)}`);
    }
    expect(lost).toEqual([]);
    expect(client.sync.status()).toMatchObject({ pending: 0, conflicts: 0 });
  });
});
