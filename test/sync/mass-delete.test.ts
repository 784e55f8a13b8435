// A pull that would delete most of this device's records is held until the user confirms; nothing is deleted first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openPglite } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';
import { createPostgresRepository } from '../../server/repository';
import { createToken } from '../../server/tokens';
import { invoke } from '../../shared/operations';
import { silentLog } from '../../electron/log';
import { memoryBox } from '../../electron/secrets';
import { startServices, type Services } from '../../electron/services';
import { TEST_DATA_KEY } from '../support/data-key';

describe('mass deletions from the server', { timeout: 120_000 }, () => {
  let client: Services;
  let close: () => Promise<void>;
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-mass-'));
  const ids: string[] = [];

  beforeAll(async () => {
    const db = await openPglite();
    await migrate(db);
    const app = await buildApp({ db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const serverUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const repo = createPostgresRepository(db);
    for (let i = 0; i < 30; i++) {
      const created = await invoke(repo, 'learner.create', [{ first_name: `M${i}`, last_name: 'D', email_address: `mass${i}@example.org` }]);
      ids.push((created.body.data as { uuid: string }).uuid);
    }
    const token = await createToken(db, 'm');
    await app.tokens.refresh();
    client = await startServices({ dataDir, dataKey: TEST_DATA_KEY, secrets: memoryBox(), log: silentLog, version: 'test', initialSync: { serverUrl, token } });
    await client.sync.now();
    // Someone deletes almost everyone on the server.
    for (const id of ids.slice(0, 28)) await invoke(repo, 'learner.delete', [id]);
    close = async () => {
      await client.close();
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(() => close?.());

  it('holds the deletions, says so, and applies them only once allowed', async () => {
    expect(((await client.api.handle('learner.list', [{ limit: 100 }])).body.data as { records: unknown[] }).records).toHaveLength(30);
    await client.sync.now();
    await expect.poll(() => client.sync.status().heldDeletes, { timeout: 30_000 }).toBe(28);
    expect(client.sync.status()).toMatchObject({ state: 'error' });
    expect(client.sync.status().error).toContain('would delete 28 of the 30 learners');
    expect(((await client.api.handle('learner.list', [{ limit: 100 }])).body.data as { records: unknown[] }).records).toHaveLength(30);

    const allowed = await client.api.handle('sync.allowDeletes', []);
    expect(allowed.status).toBe(200);
    await expect.poll(async () => ((await client.api.handle('learner.list', [{ limit: 100 }])).body.data as { total_count: number }).total_count, { timeout: 30_000 }).toBe(2);
    expect(client.sync.status().heldDeletes).toBe(0);
  });
});
