/**
 * Encryption at rest: no personal value in any byte of any file the storage
 * leaves in its folder (also after encrypting a plaintext file, and for RxDB's
 * own internal stores), a wrong or missing key refused before the file changes,
 * a tampered row left out and reported, index fields limited on request, and
 * private file modes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { addRxPlugin, createRxDatabase, fillWithDefaultSettings } from 'rxdb';
import type { RxCollection, RxDatabase, RxJsonSchema } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { getRxStorageSqliteNode, MissingKeyError, UnsafeIndexError, WrongKeyError } from '../../electron/storage';
import type { UnreadableDocument } from '../../electron/storage';
import { makeTempDirectory, newDocument, openInstance, prepared, TEST_KEY } from './storage-fixtures';

addRxPlugin(RxDBLocalDocumentsPlugin);

/** Personal values stay out of indexes: only ids, times and flags are indexed, as the app will do. */
type Person = { id: string; created: number; archived: boolean; name: string; email: string; note?: string };
const personSchema: RxJsonSchema<Person> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    created: { type: 'number', minimum: 0, maximum: 1e15, multipleOf: 1 },
    archived: { type: 'boolean' },
    name: { type: 'string' },
    email: { type: 'string' },
    note: { type: 'string' },
  },
  required: ['id', 'created', 'archived', 'name', 'email'],
  indexes: [['archived', 'created']],
};
const filledPersonSchema = fillWithDefaultSettings(personSchema);

/** Distinctive values, ASCII and not, long enough that a chance match is impossible. */
const SECRETS = {
  name: 'Quillon Zebedee-Marchbanks',
  email: 'quillon.zebedee+minor@school-example.org',
  note: 'Żółć gęślą jaźń — ケンジの進路相談 🦉 Ünïcødé',
  local: 'device-passphrase-hint-Vöglein-7391',
};
const OTHER_KEY = new Uint8Array(32).fill(7);

let directory: ReturnType<typeof makeTempDirectory>;
beforeEach(() => {
  directory = makeTempDirectory('rx-sqlite-encrypted-');
});
afterEach(() => directory.remove());

function filesIn(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every value found, as UTF-8 or UTF-16 (either byte order), in any byte of any file of the folder. */
function scan(folder: string, values: string[]): string[] {
  const found: string[] = [];
  const files = filesIn(folder);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const value of values) {
      const utf16le = Buffer.from(value, 'utf16le');
      const utf16be = Buffer.from(utf16le).swap16();
      for (const [encoding, needle] of [['utf-8', Buffer.from(value, 'utf8')], ['utf-16le', utf16le], ['utf-16be', utf16be]] as const) {
        if (bytes.includes(needle)) found.push(`${value} as ${encoding} in ${file}`);
      }
    }
  }
  return found;
}

type Collections = { people: RxCollection<Person> };

/** A whole RxDatabase, so RxDB's internal store and local documents go through the storage too. */
async function writePeople(encryptionKey: Uint8Array | undefined): Promise<void> {
  const db: RxDatabase<Collections> = await createRxDatabase<Collections>({
    name: 'school',
    storage: getRxStorageSqliteNode({ directory: directory.path, encryptionKey }),
    multiInstance: false,
    localDocuments: true,
  });
  try {
    await db.addCollections({ people: { schema: personSchema, localDocuments: true } });
    await db.people.bulkInsert([
      { id: 'p1', created: 1, archived: false, name: SECRETS.name, email: SECRETS.email, note: SECRETS.note },
      { id: 'p2', created: 2, archived: true, name: 'Second Person', email: 'second@example.org' },
    ]);
    await db.upsertLocal('settings', { hint: SECRETS.local });
    await db.people.upsertLocal('draft', { note: SECRETS.note });
    // An update leaves the old version's bytes behind in freed space unless the storage wipes them.
    await (await db.people.findOne('p2').exec())!.incrementalPatch({ note: SECRETS.note });
  } finally {
    await db.close();
  }
}

async function readPeople(encryptionKey: Uint8Array | undefined): Promise<Person[]> {
  const db = await createRxDatabase<Collections>({
    name: 'school',
    storage: getRxStorageSqliteNode({ directory: directory.path, encryptionKey }),
    multiInstance: false,
    localDocuments: true,
  });
  try {
    await db.addCollections({ people: { schema: personSchema, localDocuments: true } });
    const people = (await db.people.find({ sort: [{ created: 'asc' }] }).exec()).map((doc) => doc.toMutableJSON(false));
    expect((await db.getLocal<{ hint: string }>('settings'))?.get('hint')).toBe(SECRETS.local);
    return people;
  } finally {
    await db.close();
  }
}

