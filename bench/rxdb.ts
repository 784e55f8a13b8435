/**
 * RxDB's own performance test (runPerformanceTests from rxdb/plugins/test-utils,
 * its defaults: 40 runs, 4 collections, 3,000 documents) on our storage as the
 * app runs it (SQLite on its worker threads, encrypted) and on RxDB's memory
 * storage, in one run. Prints a table, then one JSON line: RxDB's metric names
 * for ours, the same names prefixed `memory:` for the memory storage (ms).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSqliteNode } from '../electron/storage';

/**
 * RxDB's performance.js, loaded by path: the test-utils entry also loads helpers
 * for RxDB's own test suite whose dependencies are not installed here, and
 * performance.js needs only `async-test-util`, answered by a local copy of its
 * two helpers.
 */
const shim = new URL('./_async-test-util.ts', import.meta.url).href;
registerHooks({
  resolve: (specifier, context, nextResolve) =>
    specifier === 'async-test-util' ? { url: shim, shortCircuit: true } : nextResolve(specifier, context),
});
const rxdbDir = dirname(createRequire(import.meta.url).resolve('rxdb/package.json'));
const { runPerformanceTests } = (await import(pathToFileURL(join(rxdbDir, 'dist/esm/plugins/test-utils/performance.js')).href)) as {
  runPerformanceTests: (storage: RxStorage<any, any>, description: string, config?: { log?: boolean }) => Promise<Record<string, number>>;
};

/** RxDB's published figures for its paid SQLite storage (ms): the bar for ours. */
const PAID_SQLITE: Record<string, number> = {
  'time-to-first-insert': 100,
  'insert-documents-500': 50,
  'find-by-ids-3000': 20,
  'serial-inserts-50': 150,
  'serial-find-by-id-50': 80,
  'find-by-query': 100,
  'find-by-query-parallel-4': 90,
  '4x-count': 10,
};
const METRICS = Object.keys(PAID_SQLITE);

const loadStart = loadavg()[0] as number;
const directory = mkdtempSync(join(tmpdir(), 'bench-rxdb-'));
try {
  const ours = (await runPerformanceTests(
    getRxStorageSqliteNode({ directory, encryptionKey: randomBytes(32) }),
    'sqlite-node (worker threads, encrypted)',
    { log: false },
  )) as Record<string, number>;
  const memory = (await runPerformanceTests(getRxStorageMemory(), 'memory', { log: false })) as Record<string, number>;

  const rows: string[][] = [['metric (ms, RxDB defaults: 40 runs, 3,000 docs)', 'ours', 'memory', 'paid SQLite (published)', 'below it']];
  for (const metric of METRICS) {
    rows.push([metric, String(ours[metric]), String(memory[metric]), String(PAID_SQLITE[metric]), (ours[metric] as number) < (PAID_SQLITE[metric] as number) ? 'yes' : 'no']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  console.log(`load average (1 min) at start and end: ${loadStart.toFixed(2)}, ${(loadavg()[0] as number).toFixed(2)} on ${cpus().length} cores`);
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd());
  const figures: Record<string, number> = {};
  for (const metric of METRICS) figures[metric] = ours[metric] as number;
  for (const metric of METRICS) figures[`memory:${metric}`] = memory[metric] as number;
  console.log(JSON.stringify(figures));
} finally {
  rmSync(directory, { recursive: true, force: true });
}
