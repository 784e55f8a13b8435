/**
 * The storage on its threads: a read does not wait behind a long write, a read
 * issued after a write resolved sees it, and a stopped thread fails its callers
 * with a named error instead of leaving them waiting.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { getRxStorageSqliteNode, StorageWorkerError, terminateStorageThreads } from '../../electron/storage';
import { filledLearnerSchema, makeTempDirectory, newDocument, openInstance, prepared, TEST_KEY } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

let directory: ReturnType<typeof makeTempDirectory>;
beforeEach(() => {
  directory = makeTempDirectory('rx-sqlite-worker-');
});
afterEach(() => directory.remove());

const learner = (id: string, age = 30): Learner => ({ id, name: `n-${id}`.slice(0, 20), age, archived: false });

/**
 * Another connection holds the write lock, so the writer thread sits in its
 * busy wait: a write in progress for as long as the test wants, without timing.
 */
function holdWriteLock(): () => void {
  const blocker = new DatabaseSync(join(directory.path, 'school.sqlite'));
  blocker.exec('BEGIN IMMEDIATE');
  return () => {
    blocker.exec('ROLLBACK');
    blocker.close();
  };
}

test('reads answer while a write is still in progress, and see it once it resolved', async () => {
  const storage = getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY, busyTimeoutMs: 60_000 });
  const instance = await openInstance<Learner>(storage, 'school', filledLearnerSchema);
  try {
    await instance.bulkWrite([{ document: newDocument(learner('ada')) }], 'seed');
    const release = holdWriteLock();
    let writeDone = false;
    const bulk = Array.from({ length: 2_000 }, (_, i) => ({ document: newDocument(learner(`b${i}`, i % 150)) }));
    const writing = instance.bulkWrite(bulk, 'long write').then((result) => {
      writeDone = true;
      return result;
    });
    try {
      expect((await instance.findDocumentsById(['ada'], false)).map((d) => d.id)).toEqual(['ada']);
      expect((await instance.query(prepared(filledLearnerSchema, { selector: {} }))).documents.map((d) => d.id)).toEqual(['ada']);
      expect((await instance.count(prepared(filledLearnerSchema, { selector: {} }))).count).toBe(1);
      expect(writeDone).toBe(false);
    } finally {
      release();
    }
    expect((await writing).error).toEqual([]);
    expect(await instance.findDocumentsById(bulk.map((row) => row.document.id), false)).toHaveLength(2_000);
  } finally {
    await instance.close();
  }
});

test('a read issued after a write resolved always sees it (reader and writer are separate threads)', async () => {
  const instance = await openInstance<Learner>(getRxStorageSqliteNode({ directory: directory.path }), 'school', filledLearnerSchema);
  try {
    let current = newDocument(learner('ada', 0));
    await instance.bulkWrite([{ document: current }], 'seed');
    for (let round = 1; round <= 150; round++) {
      const next = newDocument({ ...learner('ada', round % 150) }, current);
      const others = Array.from({ length: round % 7 }, (_, i) => ({ document: newDocument(learner(`r${round}-${i}`)) }));
      expect((await instance.bulkWrite([{ previous: current, document: next }, ...others], 'round')).error).toEqual([]);
      current = next;
      const [read] = await instance.findDocumentsById(['ada'], false);
      expect(read?._rev).toBe(next._rev);
      const changes = await instance.getChangedDocumentsSince!(1, { id: '', lwt: next._meta.lwt - 0.001 });
      expect(changes.documents.map((d) => d._rev)).toContain(next._rev);
    }
  } finally {
    await instance.close();
  }
});

test('a stopped storage thread fails the waiting write and every later call with StorageWorkerError; reopening works', async () => {
  const storage = getRxStorageSqliteNode({ directory: directory.path, busyTimeoutMs: 60_000 });
  const instance = await openInstance<Learner>(storage, 'school', filledLearnerSchema);
  await instance.bulkWrite([{ document: newDocument(learner('ada')) }], 'seed');

  const release = holdWriteLock();
  const waiting = instance.bulkWrite([{ document: newDocument(learner('bob')) }], 'never acknowledged');
  try {
    await terminateStorageThreads();
    await expect(waiting).rejects.toThrow(StorageWorkerError);
    await expect(instance.findDocumentsById(['ada'], false)).rejects.toThrow(StorageWorkerError);
    await expect(instance.bulkWrite([{ document: newDocument(learner('cy')) }], 'after')).rejects.toThrow(/storage's (writer|reader) thread stopped/);
  } finally {
    release();
  }
  await instance.close();

  const reopened = await openInstance<Learner>(getRxStorageSqliteNode({ directory: directory.path }), 'school', filledLearnerSchema);
  try {
    expect((await reopened.findDocumentsById(['ada', 'bob', 'cy'], false)).map((d) => d.id)).toEqual(['ada']);
  } finally {
    await reopened.close();
  }
});
