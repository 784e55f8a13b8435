/**
 * A full RxDatabase on the SQLite storage, replicating with RxDB's
 * replicateRxCollection against an in-process master that behaves like a
 * server: a server-assigned sequence as checkpoint, a change stream, and
 * conflict detection on push. Documents flow both ways, deletes too, and a
 * conflicting offline edit is merged by the collection's conflict handler.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Subject } from 'rxjs';
import { addRxPlugin, createRxDatabase, deepEqual } from 'rxdb';
import type {
  RxCollection,
  RxConflictHandler,
  RxDatabase,
  RxReplicationPullStreamItem,
  RxReplicationWriteToMasterRow,
  WithDeleted,
} from 'rxdb';
import { disableWarnings, RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { wrappedValidateZSchemaStorage } from 'rxdb/plugins/validate-z-schema';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { learnerSchema, makeTempDirectory } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

// Dev-mode adds RxDB's own checks on top (schema rules, frozen documents from the storage).
disableWarnings();
addRxPlugin(RxDBDevModePlugin);

type Checkpoint = { seq: number };

/** The server side: documents with a sequence number each, newest write wins unless the writer assumed stale state. */
class Master {
  private readonly docs = new Map<string, { doc: WithDeleted<Learner>; seq: number }>();
  private seq = 0;
  readonly stream$ = new Subject<RxReplicationPullStreamItem<Learner, Checkpoint>>();
  readonly pulledFrom: number[] = [];
  conflicts = 0;

  /** A write made on the server, e.g. by another device; `announce: false` simulates a client that is offline. */
  write(doc: WithDeleted<Learner>, announce = true): void {
    const seq = ++this.seq;
    this.docs.set(doc.id, { doc, seq });
    if (announce) this.stream$.next({ documents: [doc], checkpoint: { seq } });
  }

  get(id: string): WithDeleted<Learner> | undefined {
    return this.docs.get(id)?.doc;
  }

  async pull(checkpoint: Checkpoint | undefined, batchSize: number) {
    const from = checkpoint?.seq ?? 0;
    this.pulledFrom.push(from);
    const rows = [...this.docs.values()].filter((r) => r.seq > from).sort((a, b) => a.seq - b.seq).slice(0, batchSize);
    const last = rows[rows.length - 1];
    return { documents: rows.map((r) => r.doc), checkpoint: last ? { seq: last.seq } : { seq: from } };
  }

  async push(rows: RxReplicationWriteToMasterRow<Learner>[]): Promise<WithDeleted<Learner>[]> {
    const conflicts: WithDeleted<Learner>[] = [];
    for (const row of rows) {
      const current = this.get(row.newDocumentState.id);
      if (current && !deepEqual(current, row.assumedMasterState)) {
        this.conflicts++;
        conflicts.push(current);
      } else {
        this.write(row.newDocumentState);
      }
    }
    return conflicts;
  }
}

/** Keeps the server's name, the higher age and the client's note: a field-level merge, not "last write wins". */
const mergeConflicts: RxConflictHandler<Learner> = {
  isEqual: (a, b) => deepEqual(a, b),
  resolve: async ({ newDocumentState, realMasterState }) => {
    const merged: WithDeleted<Learner> = {
      ...realMasterState,
      age: Math.max(newDocumentState.age, realMasterState.age),
    };
    const note = newDocumentState.note ?? realMasterState.note;
    if (note !== undefined) merged.note = note;
    return merged;
  },
};

let directory: ReturnType<typeof makeTempDirectory>;
let master: Master;
let database: RxDatabase<{ learners: RxCollection<Learner> }> | undefined;
let replication: RxReplicationState<Learner, Checkpoint> | undefined;
let replicationErrors: unknown[] = [];

beforeEach(() => {
  directory = makeTempDirectory();
  master = new Master();
  replicationErrors = [];
});

afterEach(async () => {
  await replication?.cancel();
  await database?.close();
  directory.remove();
  expect(replicationErrors).toEqual([]);
});

