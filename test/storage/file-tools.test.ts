/**
 * Whole-file work on the storage's threads: a backup of an open database (a
 * consistent, checked, private copy that needs the same key and knows what it
 * holds), what a closed file holds, SQLite's check of a file, and files sealed
 * whole. None of it runs on the main thread.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fillWithDefaultSettings } from 'rxdb';
import type { RxJsonSchema, RxStorageInstance } from 'rxdb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { getRxStorageSqliteNode, MissingKeyError, WrongKeyError } from '../../electron/storage';
import { makeTempDirectory, newDocument, openInstance, TEST_KEY } from './storage-fixtures';

type Person = { id: string; created: number; is_deleted: boolean; name: string };
const schema = fillWithDefaultSettings<Person>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    created: { type: 'number', minimum: 0, maximum: 1e15, multipleOf: 1 },
    is_deleted: { type: 'boolean' },
    name: { type: 'string' },
  },
  required: ['id', 'created', 'is_deleted', 'name'],
  indexes: [['is_deleted', 'created']],
} as RxJsonSchema<Person>);
const NAME = 'Ottoline Brackenbury-Quist';
const OTHER_KEY = new Uint8Array(32).fill(9);
const LIVE = { people: { is_deleted: false } };

let directory: ReturnType<typeof makeTempDirectory>;
let instance: RxStorageInstance<Person, any, any, any>;
let storage: ReturnType<typeof getRxStorageSqliteNode>;
beforeEach(async () => {
  directory = makeTempDirectory('rx-sqlite-files-');
  storage = getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY });
  instance = await openInstance<Person>(storage, 'school', schema, 'people');
  const people = Array.from({ length: 300 }, (_, i) => newDocument<Person>({ id: `p${i}`, created: i, is_deleted: i % 3 === 0, name: `${NAME} ${i}` }));
  expect((await instance.bulkWrite(people.map((document) => ({ document })), 'seed')).error).toEqual([]);
});
afterEach(async () => {
  await instance.close().catch(() => {});
  directory.remove();
});

describe('a backup', () => {
  test('is a checked, private copy that knows what it holds, needs the key, and holds no value in plain text', async () => {
    const target = join(directory.path, 'backups-copy.sqlite');
    const summary = await storage.backupDatabase('school', target, LIVE);
    expect(summary).toEqual({ counts: { people: 200 }, unreadable: 0, encrypted: true });
    expect(statSync(target).mode & 0o777).toBe(0o600);
    // A single file: no journal or WAL beside it.
    expect(readdirSync(directory.path).filter((name) => name.startsWith('backups-copy'))).toEqual(['backups-copy.sqlite']);
    expect(readFileSync(target).includes(Buffer.from(NAME))).toBe(false);
    const raw = new DatabaseSync(target, { readOnly: true });
    expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    raw.close();

    expect(await storage.describeFile(target, LIVE)).toEqual(summary);
    await expect(getRxStorageSqliteNode({ directory: directory.path, encryptionKey: OTHER_KEY }).describeFile(target, LIVE)).rejects.toThrow(WrongKeyError);
    await expect(getRxStorageSqliteNode({ directory: directory.path }).describeFile(target, LIVE)).rejects.toThrow(MissingKeyError);

    // The copy is a database of its own: opened under its own name, it reads back with the key.
    const copyStorage = getRxStorageSqliteNode({ directory: directory.path, encryptionKey: TEST_KEY });
    const copy = await openInstance<Person>(copyStorage, 'backups-copy', schema, 'people');
    try {
      expect((await copy.findDocumentsById(['p1'], false))[0]?.name).toBe(`${NAME} 1`);
    } finally {
      await copy.close();
    }
  });

  test('holds every write acknowledged before it, and never overwrites a file', async () => {
    await instance.bulkWrite([{ document: newDocument<Person>({ id: 'late', created: 1000, is_deleted: false, name: 'Late' }) }], 'late');
    const target = join(directory.path, 'copy.sqlite');
    expect((await storage.backupDatabase('school', target, LIVE)).counts.people).toBe(201);
    await expect(storage.backupDatabase('school', target, LIVE)).rejects.toThrow(/EEXIST/);
    expect((await storage.describeFile(target, LIVE)).counts.people).toBe(201);
  });

  test('runs off the main thread: the event loop keeps turning while it is made', async () => {
    let turns = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    const backup = storage.backupDatabase('school', join(directory.path, 'spin.sqlite'), LIVE).finally(() => (running = false));
    setImmediate(spin);
    await backup;
    expect(turns).toBeGreaterThan(0);
  });
});

describe('a closed file', () => {
  test('is described by a count when it records no summary, and its documents that do not open are counted apart', async () => {
    await instance.close();
    const file = storage.databaseFile('school');
    const raw = new DatabaseSync(file);
    raw.prepare(`UPDATE rx_people_v0 SET data = substr(data, 1, 20) WHERE id = ?`).run(Buffer.from('p1'));
    raw.close();
    expect(await storage.describeFile(file, LIVE)).toEqual({ counts: { people: 199 }, unreadable: 1, encrypted: true });
  });

  test('is checked by SQLite off the main thread: sound, damaged, or missing (and then not created)', async () => {
    await instance.close();
    const file = storage.databaseFile('school');
    expect(await storage.checkFile(file)).toBeUndefined();
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 8192);
    writeFileSync(file, bytes);
    expect(await storage.checkFile(file)).toMatch(/not a database|malformed|corrupt/i);
    const missing = join(directory.path, 'missing.sqlite');
    expect(await storage.checkFile(missing)).toBeUndefined();
    expect(existsSync(missing)).toBe(false);
  });
});

describe('a file sealed whole', () => {
  test('holds nothing readable, opens back byte for byte with the key, and refuses another key or a cut', async () => {
    await instance.close();
    const file = storage.databaseFile('school');
    const sealed = join(directory.path, 'school.sealed');
    await storage.sealFile(file, sealed);
    expect(statSync(sealed).mode & 0o777).toBe(0o600);
    expect(readFileSync(sealed).includes(Buffer.from(NAME))).toBe(false);
    const opened = join(directory.path, 'opened.sqlite');
    await storage.unsealFile(sealed, opened);
    expect(readFileSync(opened).equals(readFileSync(file))).toBe(true);

    const other = getRxStorageSqliteNode({ directory: directory.path, encryptionKey: OTHER_KEY });
    await expect(other.unsealFile(sealed, join(directory.path, 'nope.sqlite'))).rejects.toThrow(WrongKeyError);
    expect(existsSync(join(directory.path, 'nope.sqlite'))).toBe(false);
    const cut = join(directory.path, 'cut.sealed');
    writeFileSync(cut, readFileSync(sealed).subarray(0, 5000));
    await expect(storage.unsealFile(cut, join(directory.path, 'cut.sqlite'))).rejects.toThrow(WrongKeyError);
    expect(existsSync(join(directory.path, 'cut.sqlite'))).toBe(false);
  });
});
