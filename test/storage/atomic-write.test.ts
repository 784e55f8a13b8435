/**
 * Writes across collections of one database: one SQLite transaction and one
 * fsync, all or nothing, with each collection's change events as after a
 * bulkWrite, so RxDB's collections see the writes.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { createRevision, createRxDatabase, now } from 'rxdb';
import type { RxCollection, RxDatabase, RxDocumentData } from 'rxdb';
import { bulkWriteAcrossCollections, getRxStorageSqliteInThread, getRxStorageSqliteNode } from '../../electron/storage';
import { encryptionModes, filledLearnerSchema, learnerSchema, makeTempDirectory, newDocument, openInstance } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

const fsyncs = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fsync = (fd: number, done: (error: NodeJS.ErrnoException | null) => void): void => {
    fsyncs.count++;
    fs.fsync(fd, done);
  };
  return { ...fs, default: { ...fs, fsync }, fsync };
});

let directory: ReturnType<typeof makeTempDirectory>;
beforeEach(() => {
  directory = makeTempDirectory('rx-sqlite-atomic-');
});
afterEach(() => directory.remove());

const learner = (id: string, age = 30): Learner => ({ id, name: `n-${id}`, age, archived: false });

test.each(encryptionModes)('$mode: one transaction across collections; a conflict anywhere writes nothing', async ({ encryptionKey }) => {
  const storage = getRxStorageSqliteNode({ directory: directory.path, encryptionKey });
  const learners = await openInstance<Learner>(storage, 'school', filledLearnerSchema, 'learners');
  const tutors = await openInstance<Learner>(storage, 'school', filledLearnerSchema, 'tutors');
  try {
    const ada = newDocument(learner('ada'));
    await learners.bulkWrite([{ document: ada }], 'seed');

    const events: string[] = [];
    const subscriptions = [learners, tutors].map((instance) =>
      instance.changeStream().subscribe((bulk) => events.push(`${instance.collectionName}:${bulk.context}:${bulk.events.map((e) => e.operation + ' ' + e.documentId).join(',')}`)),
    );
    const adaNext = newDocument(learner('ada', 31), ada);
    const result = await bulkWriteAcrossCollections(
      [
        { instance: learners, rows: [{ previous: ada, document: adaNext }, { document: newDocument(learner('bob')) }] },
        { instance: tutors, rows: [{ document: newDocument(learner('tia')) }] },
      ],
      'across',
    );
    expect(result).toEqual({ written: true, errors: [[], []] });
    expect(events).toEqual(['learners:across:UPDATE ada,INSERT bob', 'tutors:across:INSERT tia']);

    // ada's stored revision is now adaNext's: a row made from the old one is a conflict, and nothing is written.
    const stale = newDocument(learner('ada', 99), ada);
    const refused = await bulkWriteAcrossCollections(
      [
        { instance: tutors, rows: [{ document: newDocument(learner('tom')) }] },
        { instance: learners, rows: [{ previous: ada, document: stale }, { document: newDocument(learner('cy')) }] },
      ],
      'refused',
    );
    expect(refused.written).toBe(false);
    expect(refused.errors[0]).toEqual([]);
    expect(refused.errors[1]?.map((e) => [e.documentId, e.status])).toEqual([['ada', 409]]);
    expect((refused.errors[1]?.[0] as { documentInDb: RxDocumentData<Learner> }).documentInDb).toEqual(adaNext);
    expect(await tutors.findDocumentsById(['tia', 'tom'], true)).toHaveLength(1);
    expect((await learners.findDocumentsById(['ada', 'bob', 'cy'], true)).map((d) => [d.id, d.age])).toEqual([['ada', 31], ['bob', 30]]);
    expect(events).toHaveLength(2);
    subscriptions.forEach((s) => s.unsubscribe());
  } finally {
    await learners.close();
    await tutors.close();
  }
});

test('a row SQLite rejects rolls back the rows of every collection before it', async () => {
  const storage = getRxStorageSqliteNode({ directory: directory.path });
  const learners = await openInstance<Learner>(storage, 'school', filledLearnerSchema, 'learners');
  const tutors = await openInstance<Learner>(storage, 'school', filledLearnerSchema, 'tutors');
  try {
    // NaN binds as NULL and breaks a NOT NULL column, after the learners' rows were written in the transaction.
    const broken = { ...newDocument(learner('tia')), _meta: { lwt: Number.NaN } };
    await expect(
      bulkWriteAcrossCollections([{ instance: learners, rows: [{ document: newDocument(learner('ada')) }] }, { instance: tutors, rows: [{ document: broken }] }], 'broken'),
    ).rejects.toThrow(/NOT NULL/);
    expect(await learners.findDocumentsById(['ada'], true)).toEqual([]);
  } finally {
    await learners.close();
    await tutors.close();
  }
});

test('is made durable by one fsync for all its collections', async () => {
  // On the test's thread, where the fsync mock reaches.
  const storage = getRxStorageSqliteInThread({ directory: directory.path });
  const instances = await Promise.all(['a', 'b', 'c'].map((name) => openInstance<Learner>(storage, 'school', filledLearnerSchema, name)));
  try {
    await instances[0]!.bulkWrite([{ document: newDocument(learner('warm')) }], 'warm-up');
    const before = fsyncs.count;
    const result = await bulkWriteAcrossCollections(
      instances.map((instance, i) => ({ instance, rows: [{ document: newDocument(learner(`x${i}`)) }, { document: newDocument(learner(`y${i}`)) }] })),
      'across',
    );
    expect(result.written).toBe(true);
    expect(fsyncs.count - before).toBe(1);
  } finally {
    for (const instance of instances) await instance.close();
  }
});

test('RxDB collections see the writes: documents, caches and collection.$', async () => {
  type Collections = { learners: RxCollection<Learner>; tutors: RxCollection<Learner> };
  const db: RxDatabase<Collections> = await createRxDatabase<Collections>({
    name: 'school',
    storage: getRxStorageSqliteNode({ directory: directory.path }),
    multiInstance: false,
  });
  try {
    await db.addCollections({ learners: { schema: learnerSchema }, tutors: { schema: learnerSchema } });
    const ada = await db.learners.insert(learner('ada'));
    const stored = ada.toMutableJSON(true) as RxDocumentData<Learner>;
    const seenTia = firstValueFrom(db.tutors.$.pipe(filter((event) => event.documentId === 'tia')));
    const time = now();
    const result = await bulkWriteAcrossCollections(
      [
        { instance: db.learners.storageInstance, rows: [{ previous: stored, document: { ...stored, age: 44, _rev: createRevision(db.token, stored), _meta: { lwt: time } } }] },
        { instance: db.tutors.storageInstance, rows: [{ document: { ...learner('tia'), _deleted: false, _attachments: {}, _rev: createRevision(db.token), _meta: { lwt: time } } }] },
      ],
      'across',
    );
    expect(result.written).toBe(true);
    expect((await seenTia).operation).toBe('INSERT');
    expect(ada.getLatest().age).toBe(44);
    expect((await db.learners.findOne('ada').exec())?.age).toBe(44);
    expect((await db.tutors.find().exec()).map((d) => d.id)).toEqual(['tia']);
  } finally {
    await db.close();
  }
});
