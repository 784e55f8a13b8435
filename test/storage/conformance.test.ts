/**
 * Conformance of the SQLite storage with RxDB's RxStorageInstance contract:
 * every method, conflicts, tombstones, change events, checkpoints, cleanup and
 * the lifecycle of files.
 */
import { existsSync, readdirSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { firstValueFrom } from 'rxjs';
import { filter, take, toArray } from 'rxjs/operators';
import { fillWithDefaultSettings, now } from 'rxdb';
import type { EventBulk, RxDocumentData, RxStorageInstance, RxStorageWriteErrorConflict } from 'rxdb';
import { getRxStorageSqliteInThread, getRxStorageSqliteNode, nodeSqliteDriver } from '../../electron/storage';
import type { SqliteDriver } from '../../electron/storage';
import {
  encryptionModes,
  filledLearnerSchema,
  learnerSchema,
  makeTempDirectory,
  newDocument,
  openInstance,
  prepared,
} from './storage-fixtures';
import type { Learner } from './storage-fixtures';

type Instance = RxStorageInstance<Learner, any, any, any>;

describe.each(encryptionModes)('$mode', ({ encryptionKey }) => {
  let directory: ReturnType<typeof makeTempDirectory>;
  let open: Instance[] = [];

  beforeEach(() => {
    directory = makeTempDirectory();
  });

  afterEach(async () => {
    for (const instance of open.splice(0)) await instance.close();
    directory.remove();
  });

  async function openLearners(databaseName = 'school', collectionName = 'learners'): Promise<Instance> {
    const instance = await openInstance<Learner>(
      getRxStorageSqliteNode({ directory: directory.path, encryptionKey }),
      databaseName,
      filledLearnerSchema,
      collectionName,
    );
    open.push(instance);
    return instance;
  }

  const ada: Learner = { id: 'ada', name: 'Ada', age: 36, archived: false, note: 'maths' };
  const bob: Learner = { id: 'bob', name: 'Bob', age: 21, archived: true };
  const cy: Learner = { id: 'cy', name: 'Cy', age: 58, archived: false, note: 'welsh' };

  async function insert<const L extends Learner[]>(
    instance: Instance,
    ...learners: L
  ): Promise<{ [K in keyof L]: RxDocumentData<Learner> }> {
    const docs = learners.map((learner) => newDocument(learner));
    const result = await instance.bulkWrite(docs.map((document) => ({ document })), 'test-insert');
    expect(result.error).toEqual([]);
    return docs as { [K in keyof L]: RxDocumentData<Learner> };
  }

  describe('bulkWrite and findDocumentsById', () => {
    test('stores documents and finds them by id, exactly as written', async () => {
      const instance = await openLearners();
      const [adaDoc, bobDoc] = await insert(instance, ada, bob);
      expect(await instance.findDocumentsById(['bob', 'ada', 'nobody'], false)).toEqual([bobDoc, adaDoc]);
    });

    test('inserting an id that exists gives a 409 error row with the document in the database', async () => {
      const instance = await openLearners();
      const [adaDoc] = await insert(instance, ada);
      const again = newDocument({ ...ada, name: 'Other' });
      const result = await instance.bulkWrite([{ document: again }], 'test');
      expect(result.error).toHaveLength(1);
      expect(result.error[0]).toMatchObject({ status: 409, documentId: 'ada', isError: true, documentInDb: adaDoc });
      expect(await instance.findDocumentsById(['ada'], false)).toEqual([adaDoc]);
    });

    test('an update whose previous _rev is not the stored one is a 409 conflict and changes nothing', async () => {
      const instance = await openLearners();
      const [adaDoc] = await insert(instance, ada);
      const first = newDocument({ ...ada, age: 37 }, adaDoc);
      expect((await instance.bulkWrite([{ previous: adaDoc, document: first }], 'test')).error).toEqual([]);

      // A second writer still holding the old revision.
      const stale = newDocument({ ...ada, age: 99 }, adaDoc);
      const result = await instance.bulkWrite([{ previous: adaDoc, document: stale }], 'test');
      expect(result.error).toHaveLength(1);
      expect(result.error[0]?.status).toBe(409);
      expect((result.error[0] as RxStorageWriteErrorConflict<Learner>).documentInDb).toEqual(first);
      expect(result.error[0]?.writeRow.document).toEqual(stale);
      expect(await instance.findDocumentsById(['ada'], false)).toEqual([first]);
    });

    test('in a bulk with conflicts, the other rows are written and only the conflicts are reported', async () => {
      const instance = await openLearners();
      const [adaDoc, bobDoc] = await insert(instance, ada, bob);
      const adaNext = newDocument({ ...ada, note: 'statistics' }, adaDoc);
      const bobWrong = newDocument({ ...bob, age: 22 }, { ...bobDoc, _rev: '1-someoneelse' });
      const cyDoc = newDocument(cy);
      const result = await instance.bulkWrite(
        [
          { previous: adaDoc, document: adaNext },
          { previous: { ...bobDoc, _rev: '1-someoneelse' }, document: bobWrong },
          { document: cyDoc },
        ],
        'test',
      );
      expect(result.error.map((e) => [e.documentId, e.status])).toEqual([['bob', 409]]);
      expect(await instance.findDocumentsById(['ada', 'bob', 'cy'], false)).toEqual([adaNext, bobDoc, cyDoc]);
    });

    test('a bulk is one transaction: when SQLite rejects one row, none of the bulk is stored', async () => {
      const instance = await openLearners();
      const good = newDocument(ada);
      // NaN is not a number SQLite can store (it binds as NULL), so the row breaks a NOT NULL column.
      const broken = { ...newDocument(bob), _meta: { lwt: Number.NaN } };
      await expect(instance.bulkWrite([{ document: good }, { document: broken }], 'test')).rejects.toThrow(/NOT NULL/);
      expect(await instance.findDocumentsById(['ada', 'bob'], true)).toEqual([]);
      // …and the connection is usable afterwards.
      await insert(instance, cy);
      expect(await instance.findDocumentsById(['cy'], false)).toHaveLength(1);
    });

    test('has no document limit: 3,000 documents in one bulk are all stored and counted', async () => {
      const instance = await openLearners();
      const many = Array.from({ length: 3_000 }, (_, i) => ({ id: `l${i}`, name: `n${i % 7}`, age: i % 150, archived: i % 2 === 0 }));
      await insert(instance, ...many);
      const count = await instance.count(prepared(filledLearnerSchema, { selector: { _deleted: { $eq: false } } as never }));
      expect(count.count).toBe(3_000);
      const all = await instance.query(prepared(filledLearnerSchema, { selector: {} }));
      expect(all.documents).toHaveLength(3_000);
    });
  });

  describe('deleted documents', () => {
    test('a deleted document is found only with withDeleted, and drops out of _deleted:false queries', async () => {
      const instance = await openLearners();
      const [adaDoc] = await insert(instance, ada, bob);
      const tombstone = newDocument(ada, adaDoc, true);
      expect((await instance.bulkWrite([{ previous: adaDoc, document: tombstone }], 'test')).error).toEqual([]);

      expect(await instance.findDocumentsById(['ada'], false)).toEqual([]);
      expect(await instance.findDocumentsById(['ada'], true)).toEqual([tombstone]);
      const live = await instance.query(prepared(filledLearnerSchema, { selector: { _deleted: { $eq: false } } as never }));
      expect(live.documents.map((d) => d.id)).toEqual(['bob']);
      // Without a sort, RxDB sorts by the first index, ['_deleted', 'name', 'id']: live documents first.
      const everything = await instance.query(prepared(filledLearnerSchema, { selector: {} }));
      expect(everything.documents.map((d) => d.id)).toEqual(['bob', 'ada']);
    });

    test('an already deleted document can be inserted (as replication does) and revived later', async () => {
      const instance = await openLearners();
      const tombstone = newDocument(cy, undefined, true);
      expect((await instance.bulkWrite([{ document: tombstone }], 'test')).error).toEqual([]);
      expect(await instance.findDocumentsById(['cy'], false)).toEqual([]);

      const revived = newDocument(cy, tombstone);
      const events = firstValueFrom(instance.changeStream());
      expect((await instance.bulkWrite([{ previous: tombstone, document: revived }], 'test')).error).toEqual([]);
      expect((await events).events.map((e) => e.operation)).toEqual(['INSERT']);
      expect(await instance.findDocumentsById(['cy'], false)).toEqual([revived]);
    });
  });

  describe('changeStream', () => {
    test('emits one bulk per bulkWrite with its events, context and the newest document as checkpoint', async () => {
      const instance = await openLearners();
      const bulks: EventBulk<any, any>[] = [];
      const subscription = instance.changeStream().subscribe((bulk) => bulks.push(bulk));

      const [adaDoc, bobDoc] = await insert(instance, ada, bob);
      const adaNext = newDocument({ ...ada, age: 40 }, adaDoc);
      const bobGone = newDocument(bob, bobDoc, true);
      await instance.bulkWrite(
        [
          { previous: adaDoc, document: adaNext },
          { previous: bobDoc, document: bobGone },
        ],
        'second-write',
      );
      subscription.unsubscribe();

      expect(bulks).toHaveLength(2);
      expect(bulks[0]?.context).toBe('test-insert');
      expect(bulks[0]?.events.map((e) => [e.operation, e.documentId])).toEqual([
        ['INSERT', 'ada'],
        ['INSERT', 'bob'],
      ]);
      expect(bulks[0]?.checkpoint).toEqual({ id: 'bob', lwt: bobDoc?._meta.lwt });
      expect(bulks[1]?.context).toBe('second-write');
      expect(bulks[1]?.events.map((e) => [e.operation, e.documentId])).toEqual([
        ['UPDATE', 'ada'],
        ['DELETE', 'bob'],
      ]);
      expect(bulks[1]?.events[0]?.documentData).toEqual(adaNext);
      expect(bulks[1]?.events[0]?.previousDocumentData).toEqual(adaDoc);
      expect(bulks[1]?.checkpoint).toEqual({ id: 'bob', lwt: bobGone._meta.lwt });
    });

    test('emits nothing for a bulk in which every row conflicts', async () => {
      const instance = await openLearners();
      await insert(instance, ada);
      const bulks: unknown[] = [];
      const subscription = instance.changeStream().subscribe((bulk) => bulks.push(bulk));
      const result = await instance.bulkWrite([{ document: newDocument(ada) }], 'conflict');
      subscription.unsubscribe();
      expect(result.error).toHaveLength(1);
      expect(bulks).toEqual([]);
    });

    test('every open instance of a collection sees the writes of the others, and the events follow the commit', async () => {
      const writer = await openLearners();
      const reader = await openLearners();
      const seen = firstValueFrom(
        reader.changeStream().pipe(
          filter((bulk) => bulk.context === 'from-writer'),
          take(1),
          toArray(),
        ),
      );
      const check = reader.changeStream().subscribe(() => {
        // Whoever reacts to an event must already be able to read the write back.
        void reader.findDocumentsById(['cy'], false).then((docs) => expect(docs).toHaveLength(1));
      });
      await writer.bulkWrite([{ document: newDocument(cy) }], 'from-writer');
      check.unsubscribe();
      expect((await seen)[0]?.events.map((e) => e.documentId)).toEqual(['cy']);
    });
  });

  describe('getChangedDocumentsSince', () => {
    // Same lwt for several documents, and ids either side of the UTF-16 / UTF-8 order trap.
    const ids = ['b', 'a', '\u{1F600}x', '\uE000y', 'c', '\uFFFFz', 'd', 'e', '\u{10348}', 'f'];

    async function seed(instance: Instance): Promise<RxDocumentData<Learner>[]> {
      // In the past, as real lwt values are: a later write must sort after all of them.
      const base = now() - 1_000;
      const docs = ids.map((id, i) => ({
        ...newDocument<Learner>({ id, name: `n${i}`, age: i, archived: false }),
        _meta: { lwt: base + Math.floor(i / 3) },
      }));
      expect((await instance.bulkWrite(docs.map((document) => ({ document })), 'seed')).error).toEqual([]);
      return docs;
    }

    const jsOrder = (docs: RxDocumentData<Learner>[]): string[] =>
      [...docs]
        .sort((x, y) => x._meta.lwt - y._meta.lwt || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
        .map((d) => d.id);

    test('pages through every document once, in (lwt, id) order with JavaScript string order', async () => {
      const instance = await openLearners();
      const docs = await seed(instance);
      const seen: string[] = [];
      let checkpoint: { id: string; lwt: number } | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await instance.getChangedDocumentsSince!(3, checkpoint);
        seen.push(...result.documents.map((d) => d.id));
        const last = result.documents[result.documents.length - 1];
        expect(result.checkpoint).toEqual(last ? { id: last.id, lwt: last._meta.lwt } : checkpoint);
        checkpoint = result.checkpoint;
        if (result.documents.length < 3) break;
      }
      expect(seen).toEqual(jsOrder(docs));
    });

    test('a changed document comes again after the checkpoint; nothing new gives the same checkpoint back', async () => {
      const instance = await openLearners();
      const docs = await seed(instance);
      const all = await instance.getChangedDocumentsSince!(100);
      expect(all.documents).toHaveLength(docs.length);

      const nothing = await instance.getChangedDocumentsSince!(100, all.checkpoint);
      expect(nothing).toEqual({ documents: [], checkpoint: all.checkpoint });

      const target = docs[0] as RxDocumentData<Learner>;
      const changed = newDocument({ ...target, age: 120 } as Learner, target);
      await instance.bulkWrite([{ previous: target, document: changed }], 'test');
      const after = await instance.getChangedDocumentsSince!(100, all.checkpoint);
      expect(after.documents).toEqual([changed]);
      expect(after.checkpoint).toEqual({ id: target.id, lwt: changed._meta.lwt });
    });

    test('with no checkpoint and no documents it returns an empty page', async () => {
      const instance = await openLearners();
      expect(await instance.getChangedDocumentsSince!(10)).toEqual({ documents: [], checkpoint: { id: '', lwt: 0 } });
    });
  });

  describe('query and count', () => {
    const people: Learner[] = [
      { id: 'p1', name: 'Zoe', age: 30, archived: false, note: 'b' },
      { id: 'p2', name: 'Amir', age: 17, archived: true },
      { id: 'p3', name: 'Lena', age: 30, archived: false, note: 'a' },
      { id: 'p4', name: 'Kofi', age: 64, archived: false, note: 'c' },
      { id: 'p5', name: 'Amir', age: 45, archived: false, note: 'a' },
    ];
    const ids = (docs: RxDocumentData<Learner>[]): string[] => docs.map((d) => d.id);
    const live = { _deleted: { $eq: false } };

    test('answers selectors on indexed and unindexed fields, with sort, skip and limit', async () => {
      const instance = await openLearners();
      await insert(instance, ...people);
      const run = async (query: object): Promise<string[]> =>
        ids((await instance.query(prepared(filledLearnerSchema, query as never))).documents);

      expect(await run({ selector: { ...live, name: { $eq: 'Amir' } } })).toEqual(['p2', 'p5']);
      expect(await run({ selector: { ...live, archived: { $eq: false } }, sort: [{ age: 'asc' }] })).toEqual(['p1', 'p3', 'p5', 'p4']);
      expect(await run({ selector: { ...live, age: { $gte: 30, $lt: 64 } }, sort: [{ age: 'desc' }, { id: 'asc' }] })).toEqual(['p5', 'p1', 'p3']);
      expect(await run({ selector: { ...live, note: { $eq: 'a' } }, sort: [{ name: 'asc' }] })).toEqual(['p5', 'p3']);
      expect(await run({ selector: { ...live, note: { $exists: false } } })).toEqual(['p2']);
      expect(await run({ selector: { ...live, name: { $in: ['Kofi', 'Zoe'] } }, sort: [{ name: 'asc' }] })).toEqual(['p4', 'p1']);
      expect(await run({ selector: live, sort: [{ name: 'asc' }], skip: 1, limit: 2 })).toEqual(['p5', 'p4']);
      expect(await run({ selector: live, sort: [{ name: 'asc' }], limit: 0 })).toEqual([]);
      expect(await run({ selector: { ...live, note: { $ne: 'a' } }, sort: [{ name: 'desc' }], limit: 2 })).toEqual(['p1', 'p4']);
    });

    test('a query that names an index the collection does not have still answers correctly', async () => {
      const instance = await openLearners();
      await insert(instance, ...people);
      const query = prepared(filledLearnerSchema, { selector: { note: { $eq: 'a' } }, index: ['note'] } as never);
      expect(ids((await instance.query(query)).documents)).toEqual(['p3', 'p5']);
      expect((await instance.count(query)).count).toBe(2);
    });

    test('count is fast (SQL over the index) when the index satisfies the selector, slow otherwise, and always right', async () => {
      const instance = await openLearners();
      await insert(instance, ...people);
      const byIndex = prepared(filledLearnerSchema, { selector: { ...live, archived: { $eq: false } } } as never);
      expect(byIndex.queryPlan.selectorSatisfiedByIndex).toBe(true);
      expect(await instance.count(byIndex)).toEqual({ count: 4, mode: 'fast' });

      const byScan = prepared(filledLearnerSchema, { selector: { ...live, note: { $eq: 'a' } } } as never);
      expect(byScan.queryPlan.selectorSatisfiedByIndex).toBe(false);
      expect(await instance.count(byScan)).toEqual({ count: 2, mode: 'slow' });
    });

    test('count honours skip and limit the way query does', async () => {
      const instance = await openLearners();
      await insert(instance, ...people);
      for (const [skip, limit] of [[0, 2], [3, 10], [10, 1], [1, 0]] as const) {
        const query = prepared(filledLearnerSchema, { selector: live, skip, limit } as never);
        const found = await instance.query(query);
        expect((await instance.count(query)).count).toBe(found.documents.length);
      }
    });
  });

  describe('cleanup', () => {
    test('purges tombstones older than minimumDeletedTime and keeps newer tombstones and live documents', async () => {
      const instance = await openLearners();
      const [adaDoc, bobDoc] = await insert(instance, ada, bob, cy);
      const oldTombstone = { ...newDocument(ada, adaDoc, true), _meta: { lwt: now() - 60_000 } };
      const newTombstone = newDocument(bob, bobDoc, true);
      await instance.bulkWrite(
        [
          { previous: adaDoc, document: oldTombstone },
          { previous: bobDoc, document: newTombstone },
        ],
        'test',
      );
      expect(await instance.cleanup(30_000)).toBe(true);
      expect(ids(await instance.findDocumentsById(['ada', 'bob', 'cy'], true))).toEqual(['bob', 'cy']);

      // With minimumDeletedTime 0 every tombstone goes.
      expect(await instance.cleanup(0)).toBe(true);
      expect(ids(await instance.findDocumentsById(['ada', 'bob', 'cy'], true))).toEqual(['cy']);
    });

    test('purges in bounded batches and says when more is left', async () => {
      const instance = await openLearners();
      const docs = Array.from({ length: 1_500 }, (_, i) => newDocument<Learner>({ id: `t${i}`, name: 'x', age: 1, archived: false }, undefined, true));
      await instance.bulkWrite(docs.map((document) => ({ document })), 'test');
      expect(await instance.cleanup(0)).toBe(false);
      expect(await instance.cleanup(0)).toBe(true);
      expect(await instance.findDocumentsById(docs.map((d) => d.id), true)).toEqual([]);
    });

    function ids(docs: RxDocumentData<Learner>[]): string[] {
      return docs.map((d) => d.id).sort();
    }
  });

  describe('files, close, remove and reopen', () => {
    test('all collections of a database live in one SQLite file named after it', async () => {
      await openLearners('school', 'learners');
      await openLearners('school', 'tutors');
      await openLearners('other', 'learners');
      expect(readdirSync(directory.path).filter((f) => f.endsWith('.sqlite')).sort()).toEqual(['other.sqlite', 'school.sqlite']);
      const db = new DatabaseSync(`${directory.path}/school.sqlite`, { readOnly: true });
      const tables = db.prepare('SELECT collection_name FROM rx_meta_tables ORDER BY 1').all();
      db.close();
      expect(tables.map((t) => t['collection_name'])).toEqual(['learners', 'tutors']);
    });

    test('reopening the file keeps every document, revision and index', async () => {
      const first = await openLearners();
      const [adaDoc] = await insert(first, ada, bob, cy);
      const adaNext = newDocument({ ...ada, age: 37 }, adaDoc);
      await first.bulkWrite([{ previous: adaDoc, document: adaNext }], 'test');
      await first.close();

      const again = await openLearners();
      expect((await again.findDocumentsById(['ada'], false))[0]).toEqual(adaNext);
      const older = await again.query(prepared(filledLearnerSchema, { selector: { age: { $gt: 30 } }, sort: [{ age: 'asc' }] } as never));
      expect(older.documents.map((d) => d.id)).toEqual(['ada', 'cy']);
      // Conflict detection works against what was persisted.
      const stale = await again.bulkWrite([{ previous: adaDoc, document: newDocument(ada, adaDoc) }], 'test');
      expect(stale.error[0]?.status).toBe(409);
    });

    test('a closed instance refuses work; closing twice is harmless', async () => {
      const instance = await openLearners();
      await instance.close();
      await instance.close();
      await expect(instance.findDocumentsById(['ada'], false)).rejects.toThrow(/closed/);
      await expect(instance.bulkWrite([{ document: newDocument(ada) }], 'test')).rejects.toThrow(/closed/);
    });

    test('remove drops one collection and leaves the others; removing the last deletes the file', async () => {
      const learners = await openLearners('school', 'learners');
      const tutors = await openLearners('school', 'tutors');
      await insert(learners, ada);
      await insert(tutors, bob);
      await learners.remove();
      expect(await (await openLearners('school', 'learners')).findDocumentsById(['ada'], true)).toEqual([]);
      expect(await tutors.findDocumentsById(['bob'], false)).toHaveLength(1);

      for (const instance of open.splice(0)) await instance.remove().catch(() => instance.close());
      const left = readdirSync(directory.path);
      expect(left).toEqual([]);
    });

    test('reopening a collection with different indexes under the same schema version is refused', async () => {
      await (await openLearners()).close();
      open = [];
      const changed = fillWithDefaultSettings({ ...learnerSchema, indexes: ['age'] });
      await expect(
        openInstance<Learner>(getRxStorageSqliteNode({ directory: directory.path, encryptionKey }), 'school', changed),
      ).rejects.toThrow(/indexes/);
    });

    test('journal is WAL with synchronous=NORMAL (fsync happens before the acknowledgement), set through the driver seam', async () => {
      const executed: string[] = [];
      const recording: SqliteDriver = {
        name: 'recording',
        open(path, options) {
          const connection = nodeSqliteDriver.open(path, options);
          return {
            exec: (sql) => {
              executed.push(sql);
              connection.exec(sql);
            },
            prepare: (sql) => connection.prepare(sql),
            transaction: (fn) => connection.transaction(fn),
            readTransaction: (fn) => connection.readTransaction(fn),
            close: () => connection.close(),
          };
        },
      };
      const instance = await openInstance<Learner>(
        getRxStorageSqliteInThread({ directory: directory.path, driver: recording, encryptionKey }),
        'school',
        filledLearnerSchema,
      );
      open.push(instance);
      await insert(instance, ada);
      expect(executed).toContain('PRAGMA journal_mode = WAL');
      expect(executed).toContain('PRAGMA synchronous = NORMAL');
      // Without a background checkpointer in the driver, SQLite's own checkpoints stay on.
      expect(executed).not.toContain('PRAGMA wal_autocheckpoint = 0');
      expect(await instance.findDocumentsById(['ada'], false)).toHaveLength(1);
      const db = new DatabaseSync(`${directory.path}/school.sqlite`, { readOnly: true });
      expect(db.prepare('PRAGMA journal_mode').get()?.['journal_mode']).toBe('wal');
      db.close();
      expect(existsSync(`${directory.path}/school.sqlite-wal`)).toBe(true);
    });
  });

  describe('attachments', () => {
    const schema = fillWithDefaultSettings({ ...learnerSchema, attachments: {} });

    test('stores attachment data, returns it by digest, and drops it with the attachment or the document', async () => {
      const instance = await openInstance<Learner>(getRxStorageSqliteNode({ directory: directory.path, encryptionKey }), 'school', schema, 'files');
      open.push(instance);
      const bytes = new Uint8Array([0, 1, 2, 250, 251, 252]);
      const written = {
        ...newDocument(ada),
        _attachments: { 'cv.pdf': { data: new Blob([bytes], { type: 'application/pdf' }), digest: 'md5-1', length: 6, type: 'application/pdf' } },
      };
      expect((await instance.bulkWrite([{ document: written as never }], 'test')).error).toEqual([]);
      const [stored] = await instance.findDocumentsById(['ada'], false);
      // The document keeps only the attachment's metadata.
      expect(stored?._attachments).toEqual({ 'cv.pdf': { digest: 'md5-1', length: 6, type: 'application/pdf' } });
      const blob = await instance.getAttachmentData('ada', 'cv.pdf', 'md5-1');
      expect(blob.type).toBe('application/pdf');
      expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
      await expect(instance.getAttachmentData('ada', 'cv.pdf', 'md5-other')).rejects.toThrow(/does not exist/);

      const withoutIt = newDocument(ada, stored);
      await instance.bulkWrite([{ previous: stored as RxDocumentData<Learner>, document: withoutIt }], 'test');
      await expect(instance.getAttachmentData('ada', 'cv.pdf', 'md5-1')).rejects.toThrow(/does not exist/);
    });

    test('a collection without attachments in its schema says so', async () => {
      const instance = await openLearners();
      await expect(instance.getAttachmentData('ada', 'x', 'md5')).rejects.toThrow(/no attachments/);
    });
  });
});
