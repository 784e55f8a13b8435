/**
 * The UTF-16 trap: RxDB compares index strings in JavaScript (UTF-16 code unit)
 * order, SQLite compares TEXT in UTF-8 (code point) order. These tests show the
 * two really differ, that the storage's BLOB keys follow JavaScript's order, and
 * that queries over indexed strings return what JavaScript order says.
 */
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fillWithDefaultSettings, randomToken } from 'rxdb';
import type { RxDocumentData, RxStorageInstance } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSqliteNode, indexKey } from '../../electron/storage';
import { makeTempDirectory, newDocument, openInstance, prepared } from './storage-fixtures';

const jsCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Strings rich in the characters where the orders disagree, lone surrogates included. */
const nastyString = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'z', ' ', '\0', '\t', 'é', 'e\u0301', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF', '\u{1F600}', '\u{10000}', '\u{10FFFF}'),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});

describe('index keys', () => {
  test('the trap is real: SQLite TEXT order puts an emoji above U+E000, JavaScript puts it below', () => {
    const db = new DatabaseSync(':memory:');
    const textLess = db.prepare('SELECT ? < ? AS less').get('\u{1F600}', '\uE000')?.['less'];
    db.close();
    expect(textLess).toBe(0);
    expect('\u{1F600}' < '\uE000').toBe(true);
  });

  test('memcmp of the keys is JavaScript string order, for any strings', () => {
    fc.assert(
      fc.property(nastyString, nastyString, (a, b) => {
        expect(Math.sign(Buffer.compare(indexKey(a), indexKey(b)))).toBe(jsCompare(a, b));
      }),
      { numRuns: 2_000 },
    );
  });

  test('SQLite compares the BLOB keys the same way', () => {
    const db = new DatabaseSync(':memory:');
    const compare = db.prepare('SELECT (? > ?) - (? < ?) AS sign');
    fc.assert(
      fc.property(nastyString, nastyString, (a, b) => {
        const [ka, kb] = [indexKey(a), indexKey(b)];
        expect(compare.get(ka, kb, ka, kb)?.['sign']).toBe(jsCompare(a, b));
      }),
      { numRuns: 1_000 },
    );
    db.close();
  });

  test('distinct strings, lone surrogates included, never share a key', () => {
    fc.assert(
      fc.property(nastyString, nastyString, (a, b) => {
        fc.pre(a !== b);
        expect(Buffer.compare(indexKey(a), indexKey(b))).not.toBe(0);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('queries over indexed strings outside ASCII', () => {
  type Word = { id: string; word: string };
  const schema = fillWithDefaultSettings<Word>({
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: { id: { type: 'string', maxLength: 10 }, word: { type: 'string', maxLength: 8 } },
    required: ['id', 'word'],
    indexes: ['word'],
  });
  const words = ['\uFFFF', '\uE000', '\u{1F600}', '\u{1D4B3}', 'a', 'zz', '\uFFFD', '\uD7FF', 'é', 'e\u0301', '\uD800x', 'émoji\u{1F600}'];

  let directory: ReturnType<typeof makeTempDirectory>;
  const instances: RxStorageInstance<Word, any, any, any>[] = [];
  beforeEach(() => {
    directory = makeTempDirectory();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.close();
    directory.remove();
  });

  async function both(): Promise<[RxStorageInstance<Word, any, any, any>, RxStorageInstance<Word, any, any, any>]> {
    const sqlite = await openInstance<Word>(getRxStorageSqliteNode({ directory: directory.path }), 'words', schema);
    const memory = await openInstance<Word>(getRxStorageMemory(), 'words-' + randomToken(8), schema);
    instances.push(sqlite, memory);
    const docs = words.map((word, i) => newDocument<Word>({ id: `w${i}`, word }));
    for (const instance of [sqlite, memory]) {
      await instance.bulkWrite(docs.map((doc) => ({ document: structuredClone(doc) })), 'seed');
    }
    return [sqlite, memory];
  }

  const wordsOf = (docs: RxDocumentData<Word>[]): string[] => docs.map((d) => d.word);

  test('sorting by the index gives JavaScript order, emoji before U+E000', async () => {
    const [sqlite, memory] = await both();
    const query = prepared(schema, { selector: { _deleted: { $eq: false } }, sort: [{ word: 'asc' }] } as never);
    expect(query.queryPlan.sortSatisfiedByIndex).toBe(true);
    const found = wordsOf((await sqlite.query(query)).documents);
    expect(found).toEqual([...words].sort());
    expect(found).toEqual(wordsOf((await memory.query(query)).documents));
  });

  test('range scans up to RxDB’s U+FFFF bound keep every character outside the BMP', async () => {
    const [sqlite, memory] = await both();
    for (const selector of [
      { word: { $gt: '\uD7FF' } },
      { word: { $lt: '\uE000' } },
      { word: { $gte: '\u{1F600}', $lte: '\uFFFD' } },
      { word: { $gt: 'zz' } },
      { word: { $eq: '\u{1D4B3}' } },
    ]) {
      const query = prepared(schema, { selector: { _deleted: { $eq: false }, ...selector }, sort: [{ word: 'asc' }] } as never);
      expect(query.queryPlan.index).toEqual(['_deleted', 'word', 'id']);
      const expected = wordsOf((await memory.query(query)).documents);
      expect(wordsOf((await sqlite.query(query)).documents)).toEqual(expected);
      expect((await sqlite.count(query)).count).toBe(expected.length);
    }
    // Spelled out once, independent of the memory storage:
    const aboveD7ff = prepared(schema, { selector: { _deleted: { $eq: false }, word: { $gt: '\uD7FF' } }, sort: [{ word: 'asc' }] } as never);
    expect(wordsOf((await sqlite.query(aboveD7ff)).documents)).toEqual(['\uD800x', '\u{1D4B3}', '\u{1F600}', '\uE000', '\uFFFD', '\uFFFF']);
  });

  test('keys equal to a bound are kept or dropped exactly as the bound’s inclusiveness says', async () => {
    const sqlite = await openInstance<Word>(getRxStorageSqliteNode({ directory: directory.path }), 'bounds', schema);
    instances.push(sqlite);
    // RxDB pads the primary key part of a bound with U+0000 or U+FFFF; these ids make a key equal to the bound.
    const ids = ['\0'.repeat(10), 'mid', '\uFFFF'.repeat(10)];
    const docs = ids.map((id) => newDocument<Word>({ id, word: 'k' }));
    await sqlite.bulkWrite(docs.map((document) => ({ document })), 'seed');
    const idsFor = async (word: object): Promise<string[]> => {
      const query = prepared(schema, { selector: { _deleted: { $eq: false }, word }, sort: [{ word: 'asc' }] } as never);
      return (await sqlite.query(query)).documents.map((d) => d.id);
    };
    expect(await idsFor({ $lte: 'k' })).toEqual(ids);
    expect(await idsFor({ $gte: 'k' })).toEqual(ids);
    expect(await idsFor({ $eq: 'k' })).toEqual(ids);
    expect(await idsFor({ $lt: 'k' })).toEqual([]);
    expect(await idsFor({ $gt: 'k' })).toEqual([]);
  });
});
