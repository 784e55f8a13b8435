// Sync figures: initial pull of 100k profiles (and their learners) into an empty client, push of 10k local edits,
// edit-to-visible latency between two online clients, 200 concurrent streams held by the server, and how long the
// status keeps saying "Synced" once the server is gone.
// The server runs on a throwaway PostgreSQL; clients are the main-process services, as in the app.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app';
import { openPostgres } from '../server/db/database';
import { migrate } from '../server/db/migrations';
import { createToken } from '../server/tokens';
import { createCenter } from '../server/centers';
import { memoryBox } from '../electron/secrets';
import { silentLog } from '../electron/log';
import { startServices } from '../electron/services';
import { syncPath } from '../shared/sync-protocol';
import { startCluster } from '../test/support/postgres-cluster';
import { startScript } from '../test/support/processes';
import { PREVIEW_LINE, previewCaller, previewCookie, TEST_PASSPHRASE } from '../test/support/preview-client';
import { learnerAndProfile } from './_learner-docs';
import { percentile } from './_stats';

interface Link {
  url: string;
  /** Keeps every connection open but passes nothing more, as a dead link or a sleeping router does. */
  silence(): Promise<void>;
  close(): void;
}

/** A TCP relay to the server that can go silent. */
function startLink(port: number): Promise<Link> {
  let silent = false;
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    const server = connect(port, '127.0.0.1');
    sockets.add(client).add(server);
    client.on('data', (chunk) => void (silent || server.write(chunk)));
    server.on('data', (chunk) => void (silent || client.write(chunk)));
    for (const [a, b] of [[client, server], [server, client]] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  return new Promise((resolve) => {
    relay.listen(0, '127.0.0.1', () => {
      const address = relay.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        silence: async () => void (silent = true),
        close: () => {
          for (const socket of sockets) socket.destroy();
          relay.close();
        },
      });
    });
  });
}

const PROFILES = Number(process.env.BENCH_PROFILES ?? 100_000);
/** How many of `total` items, dealt round-robin over `of` centers, land in center `index`. */
const batchCount = (total: number, index: number, of: number) => Math.floor(total / of) + (index < total % of ? 1 : 0);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 10_000);
const PROPAGATIONS = 50;
const STREAMS = 200;

const cluster = await startCluster();
const db = openPostgres(cluster.url, 20);
await migrate(db);
const app = await buildApp({ db });
await app.listen({ port: 0, host: '127.0.0.1' });
const serverUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
// Ten centers, the learners spread over them. The main figures are an administrator's device, which holds every
// center; a device of one center pulls its tenth along its own index.
const centers = [(await db.query<{ id: string }>(`SELECT id FROM centers WHERE name = 'default'`))[0]!.id];
for (let i = 1; i < 10; i++) centers.push(await createCenter(db, `Bench center ${i}`));
const token = await createToken(db, 'bench', { admin: true });
const scopedToken = await createToken(db, 'bench-one-center', { centers: [centers[0]!] });
await app.tokens.refresh();
const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `lp-bench-sync-${name}-`));
  dirs.push(dir);
  return dir;
};

