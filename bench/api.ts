// Latency of create, get and update of a profile through the desktop's handler table (no transport) and through
// the browser bridge, with 100k profiles in the local SQLite database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPreviewServer } from '../electron/preview-server';
import { memoryBox } from '../electron/secrets';
import { silentLog } from '../electron/log';
import { startServices } from '../electron/services';
import { previewCookie } from '../test/support/preview-client';
import { learnerAndProfile } from './_learner-docs';
import { latencies } from './_stats';
import { DatabaseSync } from 'node:sqlite';

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

const PROFILES = Number(process.env.BENCH_PROFILES ?? 100_000);
const RUNS = 1000;
const CHUNK = 2000;

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

  console.log(`${PROFILES} profiles, ${RUNS} calls each, one at a time`);
  console.log('operation'.padEnd(34), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8));
  for (const [name, r] of [['create (handler table)', create], ['get (handler table)', get], ['update (handler table)', update], ['get (bridge, HTTP)', bridgeGet], ['baseline: one durable SQLite commit', commit]] as const) {
    console.log(name.padEnd(34), String(r.p50).padStart(8), String(r.p99).padStart(8));
  }
  console.log(
    JSON.stringify({
      profiles: PROFILES,
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
    }),
  );
} finally {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
}
