// One server and three clients, each its own process and data folder, one of them with a clock two days ahead,
// going offline and online at random and, while offline, editing the same and different records, deleting profiles
// and learners and creating profiles again. At the end of every round all clients and the server hold the same
// documents, and every client's last edit of every field is in the final state, in the conflict log (which every
// client holds alike), or was seen and deliberately overwritten or deleted (the test's own ledger records what each
// edit or deletion replaced).
// A failing run prints its seed: SYNC_SEED=<seed> repeats it.
import isEqual from 'fast-deep-equal';
import { profileUuidFor } from '../../shared/ids';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/backends';
import { random, serverSnapshot, startClient, startSyncServer, type Doc, type SyncClient, type SyncServer } from '../support/sync-world';

const ROUNDS = 5;
const EDITS_PER_CLIENT = 8;

function differences(expected: { learners: Doc[]; profiles: Doc[] }, actual: { learners: Doc[]; profiles: Doc[] }): string {
  const out: string[] = [];
  for (const kind of ['learners', 'profiles'] as const) {
    const mine = new Map(actual[kind].map((d) => [d.uuid, d]));
    for (const doc of expected[kind]) {
      const other = mine.get(doc.uuid);
      if (!other) out.push(`${kind} ${doc.uuid} missing`);
      else {
        const fields = [...new Set([...Object.keys(doc), ...Object.keys(other)])].filter((f) => !isEqual(doc[f], other[f]));
        if (fields.length) out.push(`${kind} ${doc.uuid} differs in ${fields.map((f) => `${f} (server ${JSON.stringify(doc[f])}, here ${JSON.stringify(other[f])})`).join(', ')}`);
      }
      mine.delete(doc.uuid);
    }
    for (const id of mine.keys()) out.push(`${kind} ${id} not on the server`);
  }
  return out.join('; ') || 'same';
}