try {
  // The server's data, written straight into its tables (seq numbers as the server assigns them).
  const seedStart = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < PROFILES; i += 2000) {
    const batch = Array.from({ length: Math.min(2000, PROFILES - i) }, (_, k) => {
      const { learner, profile } = learnerAndProfile(i + k);
      return { learner: { ...learner, center_id: centers[(i + k) % centers.length]! }, profile };
    });
    for (const [table, docs] of [['learners', batch.map((b) => b.learner)], ['learner_profiles', batch.map((b) => b.profile)]] as const) {
      // A learner's center is a column computed from its document; a profile's is its learner's, stored beside it.
      // Seqs come from the tables' defaults, the writing transaction from their trigger, in document order.
      await db.query(
        table === 'learners'
          ? `INSERT INTO learners (uuid, doc) SELECT d->>'uuid', d FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(d, o) ORDER BY o`
          : `INSERT INTO learner_profiles (uuid, doc, center_id)
             SELECT d->>'uuid', d, l.center_id FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(d, o)
             JOIN learners l ON l.uuid = d->>'learner_id' ORDER BY o`,
        [JSON.stringify(docs)],
      );
    }
    ids.push(...batch.map((b) => b.learner.uuid));
  }
  console.log(`server seeded with ${PROFILES} learners and profiles in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  // 1. Initial pull into an empty client.
  const client = await startServices({ dataDir: tempDir('pull'), dataKey: randomBytes(32), secrets: memoryBox(), log: silentLog, version: 'bench', initialSync: { serverUrl, token } });
  const pullStart = performance.now();
  for (;;) {
    await client.sync.now();
    const profiles = await client.local.db.learner_profiles.count().exec();
    if (profiles >= PROFILES) break;
  }
  const pullSeconds = (performance.now() - pullStart) / 1000;
  const pulledDocs = PROFILES * 2;


  // 2. 10k local edits, pushed.
  for (let i = 0; i < PUSHES; i++) {
    const result = await client.api.handle('learnerProfile.updateByLearner', [ids[(i * 7919) % PROFILES], { personal_goals: `Edited ${i}` }]);
    if (result.status !== 200) throw new Error(`edit failed: ${JSON.stringify(result.body)}`);
  }
  const pushStart = performance.now();
  while ((await client.sync.now()).pending > 0);
  const pushSeconds = (performance.now() - pushStart) / 1000;
  await client.close();

  // 1b (after the first device is closed: one database per process). The same for a device of one center among ten: what it pulls is its tenth, whatever the server holds.
  const mine = batchCount(PROFILES, 0, centers.length);
  const scoped = await startServices({ dataDir: tempDir('pull-scoped'), dataKey: randomBytes(32), secrets: memoryBox(), log: silentLog, version: 'bench', initialSync: { serverUrl, token: scopedToken } });
  const scopedStart = performance.now();
  for (;;) {
    await scoped.sync.now();
    if ((await scoped.local.db.learner_profiles.count().exec()) >= mine) break;
  }
  const scopedSeconds = (performance.now() - scopedStart) / 1000;
  const scopedLearners = await scoped.local.db.learners.count().exec();
  await scoped.close();
  if (scopedLearners !== mine) throw new Error(`the one-center device holds ${scopedLearners} learners, not ${mine}`);

  // 3. Edit-to-visible latency between two online clients (separate processes, as in the field).
  const clients = await Promise.all(
    ['a', 'b'].map(async (name) => {
      const preview = startScript(
        'electron/preview.ts',
        [],
        { PORT: '0', DATA_DIR: tempDir(name), RENDERER_DIR: '/nonexistent', DATA_PASSPHRASE: TEST_PASSPHRASE, AUTO_LOCK_MINUTES: '0', SYNC_URL: serverUrl, SYNC_TOKEN: token },
        PREVIEW_LINE,
      );
      const [, url, secret] = await preview.match;
      const caller = previewCaller(url!, await previewCookie(url!, secret!));
      const call = (id: string, ...args: unknown[]) => caller<Record<string, unknown>>(id, ...args) as Promise<{ status: number; body: { data: Record<string, unknown> } }>;
      return { preview, call };
    }),
  );
  const [a, b] = clients as [(typeof clients)[number], (typeof clients)[number]];
  const learner = (await a.call('learner.create', { first_name: 'Prop', last_name: 'Agation', email_address: `prop.${Date.now()}@example.org`, center_id: centers[0] })).body.data;
  await a.call('sync.now');
  while ((await b.call('learner.get', learner.uuid)).status !== 200) await b.call('sync.now');
  const latencies: number[] = [];
  for (let i = 0; i < PROPAGATIONS; i++) {
    const city = `City ${i}`;
    const start = performance.now();
    await a.call('learner.update', learner.uuid, { city });
    while ((await b.call('learner.get', learner.uuid)).body.data.city !== city) await new Promise((r) => setTimeout(r, 2));
    latencies.push(performance.now() - start);
  }
  latencies.sort((x, y) => x - y);
  for (const c of clients) c.preview.child.kill('SIGTERM');

  // 4. 200 concurrent streams, each hearing one write: 200 devices, each with its own token (a token holds a few).
  const streamTokens: string[] = [];
  for (let i = 0; i < STREAMS; i++) streamTokens.push(await createToken(db, `bench-stream-${i}`, { admin: true }));
  await app.tokens.refresh();
  const controllers: AbortController[] = [];
  const heard = await new Promise<number>((resolve) => {
    let ready = 0;
    let got = 0;
    const marker = `stream-check-${Date.now()}`;
    const timer = setTimeout(() => resolve(got), 30_000);
    for (let i = 0; i < STREAMS; i++) {
      const controller = new AbortController();
      controllers.push(controller);
      void fetch(`${serverUrl}${syncPath('learners', 'stream')}`, { headers: { authorization: `Bearer ${streamTokens[i]}`, accept: 'text/event-stream' }, signal: controller.signal })
        .then(async (response) => {
          const reader = response.body!.getReader();
          let text = '';
          let counted = false;
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            text += new TextDecoder().decode(value);
            if (!counted && text.includes('RESYNC')) {
              counted = true;
              if (++ready === STREAMS) {
                const [one] = await db.query<{ doc: Record<string, unknown> }>('SELECT doc FROM learners LIMIT 1');
                await db.query("UPDATE learners SET doc = $1::jsonb, seq = nextval('learners_seq') WHERE uuid = $2", [JSON.stringify({ ...one!.doc, city: marker }), one!.doc.uuid]);
                // Written past the repository, on the server's own connections: announced as the repository would.
                db.announce('sync_learners');
              }
            }
            if (text.includes(marker)) {
              if (++got === STREAMS) {
                clearTimeout(timer);
                resolve(got);
              }
              return;
            }
          }
        })
        .catch(() => {});
    }
  });
  controllers.forEach((c) => c.abort());

  // 5. How long "Synced" stays on the screen after the server is gone: killed (its connections close), and behind a
  // link that goes silent without closing anything (only the missing heartbeat tells).
  const statusTruth = async (silence: (link: Link & { kill(): void }) => Promise<void>) => {
    const server = startScript('server/cli.ts', [], { DATABASE_URL: cluster.url, PORT: '0', LOG_LEVEL: 'warn' }, /listening on (http:\/\/\S+)/);
    const upstream = new URL((await server.match)[1]!);
    const link = await startLink(Number(upstream.port));
    const device = await startServices({ dataDir: tempDir('truth'), dataKey: randomBytes(32), secrets: memoryBox(), log: silentLog, version: 'bench', initialSync: { serverUrl: link.url, token } });
    try {
      while ((await device.sync.now()).state !== 'idle');
      const start = performance.now();
      await silence({ ...link, kill: () => server.child.kill('SIGKILL') });
      while (device.sync.status().state === 'idle') await new Promise((r) => setTimeout(r, 100));
      return (performance.now() - start) / 1000;
    } finally {
      await device.close();
      server.child.kill('SIGKILL');
      link.close();
    }
  };
  const killedTruth = await statusTruth(async (link) => link.kill());
  const silentTruth = await statusTruth(async (link) => link.silence());

  const figures = {
    profiles: PROFILES,
    initial_pull_docs_per_s: Math.round(pulledDocs / pullSeconds),
    initial_pull_profiles_per_s: Math.round(PROFILES / pullSeconds),
    initial_pull_s: Number(pullSeconds.toFixed(1)),
    initial_pull_scoped_docs_per_s: Math.round((mine * 2) / scopedSeconds),
    initial_pull_scoped_s: Number(scopedSeconds.toFixed(1)),
    // Per document, a one-center pull against the whole-server pull: 1 means scoping costs nothing.
    scoped_pull_ratio: Number(((mine * 2) / scopedSeconds / (pulledDocs / pullSeconds)).toFixed(3)),
    push_10k_s: Number(pushSeconds.toFixed(2)),
    push_edits: PUSHES,
    propagation_p50_ms: Math.round(percentile(latencies, 50)),
    propagation_p99_ms: Math.round(percentile(latencies, 99)),
    streams_held: heard,
    status_truth_killed_s: Number(killedTruth.toFixed(1)),
    status_truth_silent_s: Number(silentTruth.toFixed(1)),
    status_truth_s: Number(Math.max(killedTruth, silentTruth).toFixed(1)),
  };
  console.log(`initial pull: ${pulledDocs} documents (${PROFILES} profiles and their learners) in ${figures.initial_pull_s} s`);
  console.log(`initial pull of one center among ten: ${mine * 2} documents in ${figures.initial_pull_scoped_s} s`);
  console.log(`push of ${PUSHES} local edits: ${figures.push_10k_s} s`);
  console.log(`edit-to-visible between two online clients: p50 ${figures.propagation_p50_ms} ms, p99 ${figures.propagation_p99_ms} ms`);
  console.log(`concurrent streams that heard a write: ${heard} of ${STREAMS}`);
  console.log(`"Synced" left the screen ${figures.status_truth_killed_s} s after the server was killed, ${figures.status_truth_silent_s} s after its link went silent (target: 30)`);
  console.log(JSON.stringify(figures));
} finally {
  await app.close();
  await db.close();
  cluster.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
