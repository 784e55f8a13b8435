// A central server and several desktop clients, each in its own process with its own data folder, each talking to
// the server through a fault proxy the test controls.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { ConflictEntry } from '../../shared/desktop';
import type { Result } from '../../shared/result';
import { publicLearner, publicProfile } from '../../shared/service/public';
import { syncPath, type SyncCollection } from '../../shared/sync-protocol';
import { startFaultProxy } from './fault-proxy';
import { PREVIEW_LINE, previewCaller, previewCookie, TEST_PASSPHRASE } from './preview-client';
import { runScript, startScript } from './processes';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

export type Doc = Record<string, unknown> & { uuid: string };

/**
 * Removes a process's data folder, or with SYNC_KEEP=1 keeps it and writes the process's output beside it
 * (`<folder>.log`), to look into a failed run (a client's folder opens with the tests' passphrase).
 */
function dispose(dataDir: string, output: string) {
  if (!globalThis.process.env.SYNC_KEEP) return rmSync(dataDir, { recursive: true, force: true });
  writeFileSync(`${dataDir}.log`, output);
  console.log(`kept ${dataDir} and ${dataDir}.log`);
}

export async function startSyncServer(env: { DATABASE_URL?: string }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-sync-server-'));
  const port = await freePort();
  const base = { ...env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
  const created = await runScript('server/cli.ts', ['token', 'create', `device-${port}`], base);
  if (created.code !== 0) throw new Error(`token create failed: ${created.stderr}`);
  const token = created.stdout.trim().split('\n').at(-1)!;
  let process: ReturnType<typeof startScript> | undefined;
  const start = async () => {
    process = startScript('server/cli.ts', [], base, /listening on (http:\/\/\S+)/);
    await process.match;
  };
  await start();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token,
    /** kill -9: no goodbye to anyone. */
    async kill() {
      const killed = process;
      killed?.child.kill('SIGKILL');
      await killed?.exited;
      // A restart may have begun while this one died (a kill from a proxy rule): that process stays known, to be closed.
      if (process === killed) process = undefined;
    },
    /** A clean stop (SIGTERM), the database left as it is. */
    async stop() {
      process?.child.kill('SIGTERM');
      await process?.exited;
      process = undefined;
    },
    restart: start,
    dataDir,
    /** The server's command line on this server's database (stopped first where that matters). */
    cli: (args: string[]) => runScript('server/cli.ts', args, base),
    async docs(collection: SyncCollection): Promise<Doc[]> {
      const docs: Doc[] = [];
      let checkpoint = { seq: 0, xid: 0 };
      for (;;) {
        const query = new URLSearchParams({ checkpoint: String(checkpoint.seq), xid: String(checkpoint.xid), limit: '1000' });
        const response = await fetch(`${url}${syncPath(collection, 'pull')}?${query}`, { headers: { authorization: `Bearer ${token}` } });
        const batch = (await response.json()) as { documents: Doc[]; checkpoint: { seq: number; xid: number } };
        for (const { _deleted, ...doc } of batch.documents) docs.push(doc as Doc);
        if (batch.documents.length < 1000) return docs;
        checkpoint = batch.checkpoint;
      }
    },
    async close() {
      if (process) {
        process.child.kill('SIGTERM');
        await process.exited;
      }
      dispose(dataDir, process?.output() ?? '');
    },
  };
}
export type SyncServer = Awaited<ReturnType<typeof startSyncServer>>;

export async function startClient(name: string, server: SyncServer, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), `lp-client-${name}-`));
  const proxy = await startFaultProxy(() => server.url);
  let process: ReturnType<typeof startScript> | undefined;
  let caller: ReturnType<typeof previewCaller> | undefined;
  const start = async () => {
    process = startScript(
      'electron/preview.ts',
      [],
      {
        PORT: '0',
        DATA_DIR: dataDir,
        RENDERER_DIR: join(dataDir, 'none'),
        DATA_PASSPHRASE: TEST_PASSPHRASE,
        // Nobody sits at these devices: they must not lock while a test drives them through the API.
        AUTO_LOCK_MINUTES: '0',
        SYNC_URL: proxy.url,
        SYNC_TOKEN: server.token,
        SYNC_BACKOFF_MAX_MS: '400',
        DEVICE_NAME: `Laptop ${name.toUpperCase()}`,
        ...env,
      },
      PREVIEW_LINE,
    );
    const [, url, secret] = await process.match;
    caller = previewCaller(url!, await previewCookie(url!, secret!));
  };
  await start();
  const call = <T = unknown>(id: string, ...args: unknown[]): Promise<Result<T>> => caller!<T>(id, ...args);
  return {
    name,
    proxy,
    call,
    async kill() {
      const killed = process;
      killed?.child.kill('SIGKILL');
      await killed?.exited;
      // A restart may have begun while this one died (a kill from a proxy rule): that process stays known, to be closed.
      if (process === killed) process = undefined;
    },
    restart: start,
    /** Every live learner and profile, as the API shows them. */
    async snapshot() {
      const learners = ((await call<{ records: Doc[] }>('learner.browse', { limit: 500, sort_by: 'first_name', sort_order: 'ascending' })).body.data?.records ?? []) as Doc[];
      const profiles: Doc[] = [];
      for (let skip = 0; ; skip += 100) {
        const page = ((await call<{ records: Doc[] }>('learnerProfile.list', { skip, limit: 100 })).body.data?.records ?? []) as Doc[];
        profiles.push(...page);
        if (page.length < 100) break;
      }
      const byId = (a: Doc, b: Doc) => (a.uuid < b.uuid ? -1 : 1);
      return { learners: learners.sort(byId), profiles: profiles.sort(byId) };
    },
    async conflicts() {
      return ((await call('sync.conflicts')).body.data ?? []) as ConflictEntry[];
    },
    async close() {
      if (process) {
        process.child.kill('SIGTERM');
        await process.exited;
      }
      await proxy.close();
      dispose(dataDir, process?.output() ?? '');
    },
  };
}
export type SyncClient = Awaited<ReturnType<typeof startClient>>;

/** The server's live documents in the shape the API shows them (no internal fields). */
export async function serverSnapshot(server: SyncServer) {
  const live = <T>(docs: Doc[], view: (doc: never) => T) =>
    docs
      .filter((doc) => doc.is_deleted === false)
      .map((doc) => view(doc as never) as unknown as Doc)
      .sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
  return { learners: live(await server.docs('learners'), publicLearner), profiles: live(await server.docs('learner_profiles'), publicProfile) };
}

/** Small, seedable, good enough to pick test actions; the seed is printed so a failing run can be repeated. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