async function converge(server: SyncServer, clients: SyncClient[]) {
  let last: unknown;
  for (let pass = 0; pass < 6; pass++) {
    for (const client of clients) await client.call('sync.now');
    const expected = await serverSnapshot(server);
    const snapshots = await Promise.all(clients.map((client) => client.snapshot()));
    if (snapshots.every((snapshot) => isEqual(snapshot, expected))) return expected;
    last = clients.map((client, i) => `${client.name}: ${differences(expected, snapshots[i]!)}`).join('\n');
  }
  throw new Error(`no convergence after 6 passes:\n${last}`);
}

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`sync convergence on ${backend}`, { timeout: 600_000 }, () => {
    const seed = Number(process.env.SYNC_SEED ?? Math.floor(Math.random() * 1e9));
    const rng = random(seed);
    let server: SyncServer;
    let clients: SyncClient[];

    beforeAll(async () => {
      console.log(`sync convergence on ${backend}: seed ${seed} (SYNC_SEED=${seed} repeats this run)`);
      server = await startSyncServer(backend === 'postgres' ? { DATABASE_URL: await freshPostgresUrl() } : {});
      // Every client that started is closed after the test, even when another failed to start.
      const started = await Promise.allSettled([
        startClient('a', server),
        startClient('b', server),
        startClient('c', server, { SIMULATED_CLOCK_SKEW_MS: String(2 * 24 * 60 * 60_000) }),
      ]);
      clients = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    }, 120_000);
    afterAll(async () => {
      await Promise.all((clients ?? []).map((client) => client.close()));
      await server?.close();
    });

    it('converges after random offline edits, and loses no edit', async () => {
      // Shared records every client knows.
      const [first] = clients;
      for (let i = 0; i < 4; i++) {
        const learner = (await first!.call<Doc>('learner.create', { first_name: `Shared${i}`, last_name: 'Learner', email_address: `shared${i}.${seed}@example.org` })).body.data!;
        await first!.call('learnerProfile.create', learner.uuid, { learning_goals: ['Teamwork'] });
      }
      let state = await converge(server, clients);
      let counter = 0;
      // client → "collection/uuid/field" → the value it wrote last
      let ledger = new Map<string, Map<string, unknown>>();
      const note = (client: SyncClient, key: string, value: unknown) => {
        if (!ledger.has(client.name)) ledger.set(client.name, new Map());
        ledger.get(client.name)!.set(key, value);
      };
      // "key = value": values some client had in front of it when it wrote a new one (overwritten knowingly).
      const seen = new Set<string>();
      const current = async (client: SyncClient, learnerId: string, field: string, profile: boolean) => {
        const result = profile ? await client.call<Doc>('learnerProfile.getByLearner', learnerId) : await client.call<Doc>('learner.get', learnerId);
        return result.body.data?.[field];
      };
      // Edits are made offline, as a counselor in the field makes them, and after any pull in flight has landed:
      // then the value read just before the edit is the one the edit replaces.
      const goOffline = async (client: SyncClient) => {
        if (client.proxy.online) {
          client.proxy.setOnline(false);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      const edit = async (client: SyncClient, learnerId: string, field: string, value: unknown, profile: boolean, key: string) => {
        await goOffline(client);
        seen.add(`${key}=${JSON.stringify(await current(client, learnerId, field, profile))}`);
        const body = { [field]: value };
        const result = profile ? await client.call('learnerProfile.updateByLearner', learnerId, body) : await client.call('learner.update', learnerId, body);
        if (result.status === 200) note(client, key, value);
      };
      const TRACKED = { learner: ['city', 'preferred_name'], profile: ['personal_goals', 'tagged_skills'] };
      /** What a deletion knowingly takes away: the values the deleting client has in front of it. */
      const seeBeforeDeleting = async (client: SyncClient, learnerId: string, withLearner: boolean) => {
        if (withLearner) for (const field of TRACKED.learner) seen.add(`learners/${learnerId}/${field}=${JSON.stringify(await current(client, learnerId, field, false))}`);
        for (const field of TRACKED.profile) seen.add(`profile-of/${learnerId}/${field}=${JSON.stringify(await current(client, learnerId, field, true))}`);
      };

      for (let round = 0; round < ROUNDS; round++) {
        ledger = new Map();
        for (const client of clients) client.proxy.setOnline(rng.chance(0.5));
        for (let step = 0; step < EDITS_PER_CLIENT; step++) {
          for (const client of clients) {
            if (rng.chance(0.25)) client.proxy.setOnline(!client.proxy.online);
            const learner = rng.pick(state.learners);
            const tag = `${client.name}-${round}-${counter++}`;
            const action = rng.int(9);
            if (action === 0) await edit(client, learner.uuid, 'city', `City ${tag}`, false, `learners/${learner.uuid}/city`);
            else if (action === 1) await edit(client, learner.uuid, 'personal_goals', `Goal ${tag}`, true, `profile-of/${learner.uuid}/personal_goals`);
            else if (action === 2) await edit(client, learner.uuid, 'tagged_skills', [`skill ${tag}`], true, `profile-of/${learner.uuid}/tagged_skills`);
            else if (action === 3) await client.call('learner.create', { first_name: `New ${tag}`, last_name: 'Learner', email_address: `new.${tag}.${seed}@example.org` });
            else if (action === 4) await edit(client, learner.uuid, 'preferred_name', `Pref ${tag}`, false, `learners/${learner.uuid}/preferred_name`);
            else if (action === 5) {
              await goOffline(client);
              await seeBeforeDeleting(client, learner.uuid, false);
              await client.call('learnerProfile.delete', learner.uuid);
            } else if (action === 6) {
              // Created again where this client sees it deleted (or never had one): fresh values, all of them edits.
              await goOffline(client);
              const created = await client.call('learnerProfile.create', learner.uuid, { personal_goals: `Again ${tag}` });
              if (created.status === 200) {
                note(client, `profile-of/${learner.uuid}/personal_goals`, `Again ${tag}`);
                note(client, `profile-of/${learner.uuid}/tagged_skills`, []);
              }
            } else if (action === 7 && rng.chance(0.3)) {
              await goOffline(client);
              await seeBeforeDeleting(client, learner.uuid, true);
              await client.call('learner.delete', learner.uuid);
            } else await edit(client, learner.uuid, 'city', `City ${tag}`, false, `learners/${learner.uuid}/city`);
          }
        }
        for (const client of clients) client.proxy.setOnline(true);
        state = await converge(server, clients);

        // The conflict log replicates: every client holds the same entries.
        // Entries written by the last merges may still be on their way (they replicate like any record): a few more
        // cycles carry them.
        const logsOf = () => Promise.all(clients.map(async (client) => (await client.conflicts()).map((c) => c.id).sort()));
        await expect
          .poll(async () => {
            for (const client of clients) await client.call('sync.now');
            return new Set((await logsOf()).map((log) => log.join())).size;
          }, { timeout: 30_000, interval: 250 })
          .toBe(1);
        const logs = await logsOf();
        for (const log of logs) expect(log, `seed ${seed}, round ${round}: conflict logs differ`).toEqual(logs[0]);
        const conflicts = await clients[0]!.conflicts();
        const profileOf = new Map(state.profiles.map((p) => [p.learner_id as string, p]));
        for (const [clientName, edits] of ledger) {
          for (const [key, value] of edits) {
            const [kind, id, field] = key.split('/') as [string, string, string];
            const doc = kind === 'learners' ? state.learners.find((l) => l.uuid === id) : profileOf.get(id);
            const inFinal = isEqual(doc?.[field], value);
            const recordId = kind === 'learners' ? id : profileUuidFor(id);
            const inLog = conflicts.some((c) => c.recordId === recordId && c.field === field && (isEqual(c.lost, value) || isEqual(c.kept, value)));
            const overwritten = seen.has(`${key}=${JSON.stringify(value)}`);
            expect(inFinal || inLog || overwritten, `seed ${seed}, round ${round}: ${clientName}'s ${key} = ${JSON.stringify(value)} was lost`).toBe(true);
          }
        }
      }
      // Nothing is left waiting on any client.
      for (const client of clients) {
        const status = (await client.call<{ pending: number; rejected: number; state: string }>('sync.status')).body.data!;
        expect(status, `seed ${seed}: ${client.name}`).toMatchObject({ pending: 0, rejected: 0, state: 'idle' });
      }
    });
  });
}
