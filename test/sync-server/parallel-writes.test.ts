// Writers of different learners do not wait for each other, and a reader paging with its checkpoint never skips a
// change, however their transactions overlap and in whatever order they commit (../../server/sync/changes.ts).
// On PostgreSQL only: PGlite has one connection, so its transactions never overlap.
import { describe, expect, inject, it } from 'vitest';
import Fastify from 'fastify';
import pg from 'pg';
import type { Database, Sql } from '../../server/db/database';
import { registerAccess } from '../../server/access';
import { createPostgresRepository, putDocument, type ServerWriteStore } from '../../server/repository';
import { pullChanges } from '../../server/sync/changes';
import { registerSync } from '../../server/sync/routes';
import { createTokenVerifier } from '../../server/tokens';
import { learnerLock } from '../../shared/service/locks';
import type { StoredProfile } from '../../shared/schemas/profile';
import { RESYNC, type ChangeBatch, type SyncCheckpoint } from '../../shared/sync-protocol';
import { backends } from '../support/backends';
import { edited, insertRow, isAfter, learnerDoc, legacyCheckpoint, nextBatch, openStream, profileDoc, stored, updateRow, useSyncHost } from './support';

const postgres = backends.find((backend) => backend.name === 'postgres')!;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A transaction that does `work` and then stays open, uncommitted, until `commit()` is called; `written` resolves
 * once `work` is done (and rejects if it failed).
 */
function heldOpen(run: (work: () => Promise<void>) => Promise<unknown>, work: () => Promise<void>) {
  const written = deferred();
  const release = deferred();
  const done = run(async () => {
    await work();
    written.resolve();
    await release.promise;
  });
  done.catch(written.reject);
  return {
    written: written.promise,
    commit: async () => {
      release.resolve();
      await done;
    },
  };
}

/** The repository's own write path, as a REST write takes it (the learner's lock, then the write), held open. */
function heldTransaction(db: Database, learnerId: string, write: (tx: ServerWriteStore) => Promise<void>) {
  let store: ServerWriteStore | undefined;
  return heldOpen(
    (work) =>
      createPostgresRepository(db).transaction(async (tx) => {
        store = tx as ServerWriteStore;
        await work();
      }),
    async () => {
      await store!.lock(learnerLock(learnerId));
      await write(store!);
    },
  );
}

const ids = (batch: { documents: Record<string, unknown>[] }) => batch.documents.map((doc) => doc.uuid as string);

