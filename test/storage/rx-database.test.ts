/**
 * The storage under a whole RxDatabase (with RxDB's dev-mode checks and schema
 * validation): documents, queries, counts and live queries through RxDB's API,
 * data kept across a restart, and removal of the database deleting its file.
 */
import { existsSync } from 'node:fs';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { addRxPlugin, createRxDatabase, removeRxDatabase } from 'rxdb';
import type { RxCollection, RxDatabase } from 'rxdb';
import { disableWarnings, RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { wrappedValidateZSchemaStorage } from 'rxdb/plugins/validate-z-schema';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { learnerSchema, makeTempDirectory } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);

type Collections = { learners: RxCollection<Learner> };

let directory: ReturnType<typeof makeTempDirectory>;
let database: RxDatabase<Collections> | undefined;

beforeEach(() => {
  directory = makeTempDirectory();
});
afterEach(async () => {
  if (database && !database.closed) await database.close();
  directory.remove();
});

function storage() {
  return wrappedValidateZSchemaStorage({ storage: getRxStorageSqliteNode({ directory: directory.path }) });
}

async function open(): Promise<RxDatabase<Collections>> {
  database = await createRxDatabase<Collections>({ name: 'school', storage: storage(), multiInstance: false });
  await database.addCollections({ learners: { schema: learnerSchema } });
  return database;
}

test('RxDB reads and writes through the storage, and live queries follow writes', async () => {
  const db = await open();
  await db.learners.bulkInsert([
    { id: 'a', name: 'Ada', age: 36, archived: false },
    { id: 'b', name: 'Bob', age: 21, archived: true },
    { id: 'c', name: 'Cy', age: 58, archived: false },
  ]);
  const active = db.learners.find({ selector: { archived: false }, sort: [{ age: 'desc' }] });
  expect((await active.exec()).map((d) => d.id)).toEqual(['c', 'a']);
  expect(await db.learners.count({ selector: { archived: false } }).exec()).toBe(2);

  const seenDee = firstValueFrom(active.$.pipe(filter((docs) => docs.some((d) => d.id === 'd'))));
  await db.learners.insert({ id: 'd', name: 'Dee', age: 70, archived: false });
  expect((await seenDee).map((d) => d.id)).toEqual(['d', 'c', 'a']);

  await (await db.learners.findOne('a').exec())!.incrementalPatch({ archived: true });
  expect((await active.exec()).map((d) => d.id)).toEqual(['d', 'c']);
  await expect(db.learners.insert({ id: 'a', name: 'Again', age: 1, archived: false })).rejects.toThrow(/conflict|CONFLICT|409/i);
});

test('a restarted database has its documents; removing it deletes its file', async () => {
  let db = await open();
  await db.learners.insert({ id: 'a', name: 'Ada', age: 36, archived: false });
  await db.close();

  db = await open();
  expect((await db.learners.findOne('a').exec())?.name).toBe('Ada');
  const file = getRxStorageSqliteNode({ directory: directory.path }).databaseFile('school');
  expect(existsSync(file)).toBe(true);
  await db.close();

  await removeRxDatabase('school', storage(), false);
  expect(existsSync(file)).toBe(false);
  expect(existsSync(file + '-wal')).toBe(false);
});