async function openClient(): Promise<RxCollection<Learner>> {
  database = await createRxDatabase<{ learners: RxCollection<Learner> }>({
    name: 'client',
    storage: wrappedValidateZSchemaStorage({ storage: getRxStorageSqliteNode({ directory: directory.path }) }),
    multiInstance: false,
  });
  await database.addCollections({ learners: { schema: learnerSchema, conflictHandler: mergeConflicts } });
  return database.learners;
}

function replicate(collection: RxCollection<Learner>): RxReplicationState<Learner, Checkpoint> {
  replication = replicateRxCollection<Learner, Checkpoint>({
    collection,
    replicationIdentifier: 'in-process-master',
    live: true,
    waitForLeadership: false,
    pull: { handler: (checkpoint, batchSize) => master.pull(checkpoint, batchSize), stream$: master.stream$.asObservable() },
    push: { handler: (rows) => master.push(rows) },
  });
  replication.error$.subscribe((error) => replicationErrors.push(error));
  return replication;
}

async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}

test('documents and deletes flow both ways between the SQLite-backed client and the master', async () => {
  master.write({ id: 'old', name: 'Old', age: 70, archived: true, _deleted: false });
  const learners = await openClient();
  const state = replicate(learners);
  await state.awaitInitialReplication();
  expect((await learners.findOne('old').exec())?.toJSON()).toMatchObject({ name: 'Old', age: 70 });

  // client → master
  await learners.insert({ id: 'ada', name: 'Ada', age: 36, archived: false, note: 'maths' });
  await state.awaitInSync();
  expect(master.get('ada')).toEqual({ id: 'ada', name: 'Ada', age: 36, archived: false, note: 'maths', _deleted: false });

  // master → client, through the live stream
  master.write({ id: 'bob', name: 'Bob', age: 21, archived: false, _deleted: false });
  await until(async () => (await learners.findOne('bob').exec()) !== null);

  // deletes, both ways
  await (await learners.findOne('ada').exec())!.remove();
  await state.awaitInSync();
  expect(master.get('ada')?._deleted).toBe(true);
  master.write({ ...master.get('bob')!, _deleted: true });
  await until(async () => (await learners.findOne('bob').exec()) === null);

  expect((await learners.find().exec()).map((d) => d.id)).toEqual(['old']);
});

test('an offline edit that conflicts with the master is merged by the conflict handler on both sides', async () => {
  const learners = await openClient();
  let state = replicate(learners);
  await learners.insert({ id: 'cy', name: 'Cy', age: 58, archived: false });
  await state.awaitInSync();

  // Offline: the client and another device change the same learner.
  await state.cancel();
  await (await learners.findOne('cy').exec())!.incrementalPatch({ age: 59, note: 'moved to Swansea' });
  master.write({ id: 'cy', name: 'Cy Jones', age: 60, archived: false, _deleted: false }, false);

  state = replicate(learners);
  await state.awaitInSync();
  await until(() => master.get('cy')?.note !== undefined);

  const expected = { id: 'cy', name: 'Cy Jones', age: 60, archived: false, note: 'moved to Swansea' };
  expect(master.conflicts).toBeGreaterThan(0);
  expect(master.get('cy')).toEqual({ ...expected, _deleted: false });
  expect((await learners.findOne('cy').exec())?.toJSON()).toMatchObject(expected);
});

test('after a restart the client keeps its data and resumes pulling from the stored checkpoint', async () => {
  let learners = await openClient();
  replicate(learners);
  for (let i = 0; i < 5; i++) master.write({ id: `m${i}`, name: `M${i}`, age: 20 + i, archived: false, _deleted: false });
  await replication!.awaitInitialReplication();
  await until(async () => (await learners.count().exec()) === 5);
  await replication!.cancel();
  await database!.close();

  master.write({ id: 'm5', name: 'M5', age: 25, archived: false, _deleted: false }, false);
  master.pulledFrom.length = 0;
  learners = await openClient();
  expect(await learners.count().exec()).toBe(5);
  const state = replicate(learners);
  await state.awaitInSync();
  await until(async () => (await learners.count().exec()) === 6);
  // Resumed after the five documents it already had, not from the beginning.
  expect(master.pulledFrom[0]).toBe(5);
});