describe('parallel writes and pulls on postgres', () => {
  const context = useSyncHost(postgres);

  /** A learner and their profile, on the server. */
  const learnerWithProfile = async () => {
    const learner = learnerDoc();
    const profile = profileDoc(learner.uuid);
    expect((await context.sync.push('learners', [insertRow(learner)])).body).toEqual({ conflicts: [], rejected: [] });
    expect((await context.sync.push('learner_profiles', [insertRow(profile)])).body).toEqual({ conflicts: [], rejected: [] });
    return { learner, profile };
  };

  it("stores one learner's write while another learner's is still open, and pulls neither past the open one", async () => {
    const one = await learnerWithProfile();
    const two = await learnerWithProfile();
    const start = (await context.sync.pullAll('learner_profiles')).checkpoint;
    const events: string[] = [];

    const first = edited(one.profile, { personal_goals: 'Held open' });
    const open = heldTransaction(context.host.db, one.learner.uuid, (tx) => tx.putProfile(first as StoredProfile));
    await open.written;
    events.push('first written, open');

    // Another learner's profile, through push, and another learner's record through REST: neither waits.
    const second = edited(two.profile, { personal_goals: 'Committed meanwhile' });
    expect((await context.sync.push('learner_profiles', [updateRow(two.profile, second)])).body).toEqual({ conflicts: [], rejected: [] });
    expect((await context.host.call('learner.update', two.learner.uuid, { city: 'Lyon' })).status).toBe(200);
    events.push('second stored');

    // The second write committed, but the first, which took its transaction id before it, may still commit before
    // it in the order of changes: a pull must not hand out the second and move its checkpoint past the first. (Read
    // here without pull's wait for held-back changes, so that this transaction, which holds back every database's
    // changes on this PostgreSQL server, stays open only briefly.)
    const during = await pullChanges(context.host.db, 'learner_profiles', { ...start, generation: start.generation ?? 0 }, 100, undefined, 0);
    expect(during.documents).toEqual([]);
    expect(during.checkpoint).toEqual(start);

    await open.commit();
    events.push('first committed');
    const after = await context.sync.pullAll('learner_profiles', during.checkpoint);
    expect(after.documents.map(stored)).toEqual([first, second]);
    expect(events).toEqual(['first written, open', 'second stored', 'first committed']);
  });

  it("still queues writes of one learner: one that waited for the learner's lock reads what the holder committed", async () => {
    const db = context.host.db;
    const { learner } = await learnerWithProfile();
    const open = heldTransaction(db, learner.uuid, (tx) => tx.putLearner(edited(learner, { city: 'Held' })));
    await open.written;
    // A REST edit of another field of the same learner: it waits for the learner's lock, taken in the same round
    // trip as its first read (../../server/repository.ts), and must read the held write once that commits.
    const waiting = context.host.call('learner.update', learner.uuid, { first_name: 'Waited' });
    const waiters = async () =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`))[0]!.n);
    while ((await waiters()) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await open.commit();
    expect((await waiting).status).toBe(200);
    expect((await context.host.call('learner.get', learner.uuid)).body.data).toMatchObject({ city: 'Held', first_name: 'Waited' });
  });

  it('hands out a change whose transaction took its id first, though its seq is the later one', async () => {
    const db = context.host.db;
    const start = (await context.sync.pullAll('learners')).checkpoint;
    const early = learnerDoc({ first_name: 'Early' });
    const late = learnerDoc({ first_name: 'Late' });
    const seqs = { early: 0, late: 0 };

    // "early" takes its transaction id now and writes later; "late" takes its id after it, writes first, and stays
    // open. So early's seq is higher, its transaction id lower.
    const idTaken = deferred();
    const writeNow = deferred();
    const earlyDone = db.transaction(async (sql: Sql) => {
      await sql.query('SELECT pg_current_xact_id()');
      idTaken.resolve();
      await writeNow.promise;
      seqs.early = await putDocument(sql, 'learners', early.uuid, early);
    });
    earlyDone.catch(idTaken.reject);
    await idTaken.promise;
    const lateOpen = heldOpen(
      (work) =>
        db.transaction(async (sql) => {
          seqs.late = await putDocument(sql, 'learners', late.uuid, late);
          await work();
        }),
      () => Promise.resolve(),
    );
    await lateOpen.written;
    writeNow.resolve();
    await earlyDone;
    expect(seqs.early).toBeGreaterThan(seqs.late);

    // "early" is committed and nothing older is open: a reader gets it, while "late" is still open.
    let checkpoint: SyncCheckpoint = start;
    const seen: string[] = [];
    while (!seen.includes(early.uuid)) {
      const page = await context.sync.pull('learners', checkpoint);
      seen.push(...ids(page.body));
      checkpoint = page.body.checkpoint;
    }
    expect(seen).toEqual([early.uuid]);

    // Then "late" commits, with the lower seq: it still comes, after the checkpoint the reader already holds.
    await lateOpen.commit();
    const rest = await context.sync.pullAll('learners', checkpoint);
    expect(ids(rest)).toEqual([late.uuid]);
    expect(isAfter(rest.checkpoint, checkpoint)).toBe(true);
  });

  it('never lets a reader paging with its checkpoint skip a change, while many writers overlap', async () => {
    const db = context.host.db;
    const start = (await context.sync.pullAll('learners')).checkpoint;
    const WRITERS = 6;
    const WRITES = 12;
    const written: string[] = [];
    let writing = true;

    // Each write is a new learner, so no change hides another: the reader must see every one, once. A third go
    // through the push route; the others are transactions of the repository's write that take their transaction id,
    // wait, write, and wait again before they commit, for different times: so transactions commit in another order
    // than they took their ids, and than they took their seqs.
    const pause = (sql: Sql, fifths: number) => sql.query('SELECT pg_sleep($1)', [(fifths % 5) * 0.004]);
    const writer = async (w: number) => {
      for (let i = 0; i < WRITES; i++) {
        const doc = learnerDoc({ first_name: `W${w}`, last_name: `N${i}` });
        if ((w + i) % 3 === 0) {
          expect((await context.sync.push('learners', [insertRow(doc)])).body).toEqual({ conflicts: [], rejected: [] });
        } else {
          await db.transaction(async (sql) => {
            await sql.query('SELECT pg_current_xact_id()');
            await pause(sql, w * 3 + i * 2);
            await putDocument(sql, 'learners', doc.uuid, doc);
            await pause(sql, w * 2 + i * 3 + 1);
          });
        }
        written.push(doc.uuid);
      }
    };

    // Two readers: a current build's, and one from before positions named their transaction (legacy checkpoints,
    // which must keep the shape such a build accepts).
    const reader = (pull: (checkpoint: SyncCheckpoint) => Promise<{ status: number; body: ChangeBatch }>, initial: SyncCheckpoint) => {
      const seen: string[] = [];
      let checkpoint = initial;
      const pullOnce = async () => {
        const page = await pull(checkpoint);
        expect(page.status).toBe(200);
        seen.push(...ids(page.body));
        checkpoint = page.body.checkpoint;
        return page.body.documents.length;
      };
      const run = async () => {
        while (writing) if ((await pullOnce()) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
        while ((await pullOnce()) > 0);
        return seen;
      };
      return run();
    };
    const current = reader(async (checkpoint) => {
      const page = await context.sync.pull('learners', checkpoint, 7);
      if (page.body.documents.length > 0) expect(isAfter(page.body.checkpoint, checkpoint)).toBe(true);
      return page;
    }, start);
    const legacyStart = (await context.sync.pullLegacy('learners', { seq: 0 }, 1000)).body.checkpoint;
    const legacy = reader(async (checkpoint) => {
      const page = await context.sync.pullLegacy('learners', checkpoint, 5);
      expect(legacyCheckpoint.safeParse(page.body.checkpoint).success).toBe(true);
      return page;
    }, legacyStart);

    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    const [seen, seenByLegacy] = await Promise.all([current, legacy]);

    expect(written).toHaveLength(WRITERS * WRITES);
    expect([...seen].sort()).toEqual([...written].sort());
    expect([...seenByLegacy].sort()).toEqual([...written].sort());
  });

  /**
   * The sync routes alone on this database, whose streams' timed re-read is far beyond any test: what they stream
   * comes from notifications, or from the feed's own re-reads of held-back changes.
   */
  const untimedStreams = async () => {
    const app = Fastify();
    const tokens = await createTokenVerifier(context.host.db);
    await registerAccess(app, tokens);
    app.addHook('onClose', () => tokens.close());
    await registerSync(app, context.host.db, tokens, { checkMs: 600_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return { app, open: (collection: string) => openStream(`${baseUrl}/sync/v1/${collection}/stream`, context.host.token) };
  };

  it('streams what another client of the database writes (a script), which the trigger announces', async () => {
    const { learner } = await learnerWithProfile();
    const streams = await untimedStreams();
    const stream = await streams.open('learners');
    const [row] = await context.host.db.query<{ name: string }>('SELECT current_database() AS name');
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${row!.name}`;
    const script = new pg.Client({ connectionString: url.toString() });
    await script.connect();
    try {
      // The server's own connections leave announcing to the server, after commit (../../server/db/database.ts).
      expect(await context.host.db.query(`SELECT current_setting('app.sync_notify', true) AS setting`)).toEqual([{ setting: 'off' }]);
      expect(await stream.next()).toBe(RESYNC);
      await script.query(`UPDATE learners SET doc = jsonb_set(doc, '{city}', '"Scripted"'), seq = nextval('learners_seq') WHERE uuid = $1`, [learner.uuid]);
      expect((await nextBatch(stream)).documents).toEqual([expect.objectContaining({ uuid: learner.uuid, city: 'Scripted' })]);
    } finally {
      stream.close();
      await script.end();
      await streams.app.close();
    }
  });

  it('streams a change held back by an older transaction once that one ends, in order, with no notice on its channel', async () => {
    const db = context.host.db;
    const streams = await untimedStreams();
    const stream = await streams.open('learner_profiles');
    try {
      expect(await stream.next()).toBe(RESYNC);
      const one = await learnerWithProfile();
      const two = await learnerWithProfile();
      const streamed: string[] = [];
      const batches: ChangeBatch[] = [];
      const until = async (uuid: string, personalGoals: string) => {
        for (;;) {
          const batch = await nextBatch(stream);
          batches.push(batch);
          streamed.push(...batch.documents.map((doc) => `${doc.uuid}:${doc.personal_goals}`));
          if (streamed.includes(`${uuid}:${personalGoals}`)) return;
        }
      };
      await until(two.profile.uuid, two.profile.personal_goals);

      // Same collection: the open write is streamed first, then the one committed while it was open.
      const first = edited(one.profile, { personal_goals: 'Open first' });
      const open = heldTransaction(db, one.learner.uuid, (tx) => tx.putProfile(first as StoredProfile));
      await open.written;
      const second = edited(two.profile, { personal_goals: 'Committed second' });
      expect((await context.sync.push('learner_profiles', [updateRow(two.profile, second)])).body).toEqual({ conflicts: [], rejected: [] });
      await open.commit();
      const mark = streamed.length;
      await until(two.profile.uuid, 'Committed second');
      expect(streamed.slice(mark)).toEqual([`${one.profile.uuid}:Open first`, `${two.profile.uuid}:Committed second`]);

      // Another collection: the open transaction writes a learner, so its commit says nothing on the profiles'
      // channel; the held-back profile still comes.
      const learnerOpen = heldTransaction(db, one.learner.uuid, (tx) => tx.putLearner(edited(one.learner, { city: 'Held' })));
      await learnerOpen.written;
      const third = edited(second, { personal_goals: 'Behind a learner' });
      expect((await context.sync.push('learner_profiles', [updateRow(second, third)])).body).toEqual({ conflicts: [], rejected: [] });
      await learnerOpen.commit();
      await until(two.profile.uuid, 'Behind a learner');
      for (let i = 1; i < batches.length; i++) expect(isAfter(batches[i]!.checkpoint, batches[i - 1]!.checkpoint)).toBe(true);
    } finally {
      stream.close();
      await streams.app.close();
    }
  });
});
