// A server for the benchmark to load from another process: `pg` (DATABASE_URL), `pglite` (DATA_DIR) or `bare`
// (one Fastify route answering a stored profile from memory: the framework's ceiling). Prints one JSON line.
import Fastify from 'fastify';
import { buildApp } from '../server/app';
import { openDatabase } from '../server/db/database';
import { migrate } from '../server/db/migrations';
import { createToken } from '../server/tokens';
import { createCenter } from '../server/centers';
import { BENCH_LIMITS } from './_limits';
import { createProfile } from '../shared/service/profiles';
import { createLearner } from '../shared/service/learners';
import { createPostgresRepository } from '../server/repository';
import { seedProfileBody } from './_seed';

const mode = process.argv[2];
const db = await openDatabase({ databaseUrl: mode === 'pg' ? process.env.DATABASE_URL : undefined, dataDir: process.env.DATA_DIR ?? '' });
await migrate(db);
const repo = createPostgresRepository(db);
const learner = await createLearner(repo, { first_name: 'Bench', last_name: 'Mark', email_address: `bench.${Date.now()}@example.com` });
const learnerId = (learner.body.data as { uuid: string }).uuid;
const profile = await createProfile(repo, learnerId, seedProfileBody);
const profileUuid = (profile.body.data as { uuid: string }).uuid;
// Ten more learners with a profile each, for writes spread over learners (each learner's writes queue on its lock).
const others: { learnerId: string; profileUuid: string }[] = [];
if (mode !== 'bare') {
  for (let i = 0; i < 10; i++) {
    const other = await createLearner(repo, { first_name: 'Bench', last_name: `Other${i}`, email_address: `bench.${i}.${Date.now()}@example.com` });
    const otherId = (other.body.data as { uuid: string }).uuid;
    const otherProfile = await createProfile(repo, otherId, seedProfileBody);
    others.push({ learnerId: otherId, profileUuid: (otherProfile.body.data as { uuid: string }).uuid });
  }
}
// An administrator's token, and a device token of the learner's center among ten, as a district would have them.
const token = await createToken(db, `bench-${Date.now()}`, { admin: true });
const [home] = await db.query<{ id: string }>(`SELECT id FROM centers WHERE name = 'default'`);
if (mode !== 'bare') for (let i = 1; i < 10; i++) await createCenter(db, `Bench center ${i} ${Date.now()}`);
const scopedToken = await createToken(db, `bench-device-${Date.now()}`, { centers: [home!.id] });

const app = mode === 'bare' ? Fastify() : await buildApp({ db, limits: BENCH_LIMITS });
if (mode === 'bare') app.get('/bare', async () => profile.body);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, token, scopedToken, learnerId, profileUuid, others }));
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
