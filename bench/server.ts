// Requests/s and latency of GET and PUT of a profile with 10 connections, on PostgreSQL and on PGlite, against a
// bare Fastify route in the same run as the ceiling. Server and load generator run in separate processes. Each
// server is warmed up first (its code compiled, its statements prepared), so every figure is a steady state.
// PUT is measured twice: all connections on one profile, whose writes queue on their learner's lock by design,
// and spread over ten learners' profiles, whose writes need not wait for each other.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { DEFAULT_LIMITS } from '../server/access';
import { API_BASE } from '../server/app';
import { BENCH_LIMITS } from './_limits';
import { startCluster } from '../test/support/postgres-cluster';
import { seedProfileBody } from './_seed';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARMUP_S = 5;
const CONNECTIONS = 10;

interface Target {
  url: string;
  token: string;
  /** A device token of the learner's center, one of ten. */
  scopedToken: string;
  learnerId: string;
  profileUuid: string;
  others: { learnerId: string; profileUuid: string }[];
}

async function startTarget(mode: 'pg' | 'pglite' | 'bare', env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/_server-target.ts', mode], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  const target = JSON.parse(line) as Target;
  return { target, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

/** Load on `url`, or round robin on several paths of its server. */
async function load(url: string | URL[], token: string, method: 'GET' | 'PUT' = 'GET', body?: unknown, duration = DURATION_S) {
  const paths = Array.isArray(url) ? url.map((u) => u.pathname) : undefined;
  let next = 0;
  const result = await autocannon({
    url: Array.isArray(url) ? url[0]!.origin : url,
    method,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    ...(paths ? { requests: [{ method, setupRequest: (request: object) => ({ ...request, path: paths[next++ % paths.length] }) }] } : {}),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${method} ${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99 };
}

async function measureProfile(mode: 'pg' | 'pglite', env: NodeJS.ProcessEnv) {
  const { target, stop } = await startTarget(mode, env);
  try {
    const profilePath = (learnerId: string, profileUuid: string) => `${target.url}${API_BASE}/learner/${learnerId}/learner-profile/${profileUuid}`;
    const path = profilePath(target.learnerId, target.profileUuid);
    const body = { ...seedProfileBody, enrollment_information: undefined, personal_goals: 'Benchmark' };
    const spread = target.others.map((other) => new URL(profilePath(other.learnerId, other.profileUuid)));
    await load(path, target.token, 'GET', undefined, WARMUP_S);
    await load(spread, target.token, 'PUT', body, 2);
    const get = await load(path, target.token);
    const scopedGet = await load(path, target.scopedToken);
    const put = await load(path, target.token, 'PUT', body);
    const putSpread = await load(spread, target.token, 'PUT', body);
    return { get, scopedGet, put, putSpread };
  } finally {
    await stop();
  }
}

const cluster = await startCluster();
const dataDir = mkdtempSync(join(tmpdir(), 'lp-bench-'));
try {
  const bare = await startTarget('bare', { DATA_DIR: join(dataDir, 'bare') });
  await load(`${bare.target.url}/bare`, bare.target.token, 'GET', undefined, WARMUP_S);
  const ceiling = await load(`${bare.target.url}/bare`, bare.target.token);
  await bare.stop();
  const pg = await measureProfile('pg', { DATABASE_URL: cluster.url });
  const pglite = await measureProfile('pglite', { DATA_DIR: join(dataDir, 'pglite') });

  const rows = [
    ['bare Fastify route (ceiling)', ceiling],
    ['GET profile, PostgreSQL', pg.get],
    ['GET profile, PG, device token', pg.scopedGet],
    ['PUT profile, PostgreSQL', pg.put],
    ['PUT 10 learners, PostgreSQL', pg.putSpread],
    ['GET profile, PGlite', pglite.get],
    ['PUT profile, PGlite', pglite.put],
    ['PUT 10 learners, PGlite', pglite.putSpread],
  ] as const;
  console.log(`${CONNECTIONS} connections, ${DURATION_S} s each; limits: ${BENCH_LIMITS.authFailuresPerMinute} failed authentications/min per address, ${BENCH_LIMITS.requestsPerMinutePerToken} requests/min per token (production: ${DEFAULT_LIMITS.requestsPerMinutePerToken})`);
  console.log('what'.padEnd(32), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'vs ceiling'.padStart(11));
  for (const [name, r] of rows) {
    console.log(name.padEnd(32), String(r.rps).padStart(8), String(r.p50).padStart(8), String(r.p99).padStart(8), (r.rps / ceiling.rps).toFixed(3).padStart(11));
  }
  console.log(
    JSON.stringify({
      get_rps_pg: pg.get.rps,
      get_rps_scoped_pg: pg.scopedGet.rps,
      // A device token's scope check against an administrator's (no check): 1 is free.
      scope_cost_ratio: Number((pg.scopedGet.rps / pg.get.rps).toFixed(3)),
      put_rps_pg: pg.put.rps,
      put_rps_pg_learners: pg.putSpread.rps,
      get_rps_pglite: pglite.get.rps,
      put_rps_pglite: pglite.put.rps,
      put_rps_pglite_learners: pglite.putSpread.rps,
      ceiling_rps: ceiling.rps,
      get_p50_ms_pg: pg.get.p50,
      get_p99_ms_pg: pg.get.p99,
      put_p50_ms_pg: pg.put.p50,
      put_p99_ms_pg: pg.put.p99,
      get_p50_ms_pglite: pglite.get.p50,
      get_p99_ms_pglite: pglite.get.p99,
      put_p99_ms_pglite: pglite.put.p99,
      get_ratio_pg: Number((pg.get.rps / ceiling.rps).toFixed(3)),
      put_ratio_pg: Number((pg.put.rps / ceiling.rps).toFixed(3)),
      put_ratio_pg_learners: Number((pg.putSpread.rps / ceiling.rps).toFixed(3)),
      get_ratio_pglite: Number((pglite.get.rps / ceiling.rps).toFixed(3)),
    }),
  );
} finally {
  cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
