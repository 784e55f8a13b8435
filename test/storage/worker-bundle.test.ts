/**
 * The packaged app's storage thread: the app build puts the worker beside
 * main.js as storage-worker.js, main.js looks for it there, and the built worker
 * runs on its own (it is what Electron's main process starts; Electron itself
 * cannot run here).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseJsonArray } from '../../electron/storage/protocol';
import type { Envelope, JsonArray, ReplyEnvelope, Request } from '../../electron/storage/protocol';
import { filledLearnerSchema, makeTempDirectory, newDocument } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

const require = createRequire(import.meta.url);
const root = join(dirname(require.resolve('../../package.json')));
let outDir: string;
let data: ReturnType<typeof makeTempDirectory>;

beforeAll(async () => {
  // Inside the project (ignored by git), so the bundle's bare imports resolve from its node_modules.
  mkdirSync(join(root, '.scratch'), { recursive: true });
  outDir = mkdtempSync(join(root, '.scratch', 'bundle-'));
  const pkg = require('electron-vite/package.json') as { bin: Record<string, string> };
  const cli = join(dirname(require.resolve('electron-vite/package.json')), pkg.bin['electron-vite'] as string);
  await promisify(execFile)(process.execPath, [cli, 'build', '--outDir', outDir, '--logLevel', 'error'], { cwd: root });
  data = makeTempDirectory('rx-sqlite-bundle-');
}, 120_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  data?.remove();
});

test('main.js finds the storage worker beside it, and the built worker stores and reads documents', async () => {
  const main = join(outDir, 'main', 'main.js');
  const workerFile = join(outDir, 'main', 'storage-worker.js');
  expect(existsSync(workerFile)).toBe(true);
  expect(readFileSync(main, 'utf8')).toContain('new URL("./storage-worker.js"');

  const worker = new Worker(workerFile, { workerData: { role: 'writer' } });
  let next = 1;
  const ask = (request: Request): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      const onMessage = (reply: ReplyEnvelope): void => {
        if (reply.id !== id) return;
        worker.off('message', onMessage);
        if (reply.ok) resolve(reply.value);
        else reject(new Error(reply.error.message));
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, request } satisfies Envelope);
    });
  try {
    const file = join(data.path, 'bundle.sqlite');
    await ask({ op: 'open-file', file, busyTimeoutMs: 1_000, key: new Uint8Array(32).fill(3) });
    const { table } = (await ask({ op: 'open-collection', file, collectionName: 'learners', schema: filledLearnerSchema })) as { table: string };
    const ada = newDocument<Learner>({ id: 'ada', name: 'Ada', age: 36, archived: false });
    const written = await ask({ op: 'write', file, writes: [{ table, rows: [{ document: JSON.stringify(ada), previousRev: null }] }], context: 'bundle', atomic: false });
    expect(written).toEqual({ written: true, results: [{ inDb: [], refused: [] }] });
    expect(parseJsonArray((await ask({ op: 'find-by-ids', file, table, ids: ['ada'], withDeleted: false })) as JsonArray)).toEqual([ada]);
    await ask({ op: 'close-file', file });
  } finally {
    await worker.terminate();
  }
});
