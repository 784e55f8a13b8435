/**
 * Differential test: random documents, random bulk writes and random mango
 * queries run against the SQLite storage and RxDB's memory storage side by
 * side. Every write result, query result, count, change page and lookup must be
 * identical. The data is chosen to be hostile to an SQL-backed storage: strings
 * with emoji, lone surrogates, combining marks and characters around U+FFFF;
 * negative, fractional and huge numbers; missing optional fields.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRevision, fillWithDefaultSettings, getChangedDocumentsSince, now, randomToken } from 'rxdb';
import type { MangoQuerySelector, RxDocumentData, RxStorageInstance } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { databaseToken, encryptionModes, makeTempDirectory, openInstance, prepared } from './storage-fixtures';

type Thing = {
  id: string;
  str: string;
  num: number;
  flag: boolean;
  free?: string;
  freeNum?: number;
  tags?: string[];
  nested?: { a?: string; n?: number };
};

const schema = fillWithDefaultSettings<Thing>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 12 },
    // RxDB's index rules: indexed strings need maxLength, indexed numbers minimum, maximum and multipleOf.
    str: { type: 'string', maxLength: 10 },
    num: { type: 'number', minimum: -1_000_000, maximum: 1_000_000, multipleOf: 0.01 },
    flag: { type: 'boolean' },
    free: { type: 'string' },
    freeNum: { type: 'number' },
    tags: { type: 'array', items: { type: 'string' } },
    nested: { type: 'object', properties: { a: { type: 'string' }, n: { type: 'number' } } },
  },
  required: ['id', 'str', 'num', 'flag'],
  indexes: ['str', ['flag', 'num'], ['num', 'str']],
});

// ---- data

const NASTY = ['a', 'b', 'z', 'A', ' ', '\t', '\0', 'é', 'e\u0301', '\u0301', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF', '\u{1F600}', '\u{1F468}\u200D\u{1F469}', '\u{10000}', '\u{10FFFF}', '\u{1D4B3}'];
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
/** At most 10 UTF-16 units: the schema's maxLength (cutting a pair in half leaves a lone surrogate, also fine). */
const shortString = fc.string({ unit, maxLength: 6 }).map((s) => s.slice(0, 10));
const stringPool = fc.constantFrom('', 'a', 'ab', 'b', '\u{1F600}', '\uE000', '\uFFFF', 'é', 'e\u0301', '\uFFFD', '\u{1D4B3}y', 'zzzzzzzzzz', 'a\t');
const indexedString = fc.oneof(stringPool, shortString);
const LONG = Array.from({ length: 3_000 }, (_, i) => NASTY[i % NASTY.length]).join('');
const freeString = fc.oneof(
  { weight: 4, arbitrary: indexedString },
  { weight: 2, arbitrary: fc.string({ unit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(LONG) },
);
const numberPool = fc.constantFrom(0, 1, -1, 0.5, -0.5, 0.01, -0.01, 12.34, -12.35, 1_000_000, -1_000_000, 999_999.99);
const indexedNumber = fc.oneof(numberPool, fc.integer({ min: -100_000_000, max: 100_000_000 }).map((n) => n / 100));
// JSON has no -0; a document that held it could not round-trip through any JSON storage.
const anyNumber = fc.oneof(
  numberPool,
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
  fc.constantFrom(1e300, -1e300, 5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
);
const IDS = [
  ...['a', 'b', 'c', 'ab', 'z', 'A', '0', 'x y', 'a\t', 'é', 'e\u0301', '\u0301'],
  ...['\u{1F600}', '\u{1F600}a', '\uE000', '\uE000a', '\uFFFF', '\uFFFD', '\uD7FF', '\u{1D4B3}', '\u{10FFFF}', '\uD800'],
  ...Array.from({ length: 8 }, (_, i) => `doc${i}`),
  // Full-length ids made of the padding characters RxDB's query bounds use: a key can equal a bound exactly.
  '\uFFFF'.repeat(12),
  '\0'.repeat(12),
];

const thingData = fc.record(
  {
    str: indexedString,
    num: indexedNumber,
    flag: fc.boolean(),
    free: freeString,
    freeNum: anyNumber,
    tags: fc.array(indexedString, { maxLength: 3 }),
    nested: fc.record({ a: indexedString, n: anyNumber }, { requiredKeys: [] }),
  },
  { requiredKeys: ['str', 'num', 'flag'] },
);

type WriteOp = { kind: 'upsert' | 'insert' | 'delete' | 'stale'; id: string; data: Omit<Thing, 'id'> };
const writeOp: fc.Arbitrary<WriteOp> = fc.record({
  kind: fc.constantFrom('upsert', 'upsert', 'insert', 'delete', 'stale'),
  id: fc.constantFrom(...IDS),
  data: thingData,
});

// ---- queries

const stringOps = (value: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.record({ $eq: value }),
    fc.record({ $ne: value }),
    fc.record({ $gt: value }),
    fc.record({ $gte: value }),
    fc.record({ $lt: value }),
    fc.record({ $lte: value }),
    fc.record({ $gte: value, $lt: value }),
    fc.record({ $gt: value, $lte: value }),
    fc.record({ $in: fc.array(value, { maxLength: 3 }) }),
    fc.record({ $nin: fc.array(value, { maxLength: 3 }) }),
    fc.record({ $exists: fc.boolean() }),
  );
const numberOps = (value: fc.Arbitrary<number>) => stringOps(value as never) as fc.Arbitrary<Record<string, unknown>>;
const fieldCondition = fc.oneof(
  fc.tuple(fc.constant('str'), stringOps(indexedString)),
  fc.tuple(fc.constant('free'), stringOps(indexedString)),
  fc.tuple(fc.constant('num'), numberOps(indexedNumber)),
  fc.tuple(fc.constant('freeNum'), numberOps(anyNumber)),
  fc.tuple(fc.constant('nested.n'), numberOps(anyNumber)),
  fc.tuple(fc.constant('flag'), fc.oneof(fc.record({ $eq: fc.boolean() }), fc.record({ $ne: fc.boolean() }), fc.record({ $exists: fc.boolean() }))),
  fc.tuple(fc.constant('tags'), fc.oneof(fc.record({ $eq: indexedString }), fc.record({ $in: fc.array(indexedString, { maxLength: 2 }) }), fc.record({ $exists: fc.boolean() }))),
);
const conditions = fc.oneof(
  { weight: 3, arbitrary: fc.uniqueArray(fieldCondition, { maxLength: 1, selector: ([field]) => field }) },
  { weight: 1, arbitrary: fc.uniqueArray(fieldCondition, { maxLength: 3, selector: ([field]) => field }) },
);
const selector = fc
  .record({
    fields: conditions,
    or: fc.option(fc.tuple(conditions, conditions), { freq: 5 }),
    liveOnly: fc.oneof(fc.constant(true), fc.boolean()),
  })
  .map(({ fields, or, liveOnly }) => {
    const result: Record<string, unknown> = Object.fromEntries(fields);
    if (or) result['$or'] = or.map((branch) => Object.fromEntries(branch));
    if (liveOnly) result['_deleted'] = { $eq: false };
    return result as MangoQuerySelector<Thing>;
  });
const sort = fc.oneof(
  fc.uniqueArray(fc.tuple(fc.constantFrom('str', 'num', 'flag', 'free', 'freeNum'), fc.constantFrom('asc', 'desc')), {
    maxLength: 2,
    selector: ([field]) => field,
  }),
  // Orders an index can deliver, so the index-ordered paths (limit pushed into SQL, early stop) run too.
  fc.constantFrom([['str', 'asc']], [['num', 'asc']], [['flag', 'asc'], ['num', 'asc']], [['num', 'asc'], ['str', 'asc']]),
);
const query = fc.record({
  selector,
  sort: sort.map((parts) => parts.map(([field, direction]) => ({ [field]: direction }))),
  skip: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  limit: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
});

type Step =
  | { kind: 'write'; ops: WriteOp[] }
  | { kind: 'query'; query: Record<string, unknown> }
  | { kind: 'changes'; pageSize: number }
  | { kind: 'cleanup' };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('write' as const), ops: fc.array(writeOp, { minLength: 1, maxLength: 8 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('query' as const), query }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('changes' as const), pageSize: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cleanup' as const }) },
);

// ---- running

type Instance = RxStorageInstance<Thing, any, any, any>;

async function applyWrite(sqlite: Instance, memory: Instance, ops: WriteOp[]): Promise<void> {
  const seen = new Set<string>();
  const rows = [];
  for (const op of ops) {
    // RxDB never sends two rows for one document in a bulk.
    if (seen.has(op.id)) continue;
    seen.add(op.id);
    const [current] = await memory.findDocumentsById([op.id], true);
    const data = { ...op.data, id: op.id };
    const document = (previous: RxDocumentData<Thing> | undefined, deleted: boolean): RxDocumentData<Thing> => ({
      ...data,
      _deleted: deleted,
      _attachments: {},
      _rev: createRevision(databaseToken, previous),
      _meta: { lwt: now() },
    });
    if (op.kind === 'insert' || !current) rows.push({ document: document(undefined, op.kind === 'delete') });
    else if (op.kind === 'upsert') rows.push({ previous: current, document: document(current, false) });
    else if (op.kind === 'delete') rows.push({ previous: current, document: document(current, true) });
    else rows.push({ previous: { ...current, _rev: '999-stale' }, document: document(current, false) });
  }
  // Each storage gets its own copy: the memory storage keeps the very objects it is given.
  const fromSqlite = await sqlite.bulkWrite(structuredClone(rows), 'differential');
  const fromMemory = await memory.bulkWrite(structuredClone(rows), 'differential');
  const summary = (errors: typeof fromMemory.error) =>
    errors.map((e) => ({ id: e.documentId, status: e.status, inDb: 'documentInDb' in e ? e.documentInDb : undefined }));
  expect(summary(fromSqlite.error)).toEqual(summary(fromMemory.error));
  stats.conflicts += fromMemory.error.length;
}

async function compareQuery(sqlite: Instance, memory: Instance, mango: Record<string, unknown>): Promise<void> {
  const preparedQuery = prepared(schema, mango as never);
  const expected = await memory.query(preparedQuery);
  const actual = await sqlite.query(preparedQuery);
  expect(actual.documents).toEqual(expected.documents);
  stats.queries++;
  if (actual.documents.length > 0) stats.nonEmpty++;
  if (preparedQuery.queryPlan.selectorSatisfiedByIndex) stats.bySelector++;
  if (preparedQuery.queryPlan.sortSatisfiedByIndex) stats.bySort++;

  // The memory storage ignores skip and limit in count(); both agree without them.
  const countQuery = prepared(schema, { selector: mango['selector'], sort: mango['sort'] } as never);
  const expectedCount = (await memory.count(countQuery)).count;
  expect((await sqlite.count(countQuery)).count).toBe(expectedCount);
  expect((await sqlite.count(preparedQuery)).count).toBe(actual.documents.length);
}

async function compareChanges(sqlite: Instance, memory: Instance, pageSize: number): Promise<void> {
  let fromSqlite = await sqlite.getChangedDocumentsSince!(pageSize);
  // The memory storage has no getChangedDocumentsSince: RxDB's helper answers with a query, the reference order.
  let fromMemory = await getChangedDocumentsSince(memory, pageSize);
  for (let page = 0; page < 50; page++) {
    expect(fromSqlite.documents).toEqual(fromMemory.documents);
    if (fromMemory.documents.length === 0) break;
    expect(fromSqlite.checkpoint).toEqual(fromMemory.checkpoint);
    fromSqlite = await sqlite.getChangedDocumentsSince!(pageSize, fromSqlite.checkpoint);
    fromMemory = await getChangedDocumentsSince(memory, pageSize, fromMemory.checkpoint);
  }
}

async function compareAll(sqlite: Instance, memory: Instance): Promise<void> {
  for (const withDeleted of [true, false]) {
    expect(await sqlite.findDocumentsById(IDS, withDeleted)).toEqual(await memory.findDocumentsById(IDS, withDeleted));
  }
}

const stats = { queries: 0, nonEmpty: 0, bySelector: 0, bySort: 0, conflicts: 0 };

describe.each(encryptionModes)('$mode', ({ encryptionKey }) => {
  let directory: ReturnType<typeof makeTempDirectory>;
  let anchor: Instance;
  let runNumber = 0;

  beforeAll(async () => {
    directory = makeTempDirectory();
    Object.assign(stats, { queries: 0, nonEmpty: 0, bySelector: 0, bySort: 0, conflicts: 0 });
    // Keeps the database file open across runs; each run gets its own collection in it.
    anchor = await openInstance<Thing>(getRxStorageSqliteNode({ directory: directory.path, encryptionKey }), 'differential', schema, 'anchor');
  });

  afterAll(async () => {
    await anchor.close();
    directory.remove();
  });

  test('the SQLite storage answers exactly like RxDB’s memory storage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(writeOp, { minLength: 5, maxLength: 40 }), fc.array(step, { minLength: 5, maxLength: 30, size: 'max' }), async (seed, steps) => {
        runNumber++;
        const sqlite = await openInstance<Thing>(getRxStorageSqliteNode({ directory: directory.path, encryptionKey }), 'differential', schema, `run${runNumber}`);
        const memory = await openInstance<Thing>(getRxStorageMemory(), 'differential-' + randomToken(10), schema, 'run');
        try {
          await applyWrite(sqlite, memory, seed);
          for (const current of steps) {
            if (current.kind === 'write') await applyWrite(sqlite, memory, current.ops);
            else if (current.kind === 'query') await compareQuery(sqlite, memory, current.query);
            else if (current.kind === 'changes') await compareChanges(sqlite, memory, current.pageSize);
            else expect(await sqlite.cleanup(0)).toBe(await memory.cleanup(0));
          }
          await compareAll(sqlite, memory);
        } finally {
          await sqlite.remove();
          await memory.remove();
        }
      }),
      { numRuns: 500 },
    );
    // Guards the guard: the runs must have reached real results, every query path and conflicts.
    expect(stats.queries).toBeGreaterThan(1_000);
    expect(stats.nonEmpty).toBeGreaterThan(stats.queries / 5);
    expect(stats.bySelector).toBeGreaterThan(100);
    expect(stats.bySort).toBeGreaterThan(300);
    expect(stats.conflicts).toBeGreaterThan(100);
  }, 120_000);
});