describe('no personal value in any file', () => {
  test('the scan finds the values in a plaintext database (the scan works)', async () => {
    await writePeople(undefined);
    const found = scan(directory.path, Object.values(SECRETS));
    expect(found.some((f) => f.startsWith(SECRETS.name))).toBe(true);
    expect(found.some((f) => f.startsWith(SECRETS.local))).toBe(true);
  });

  test('with a key, no file holds any of them, and everything reads back', async () => {
    await writePeople(TEST_KEY);
    expect(scan(directory.path, Object.values(SECRETS))).toEqual([]);
    expect((await readPeople(TEST_KEY)).map((p) => [p.name, p.note])).toEqual([
      [SECRETS.name, SECRETS.note],
      ['Second Person', SECRETS.note],
    ]);
  });

  test('every stored row of every table, RxDB’s own included, is a sealed BLOB', async () => {
    await writePeople(TEST_KEY);
    const raw = new DatabaseSync(join(directory.path, 'school.sqlite'), { readOnly: true });
    try {
      const tables = raw.prepare('SELECT table_name, collection_name FROM rx_meta_tables').all();
      const collections = tables.map((t) => String(t['collection_name']));
      expect(collections).toEqual(expect.arrayContaining(['_rxdb_internal', 'people']));
      expect(collections.some((name) => name.includes('local'))).toBe(true);
      for (const table of tables) {
        const types = raw.prepare(`SELECT DISTINCT typeof(data) AS type FROM "${String(table['table_name'])}"`).all();
        expect(types.map((t) => t['type']), String(table['collection_name'])).toEqual(['blob']);
      }
    } finally {
      raw.close();
    }
  });

  test('a plaintext database opened with a key is encrypted, its old pages wiped', async () => {
    await writePeople(undefined);
    expect(scan(directory.path, Object.values(SECRETS)).length).toBeGreaterThan(0);

    // Opening with the key migrates; closing leaves the files as they stay on disk.
    expect((await readPeople(TEST_KEY)).map((p) => p.name)).toEqual([SECRETS.name, 'Second Person']);
    expect(scan(directory.path, Object.values(SECRETS))).toEqual([]);
    const raw = new DatabaseSync(join(directory.path, 'school.sqlite'), { readOnly: true });
    expect(raw.prepare(`SELECT value FROM rx_meta_storage WHERE name = 'encryption'`).get()).toEqual({ value: 'encrypted' });
    raw.close();
    // …and it now needs the key.
    await expect(readPeople(undefined)).rejects.toThrow(MissingKeyError);
  });
});

describe('the key', () => {
  /** Every file of the folder with its bytes. */
  const snapshot = (): Map<string, Buffer> => new Map(filesIn(directory.path).map((file) => [file, readFileSync(file)]));

  test('a wrong key fails at once with WrongKeyError and leaves every file as it was', async () => {
    await writePeople(TEST_KEY);
    const before = snapshot();
    const error = await readPeople(OTHER_KEY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongKeyError);
    expect((error as Error).message).not.toMatch(/[0-9a-f]{32}/i);
    const after = snapshot();
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [file, bytes] of before) expect(after.get(file)?.equals(bytes), file).toBe(true);
    // The right key still opens it.
    expect(await readPeople(TEST_KEY)).toHaveLength(2);
  });

  test('an encrypted file opened without a key fails with MissingKeyError, unchanged', async () => {
    await writePeople(TEST_KEY);
    const before = snapshot();
    await expect(readPeople(undefined)).rejects.toThrow(MissingKeyError);
    const after = snapshot();
    for (const [file, bytes] of before) expect(after.get(file)?.equals(bytes), file).toBe(true);
  });

  test('a key that is not 32 bytes is refused', () => {
    expect(() => getRxStorageSqliteNode({ directory: directory.path, encryptionKey: new Uint8Array(16) })).toThrow(/32 bytes/);
  });
});

