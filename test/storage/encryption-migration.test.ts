/**
 * Encrypting an existing plaintext file is resumable: a child process opens it
 * with a key and is killed with SIGKILL at moments spread over the migration.
 * Whatever the moment, the file then opens with the key, finishes encrypting,
 * and holds every document; at least one kill must land midway (some rows
 * sealed, some not) for the test to count.
 */
import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getRxStorageSqliteNode, MissingKeyError } from '../../electron/storage';
import { filledLearnerSchema, makeTempDirectory, newDocument, openInstance, TEST_KEY } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

const CHILD = fileURLToPath(new URL('./migration-child.ts', import.meta.url));
const DOCUMENTS = 10_000;
const KILLS = 5;
const SECRET_NOTE = 'Wilhelmina-Okonkwo-Ślązak private note';

let root: ReturnType<typeof makeTempDirectory>;
const template = (): string => join(root.path, 'template');
beforeAll(async () => {
  root = makeTempDirectory('rx-sqlite-migration-');
  const instance = await openInstance<Learner>(getRxStorageSqliteNode({ directory: template() }), 'migrating', filledLearnerSchema);
  for (let start = 0; start < DOCUMENTS; start += 5_000) {
    const docs = Array.from({ length: 5_000 }, (_, i) =>
      newDocument<Learner>({ id: `l${start + i}`, name: `n${(start + i) % 9}`, age: (start + i) % 150, archived: false, note: `${SECRET_NOTE} ${start + i}` }),
    );
    expect((await instance.bulkWrite(docs.map((document) => ({ document })), 'seed')).error).toEqual([]);
  }
  await instance.close();
}, 120_000);
afterAll(() => root.remove());

type Sealing = { state: unknown; plain: number; sealed: number };

function sealing(folder: string): Sealing {
  const raw = new DatabaseSync(join(folder, 'migrating.sqlite'), { readOnly: true });
  try {
    const hasMeta = raw.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'rx_meta_storage'`).get() !== undefined;
    const state = hasMeta ? raw.prepare(`SELECT value FROM rx_meta_storage WHERE name = 'encryption'`).get()?.['value'] : undefined;
    const counts = raw.prepare(`SELECT SUM(typeof(data) = 'text') AS plain, SUM(typeof(data) = 'blob') AS sealed FROM rx_learners_v0`).get()!;
    return { state, plain: Number(counts['plain']), sealed: Number(counts['sealed']) };
  } finally {
    raw.close();
  }
}

/** Runs the child on a copy of the plaintext file; kills it `killAfterMs` after the migration is seen to start. */
function runChild(folder: string, killAfterMs: number | undefined): Promise<{ openedMs?: number; killed: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, folder], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let migrationSeenAt: number | undefined;
  let openedMs: number | undefined;
  let poll: NodeJS.Timeout | undefined;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      const message = JSON.parse(line) as { opening?: true; opened?: true };
      if (message.opening) {
        // The migration has begun once its state is committed; the kill is timed from then.
        poll = setInterval(() => {
          let state: unknown;
          try {
            state = sealing(folder).state;
          } catch {
            return;
          }
          if (state === undefined || migrationSeenAt !== undefined) return;
          migrationSeenAt = performance.now();
          clearInterval(poll);
          if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }, 2);
      }
      if (message.opened) {
        openedMs = migrationSeenAt === undefined ? 0 : performance.now() - migrationSeenAt;
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      if (signal !== 'SIGKILL') reject(new Error(`child exited by itself: ${stderr}`));
      else resolve({ openedMs, killed: openedMs === undefined });
    });
  });
}

async function expectCompleteAfterReopen(folder: string): Promise<void> {
  await expect(openInstance<Learner>(getRxStorageSqliteNode({ directory: folder }), 'migrating', filledLearnerSchema)).rejects.toThrow(MissingKeyError);
  const instance = await openInstance<Learner>(getRxStorageSqliteNode({ directory: folder, encryptionKey: TEST_KEY }), 'migrating', filledLearnerSchema);
  try {
    const ids = Array.from({ length: DOCUMENTS }, (_, i) => `l${i}`);
    const docs = await instance.findDocumentsById(ids, false);
    expect(docs).toHaveLength(DOCUMENTS);
    expect(docs.every((doc, i) => doc.id === `l${i}` && doc.note === `${SECRET_NOTE} ${i}`)).toBe(true);
  } finally {
    await instance.close();
  }
  expect(sealing(folder)).toEqual({ state: 'encrypted', plain: 0, sealed: DOCUMENTS });
  for (const file of readdirSync(folder)) {
    expect(readFileSync(join(folder, file)).includes(Buffer.from(SECRET_NOTE)), file).toBe(false);
  }
}

test('a migration killed at any moment reopens with the key and completes', async () => {
  const calibration = join(root.path, 'calibration');
  cpSync(template(), calibration, { recursive: true });
  const { openedMs } = await runChild(calibration, undefined);
  expect(openedMs).toBeGreaterThan(0);
  await expectCompleteAfterReopen(calibration);

  const seen: Sealing[] = [];
  for (let attempt = 0; attempt < KILLS; attempt++) {
    const folder = join(root.path, `attempt-${attempt}`);
    cpSync(template(), folder, { recursive: true });
    await runChild(folder, ((attempt + 0.5) / KILLS) * (openedMs as number));
    seen.push(sealing(folder));
    await expectCompleteAfterReopen(folder);
  }
  // The kills must have landed inside the migration, with rows of both kinds on disk.
  expect(seen.some((s) => s.state === 'migrating' && s.plain > 0 && s.sealed > 0)).toBe(true);
}, 180_000);
