// Latency of create, get and update of a profile through the desktop's handler table (no transport) and through
// the browser bridge, with 100k profiles in the local SQLite database (encrypted at rest); the dashboard's figures
// and the learner list's export over them, with the main thread's longest stall meanwhile; and the size of the
// window's preload as the app build makes it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPreviewServer } from '../electron/preview-server';
import { memoryBox } from '../electron/secrets';
import { silentLog } from '../electron/log';
import { startServices } from '../electron/services';
import { previewCookie } from '../test/support/preview-client';
import { learnerAndProfile } from './_learner-docs';
import { withStallMeter } from './_stall';
import { latencies } from './_stats';
import { DatabaseSync } from 'node:sqlite';
import { profileUuidFor } from '../shared/ids';

/** The floor for any durable write on this disk: one row committed with the storage's synchronous=FULL. */
async function durableCommit(dir: string) {
  const db = new DatabaseSync(join(dir, 'baseline.sqlite'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT)');
  const insert = db.prepare('INSERT INTO t (doc) VALUES (?)');
  const result = await latencies(RUNS, async (i) => {
    db.exec('BEGIN IMMEDIATE');
    insert.run(JSON.stringify({ i }));
    db.exec('COMMIT');
  });
  db.close();
  return result;
}

/** The preload every window loads, in KB, as `npm run build` (electron.vite.config.ts) writes it. */
async function preloadKb() {
  const { build } = await import('electron-vite');
  await build({ logLevel: 'warn' });
  return Math.round(statSync('out/preload/preload.cjs').size / 102.4) / 10;
}

const PROFILES = Number(process.env.BENCH_PROFILES ?? 100_000);
const RUNS = 1000;
const CHUNK = 2000;

const preload = await preloadKb();
const dataDir = mkdtempSync(join(tmpdir(), 'lp-bench-api-'));
const services = await startServices({ dataDir, dataKey: randomBytes(32), secrets: memoryBox(), log: silentLog, version: 'bench' });
try {
  const { db } = services.local;
  const learnerIds: string[] = [];
  const profileIds: string[] = [];
  const seedStart = performance.now();
  for (let i = 0; i < PROFILES; i += CHUNK) {
    const batch = Array.from({ length: Math.min(CHUNK, PROFILES - i) }, (_, k) => learnerAndProfile(i + k));
    await db.learners.bulkInsert(batch.map((b) => b.learner));
    await db.learner_profiles.bulkInsert(batch.map((b) => b.profile));
    for (const b of batch) {
      learnerIds.push(b.learner.uuid);
      profileIds.push(b.profile.uuid);
    }
  }
  console.log(`seeded ${PROFILES} learners and profiles in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  // Learners without a profile yet, for the creates.
  const fresh = Array.from({ length: RUNS }, (_, i) => learnerAndProfile(PROFILES + i).learner);
  await db.learners.bulkInsert(fresh);

  const pick = (i: number) => (i * 7919) % PROFILES;
  const { api } = services;
  const create = await latencies(RUNS, (i) => api.handle('learnerProfile.create', [fresh[i]!.uuid, { learning_goals: ['Teamwork'] }]));
  const get = await latencies(RUNS, (i) => api.handle('learnerProfile.get', [learnerIds[pick(i)], profileIds[pick(i)]]));
  const update = await latencies(RUNS, (i) =>
    api.handle('learnerProfile.update', [learnerIds[pick(i)], profileIds[pick(i)], { personal_goals: `Goal ${i}`, learning_constraints: { weekly_study_time: i % 31 } }]),
  );

  const commit = await durableCommit(dataDir);
  const secret = randomBytes(24).toString('base64url');
  const app = await createPreviewServer({ api: services.api, events: services.changes }, { rendererDir: join(dataDir, 'none'), secret });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const cookie = await previewCookie(base, secret);
  const url = `${base}/api/learnerProfile.get`;
  const bridgeGet = await latencies(RUNS, async (i) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify([learnerIds[pick(i)], profileIds[pick(i)]]) });
    if (response.status !== 200) throw new Error(`bridge get: ${response.status}`);
    await response.json();
  });
  await app.close();

  // The list's in-memory index loads on its first use; an export uses it too, so it is loaded first.
  const listFirst = await withStallMeter(() => api.handle('learner.browse', [{ limit: 100 }]));
  // The first figures read every learner and profile into memory, a page at a time.
  const dashboardFirst = await withStallMeter(() => api.handle('dashboard.figures', [{}]));
  // Then each query is a pass over the facts in memory; each run asks for another period, so none is answered from
  // the cache. Baseline: the list's own search over the same learners, in the same memory.
  const day = (i: number) => `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const DASHBOARD_RUNS = 40;
  const dashboard = await withStallMeter(() =>
    latencies(DASHBOARD_RUNS, (i) => api.handle('dashboard.figures', [{ from: '2024-01-01', to: day(i), status: (['active', 'archived', 'all'] as const)[i % 3] }]), true),
  );
  const browse = await latencies(DASHBOARD_RUNS, (i) => api.handle('learner.browse', [{ text: `learner${i}`, limit: 100 }]));
  const exportRun = async (format: 'csv' | 'xlsx') =>
    withStallMeter(async () => {
      const result = await api.handle('report.exportLearners', [{ format, query: {} }]);
      if (result.status !== 200) throw new Error(`export: ${JSON.stringify(result.body)}`);
      return result.body.data as { rows: number; bytes: number };
    });
  // Baseline for the exports, first so that it reads as cold as they do: the same documents in the same chunks, the
  // same way, writing nothing.
  const readOnly = await withStallMeter(async () => {
    const uuids = learnerIds.concat(fresh.map((l) => l.uuid));
    for (let i = 0; i < uuids.length; i += 100) {
      const chunk = uuids.slice(i, i + 100);
      await Promise.all([
        db.learners.storageInstance.findDocumentsById(chunk, false),
        db.learner_profiles.storageInstance.findDocumentsById(chunk.map(profileUuidFor), false),
      ]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  const csv = await exportRun('csv');
  const xlsx = await exportRun('xlsx');

  console.log(`${PROFILES} profiles, ${RUNS} calls each, one at a time`);
  console.log('operation'.padEnd(34), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8));
  for (const [name, r] of [['create (handler table)', create], ['get (handler table)', get], ['update (handler table)', update], ['get (bridge, HTTP)', bridgeGet], ['baseline: one durable SQLite commit', commit]] as const) {
    console.log(name.padEnd(34), String(r.p50).padStart(8), String(r.p99).padStart(8));
  }
  const ms = (n: number) => Math.round(n * 10) / 10;
  const seconds = (n: number) => Math.round(n / 10) / 100;
  console.log(`\n${PROFILES + RUNS} learners`);
  console.log('work'.padEnd(40), 'ms'.padStart(9), 'max stall ms'.padStart(13), 'its CPU ms'.padStart(11), 'max GC ms'.padStart(10));
  for (const [name, r] of [
    ['learner list index, first use', listFirst],
    ['dashboard, first figures (loads facts)', dashboardFirst],
    [`dashboard, ${DASHBOARD_RUNS} queries (p50 ${dashboard.result.p50})`, dashboard],
    [`export CSV, ${csv.result.rows} rows`, csv],
    [`export XLSX, ${xlsx.result.rows} rows`, xlsx],
    ['baseline: read the same rows, write none', readOnly],
  ] as const) {
    console.log(name.padEnd(40), String(ms(r.ms)).padStart(9), String(ms(r.maxStallMs)).padStart(13), String(ms(r.maxStallCpuMs)).padStart(11), String(ms(r.maxGcMs)).padStart(10));
  }
  console.log(`baseline: the list's search, p50 ${browse.p50} ms, p99 ${browse.p99} ms`);
  console.log(
    JSON.stringify({
      profiles: PROFILES,
      preload_kb: preload,
      create_p50_ms: create.p50,
      create_p99_ms: create.p99,
      get_p50_ms: get.p50,
      get_p99_ms: get.p99,
      update_p50_ms: update.p50,
      update_p99_ms: update.p99,
      bridge_get_p50_ms: bridgeGet.p50,
      bridge_get_p99_ms: bridgeGet.p99,
      bridge_overhead_p50_ms: Math.round((bridgeGet.p50 - get.p50) * 1000) / 1000,
      durable_commit_p50_ms: commit.p50,
      create_ratio_vs_commit: Math.round((create.p50 / commit.p50) * 100) / 100,
      update_ratio_vs_commit: Math.round((update.p50 / commit.p50) * 100) / 100,
      dashboard_100k_ms: dashboard.result.p50,
      dashboard_p99_ms: dashboard.result.p99,
      dashboard_first_ms: ms(dashboardFirst.ms),
      dashboard_stall_max_ms: ms(Math.max(dashboard.maxStallMs, dashboardFirst.maxStallMs)),
      dashboard_stall_cpu_ms: ms(dashboard.maxStallMs >= dashboardFirst.maxStallMs ? dashboard.maxStallCpuMs : dashboardFirst.maxStallCpuMs),
      list_search_p50_ms: browse.p50,
      export_100k_csv_s: seconds(csv.ms),
      export_100k_xlsx_s: seconds(xlsx.ms),
      export_stall_max_ms: ms(Math.max(csv.maxStallMs, xlsx.maxStallMs)),
      export_stall_cpu_ms: ms(csv.maxStallMs >= xlsx.maxStallMs ? csv.maxStallCpuMs : xlsx.maxStallCpuMs),
      export_read_only_s: seconds(readOnly.ms),
      list_index_first_ms: ms(listFirst.ms),
      list_index_stall_ms: ms(listFirst.maxStallMs),
    }),
  );
} finally {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
}