describe('a tampered document', () => {
  async function seed(): Promise<void> {
    const instance = await openInstance<Person>(getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY }), 'school', filledPersonSchema, 'people');
    const people = ['a', 'b', 'c', 'd'].map((id, i) => newDocument<Person>({ id, created: i, archived: false, name: `N${id}`, email: `${id}@e.org` }));
    expect((await instance.bulkWrite(people.map((document) => ({ document })), 'seed')).error).toEqual([]);
    await instance.close();
  }

  function tamper(change: (raw: DatabaseSync) => void): void {
    const raw = new DatabaseSync(join(directory.path, 'school.sqlite'));
    change(raw);
    raw.close();
  }

  test('is left out of results and reported; the others read and write as usual', async () => {
    await seed();
    tamper((raw) => {
      // b: one bit of its ciphertext flipped; c: cut short; d: a's sealed body copied onto d's row.
      const b = raw.prepare(`SELECT data FROM rx_people_v0 WHERE id = ?`).get(Buffer.from('b'))!['data'] as Uint8Array;
      b[20] = (b[20] as number) ^ 1;
      raw.prepare(`UPDATE rx_people_v0 SET data = ? WHERE id = ?`).run(b, Buffer.from('b'));
      raw.prepare(`UPDATE rx_people_v0 SET data = substr(data, 1, 20) WHERE id = ?`).run(Buffer.from('c'));
      raw.prepare(`UPDATE rx_people_v0 SET data = (SELECT data FROM rx_people_v0 WHERE id = ?) WHERE id = ?`).run(Buffer.from('a'), Buffer.from('d'));
    });

    const reported: UnreadableDocument[] = [];
    const storage = getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY, onUnreadableDocument: (doc) => reported.push(doc) });
    const instance = await openInstance<Person>(storage, 'school', filledPersonSchema, 'people');
    try {
      expect((await instance.findDocumentsById(['a', 'b', 'c', 'd'], true)).map((p) => p.id)).toEqual(['a']);
      const all = await instance.query(prepared(filledPersonSchema, { selector: {}, sort: [{ id: 'asc' }] }));
      expect(all.documents.map((p) => p.id)).toEqual(['a']);
      expect(reported.map((r) => r.id).sort()).toEqual(['b', 'c', 'd']);
      expect(reported.every((r) => r.collectionName === 'people' && r.databaseName === 'school')).toBe(true);
      // Reported once each, however often they are met.
      await instance.findDocumentsById(['b', 'c', 'd'], true);
      expect(storage.unreadableDocuments).toBe(3);

      // The database goes on working, and a write (e.g. a pull) can replace an unreadable document.
      const e = newDocument<Person>({ id: 'e', created: 9, archived: false, name: 'Ne', email: 'e@e.org' });
      const b = newDocument<Person>({ id: 'b', created: 1, archived: false, name: 'Nb again', email: 'b@e.org' });
      expect((await instance.bulkWrite([{ document: e }, { document: b }], 'repair')).error).toEqual([]);
      expect((await instance.findDocumentsById(['a', 'b', 'e'], false)).map((p) => p.name)).toEqual(['Na', 'Nb again', 'Ne']);
    } finally {
      await instance.close();
    }
  });

  test('queries and change pages skip it too', async () => {
    await seed();
    tamper((raw) => raw.prepare(`UPDATE rx_people_v0 SET data = substr(data, 1, 30) WHERE id = ?`).run(Buffer.from('b')));
    const reported: string[] = [];
    const storage = getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY, onUnreadableDocument: (doc) => reported.push(doc.id) });
    const db = await createRxDatabase<Collections>({ name: 'school', storage, multiInstance: false });
    try {
      await db.addCollections({ people: { schema: personSchema } });
      expect((await db.people.find({ sort: [{ created: 'asc' }] }).exec()).map((p) => p.id)).toEqual(['a', 'c', 'd']);
      const changes = await db.people.storageInstance.getChangedDocumentsSince!(10);
      expect(changes.documents.map((p) => p.id)).toEqual(['a', 'c', 'd']);
      expect(reported).toEqual(['b']);
    } finally {
      await db.close();
    }
  });
});

describe('indexableFields', () => {
  test('a schema that indexes another field is refused, naming the field', async () => {
    const storage = getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY, indexableFields: ['archived', 'created'] });
    const byName = fillWithDefaultSettings({ ...personSchema, properties: { ...personSchema.properties, name: { type: 'string', maxLength: 40 } }, indexes: [['archived', 'name']] });
    await expect(openInstance<Person>(storage, 'school', byName, 'people')).rejects.toThrow(UnsafeIndexError);
    await expect(openInstance<Person>(storage, 'school', byName, 'people')).rejects.toThrow(/'name'/);
    const allowed = await openInstance<Person>(storage, 'school', filledPersonSchema, 'people');
    await allowed.close();
  });

  test('a table an older schema made with such an index still opens, so that RxDB can migrate it away', async () => {
    const byName = fillWithDefaultSettings({ ...personSchema, properties: { ...personSchema.properties, name: { type: 'string', maxLength: 40 } }, indexes: [['archived', 'name']] });
    const old = await openInstance<Person>(getRxStorageSqliteNode({ directory: directory.path }), 'school', byName, 'people');
    await old.close();
    const storage = getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY, indexableFields: ['archived', 'created'] });
    const reopened = await openInstance<Person>(storage, 'school', byName, 'people');
    await reopened.close();
    await expect(openInstance<Person>(storage, 'school', byName, 'others')).rejects.toThrow(UnsafeIndexError);
  });
});

describe('file modes', () => {
  test('folders the storage creates are 0700, its files 0600', async () => {
    const folder = join(directory.path, 'nested', 'data');
    const instance = await openInstance<Person>(getRxStorageSqliteNode({ directory: folder, encryptionKey: TEST_KEY }), 'school', filledPersonSchema, 'people');
    try {
      await instance.bulkWrite([{ document: newDocument<Person>({ id: 'a', created: 1, archived: false, name: 'A', email: 'a@e.org' }) }], 'test');
      expect(statSync(join(directory.path, 'nested')).mode & 0o777).toBe(0o700);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      const files = filesIn(folder);
      expect(files.map((f) => f.slice(folder.length + 1)).sort()).toEqual(['school.sqlite', 'school.sqlite-shm', 'school.sqlite-wal']);
      for (const file of files) expect(statSync(file).mode & 0o777, file).toBe(0o600);
    } finally {
      await instance.close();
    }
    expect(existsSync(join(folder, 'school.sqlite'))).toBe(true);
  });
});
