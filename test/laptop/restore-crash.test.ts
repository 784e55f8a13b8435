// A restore stopped at any moment (kill -9 between any two of its file system operations) leaves either the old
// database or the restored one, whole, at the database's path; the next start finishes what was decided and
// nothing is lost. Each swap step is one durable operation, so stopping after each step in turn covers every moment
// a kill can fall on. Also killed for real, at random moments, in a child process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../electron/log';
import { memoryBox } from '../../electron/secrets';
import { startServices, type Services } from '../../electron/services';
import { prepareRestore, recordRestore, swapSteps } from '../../electron/db/restore';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { uniqueEmail } from '../contract/cases';
import { TEST_DATA_KEY } from '../support/data-key';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const start = (dataDir: string) => startServices({ dataDir, dataKey: TEST_DATA_KEY, secrets: memoryBox(), log: silentLog, version: 'test' });
const create = async (services: Services, first_name: string) =>
  expect((await services.api.handle('learner.create', [{ first_name, last_name: 'Swap', email_address: uniqueEmail() }])).status).toBe(200);
const live = async (services: Services) => (await services.local.db.learners.find({ selector: { is_deleted: false } }).exec()).map((l) => l.first_name).sort();

/** A data folder whose database holds Ada and Bea, with a backup that holds Ada only. */
async function folderWithBackup(): Promise<{ dataDir: string; backup: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-restore-crash-'));
  dirs.push(dataDir);
  const services = await start(dataDir);
  await create(services, 'Ada');
  const backup = ((await services.api.handle('app.backup', [])).body.data as { name: string }).name;
  await create(services, 'Bea');
  await services.close();
  return { dataDir, backup };
}

/** What the file at the database's path holds, read without opening the app: the live learners, or a problem. */
async function atThePath(dataDir: string): Promise<number | string> {
  const storage = getRxStorageSqliteNode({ directory: dataDir, encryptionKey: TEST_DATA_KEY });
  const file = join(dataDir, 'learner-profiles.sqlite');
  if (!existsSync(file)) return 'no database file';
  const problem = await storage.checkFile(file);
  if (problem) return problem;
  return (await storage.describeFile(file, { learners: { is_deleted: false } })).counts.learners!;
}

describe('a restore stopped at any moment', { timeout: 180_000 }, () => {
  it('before it was decided: the old database stays, and the copy is cleared away', async () => {
    const { dataDir, backup } = await folderWithBackup();
    const services = await start(dataDir);
    await prepareRestore(services.local.storage, dataDir, backup);
    await services.close();
    // Killed here: the copy exists, no journal.
    const again = await start(dataDir);
    try {
      expect(await live(again)).toEqual(['Ada', 'Bea']);
      expect(readdirSync(dataDir).filter((name) => /restore|replaced/.test(name))).toEqual([]);
    } finally {
      await again.close();
    }
  });

  it('after it was decided, at every step of the swap: a whole database at its path, and the next start finishes it', async () => {
    const steps = swapSteps('/unused', '/unused/learner-profiles.sqlite').length;
    for (let stoppedAfter = 0; stoppedAfter <= steps; stoppedAfter++) {
      const { dataDir, backup } = await folderWithBackup();
      const services = await start(dataDir);
      await prepareRestore(services.local.storage, dataDir, backup);
      recordRestore(dataDir, backup);
      await services.close();
      for (const step of swapSteps(dataDir, join(dataDir, 'learner-profiles.sqlite')).slice(0, stoppedAfter)) step.run();

      // Killed here: the old database (2 learners) or the restored one (1), never anything else.
      expect([2, 1], `stopped after ${stoppedAfter} steps`).toContain(await atThePath(dataDir));
      const again = await start(dataDir);
      try {
        expect(await live(again), `stopped after ${stoppedAfter} steps`).toEqual(['Ada']);
        expect((await again.api.handle('app.info', [])).body.data).toMatchObject({ restoredFrom: stoppedAfter < steps ? backup : null });
        expect(readdirSync(dataDir).filter((name) => /restore|replaced/.test(name))).toEqual([]);
      } finally {
        await again.close();
      }
    }
  });

  it('killed for real at random moments during restores: every start finds a whole database and goes on', async () => {
    const { dataDir, backup } = await folderWithBackup();
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/laptop/restore-child.ts', dataDir, backup], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Killed once it has started restoring, a little later each round.
      await new Promise<void>((resolve) => {
        let output = '';
        child.stdout!.on('data', (chunk) => {
          output += chunk;
          if (output.includes('restoring')) setTimeout(() => child.kill('SIGKILL'), round * 20);
        });
        child.on('exit', () => resolve());
      });
      expect([2, 1], `round ${round}`).toContain(await atThePath(dataDir));
      const again = await start(dataDir);
      try {
        // Whatever the kill interrupted is finished or undone; the app works, and Bea comes back for the next round.
        expect(await live(again)).toContain('Ada');
        if (!(await live(again)).includes('Bea')) await create(again, 'Bea');
      } finally {
        await again.close();
      }
      expect(readdirSync(dataDir).filter((name) => /restore|replaced/.test(name))).toEqual([]);
    }
  });
});
