/**
 * The desktop repository on this storage: an API write stores its documents and
 * their sync outbox entries in one transaction, patches the latest stored
 * version (a field a pull changed meanwhile is kept, even when the pull lands
 * between the repository's read and its write), and leaves a cascade whole.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { profileUuidFor } from '../../shared/ids';
import { invoke } from '../../shared/operations';
import type { StoredLearner } from '../../shared/schemas/learner';
import { createAppDatabase, type AppDatabase } from '../../electron/db/database';
import { createRxRepository, type LocalRepository } from '../../electron/db/repository';
import { Outbox } from '../../electron/sync/outbox';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { makeTempDirectory, TEST_KEY } from './storage-fixtures';

let directory: ReturnType<typeof makeTempDirectory>;
let db: AppDatabase;
let repo: LocalRepository;
beforeEach(async () => {
  directory = makeTempDirectory('rx-sqlite-repository-');
  db = await createAppDatabase(getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY }), 'learner-profiles');
  repo = createRxRepository(db, Outbox.entriesFor);
});
afterEach(async () => {
  await repo.close();
  directory.remove();
});

let emails = 0;
async function createLearner(): Promise<string> {
  const result = await invoke(repo, 'learner.create', [{ first_name: 'Lee', last_name: 'Ray', email_address: `lee.${emails++}@example.org` }]);
  expect(result.status).toBe(200);
  return (result.body.data as StoredLearner).uuid;
}

test('a create writes the document and its outbox entry together, in one change of each collection', async () => {
  const seen: string[] = [];
  const subscription = db.$.subscribe((event) => seen.push(`${event.collectionName}:${event.operation}`));
  const uuid = await createLearner();
  subscription.unsubscribe();
  expect(seen.sort()).toEqual(['learners:INSERT', 'sync_outbox:INSERT']);
  expect((await db.learners.findOne(uuid).exec())?.first_name).toBe('Lee');
  expect((await db.sync_outbox.findOne(`learners:${uuid}`).exec())?.toJSON()).toMatchObject({ uuid, state: 'pending', collection_name: 'learners' });
});

test('an update over a refused outbox entry makes it pending again', async () => {
  const uuid = await createLearner();
  await new Outbox(db).reject('learners', uuid, '9999', 'refused by the server');
  expect((await db.sync_outbox.findOne(`learners:${uuid}`).exec())?.state).toBe('rejected');
  expect((await invoke(repo, 'learner.update', [uuid, { city: 'Lyon' }])).status).toBe(200);
  const entry = (await db.sync_outbox.findOne(`learners:${uuid}`).exec())!.toJSON();
  expect(entry.state).toBe('pending');
  expect(entry.reason).toBeUndefined();
});

test('a pull that lands between the repository’s read and its write is kept: the write is refused, read again and patched', async () => {
  const uuid = await createLearner();
  const storage = db.learners.storageInstance;
  const read = storage.findDocumentsById.bind(storage);
  let pulls = 0;
  // The repository's own read before its write (with tombstones): the pull lands just after it.
  storage.findDocumentsById = async (ids, withDeleted) => {
    const found = await read(ids, withDeleted);
    if (withDeleted && pulls++ === 0) await (await db.learners.findOne(uuid).exec())!.incrementalPatch({ city: 'Lyon' });
    return found;
  };
  try {
    const result = await repo.transaction(async (tx) => {
      const learner = (await tx.getLearner(uuid))!;
      await tx.putLearner({ ...learner, first_name: 'Changed', last_modified_time: '2999-01-01 00:00:00.000000+00:00' });
      return 'done';
    });
    expect(result).toBe('done');
  } finally {
    storage.findDocumentsById = read;
  }
  expect(pulls).toBe(2);
  expect((await db.learners.findOne(uuid).exec())!.toJSON()).toMatchObject({ first_name: 'Changed', city: 'Lyon' });
});

test('a cascade (learner and profile deleted) is written whole, with both outbox entries', async () => {
  const uuid = await createLearner();
  expect((await invoke(repo, 'learnerProfile.create', [uuid, {}])).status).toBe(200);
  expect((await invoke(repo, 'learner.delete', [uuid])).status).toBe(200);
  expect((await db.learners.findOne(uuid).exec())?.is_deleted).toBe(true);
  expect((await db.learner_profiles.findOne(profileUuidFor(uuid)).exec())?.is_deleted).toBe(true);
  const entries = await db.sync_outbox.findByIds([`learners:${uuid}`, `learner_profiles:${profileUuidFor(uuid)}`]).exec();
  expect(entries.size).toBe(2);
  expect(await repo.recover()).toBe(false);
});
