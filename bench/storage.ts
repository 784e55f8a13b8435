/**
 * Storage benchmark: 100k learner profiles through the SQLite RxStorage, compared
 * with raw node:sqlite inserts (the ceiling) and RxDB's memory storage (reads).
 * Prints a table and, as the last line, one JSON object with the figures.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fillWithDefaultSettings, normalizeMangoQuery, prepareQuery, randomToken } from 'rxdb';
import type { MangoQuery, PreparedQuery, RxDocumentData, RxStorage, RxStorageInstance } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSqliteNode } from '../electron/storage';
import { learnerProfileSchema, makeLearnerProfiles, seededRandom } from './_storage-docs';
import type { LearnerProfile } from './_storage-docs';

const COUNT = 100_000;
const CHUNK = 1_000;
/** A second pass with smaller chunks shows what the stall costs in throughput. */
const SMALL_CHUNK = 250;
const schema = fillWithDefaultSettings(learnerProfileSchema);
const token = randomToken(10);

type Instance = RxStorageInstance<LearnerProfile, unknown, unknown, unknown>;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timeMedian(runs: number, fn: (run: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await fn(run);
    times.push(performance.now() - start);
  }
  return median(times);
}

function prepared(query: MangoQuery<LearnerProfile>): PreparedQuery<LearnerProfile> {
  return prepareQuery(schema, normalizeMangoQuery(schema, query));
}

function open(storage: RxStorage<any, any>, databaseName: string): Promise<Instance> {
  return storage.createStorageInstance<LearnerProfile>({
    databaseInstanceToken: token,
    databaseName,
    collectionName: 'learner_profiles',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  }) as Promise<Instance>;
}

const profiles = makeLearnerProfiles(COUNT);
const lwtBase = Date.now();
const documents: RxDocumentData<LearnerProfile>[] = profiles.map((profile, i) => ({
  ...profile,
  _deleted: false,
  _attachments: {},
  _rev: '1-' + token,
  _meta: { lwt: lwtBase + i / 100 },
}));
const averageJsonBytes = Math.round(
  documents.slice(0, 1000).reduce((sum, doc) => sum + Buffer.byteLength(JSON.stringify(doc)), 0) / 1000,
);

// Queries: the bounds of the range query are chosen so that exactly 5,000 active profiles fall inside.
const activeTimes = profiles.filter((p) => !p.is_archived).map((p) => p.created_time).sort();
const rangeFrom = activeTimes[10_000] as string;
const rangeTo = activeTimes[15_000] as string;
const limit10Query = prepared({
  selector: { _deleted: { $eq: false }, employment_status: { $eq: 'student' } } as never,
  sort: [{ created_time: 'asc' }],
  limit: 10,
});
const rangeQuery = prepared({
  selector: { _deleted: { $eq: false }, is_archived: { $eq: false }, created_time: { $gte: rangeFrom, $lt: rangeTo } } as never,
  sort: [{ created_time: 'asc' }],
});
const countQuery = prepared({
  selector: { _deleted: { $eq: false }, is_archived: { $eq: false } } as never,
});
const random = seededRandom(7);
const idSets = Array.from({ length: 21 }, () =>
  Array.from({ length: 100 }, () => (profiles[Math.floor(random() * COUNT)] as LearnerProfile).id),
);

async function insertInChunks(instance: Instance, chunk: number): Promise<{ ms: number; maxStallMs: number; maxChunkMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let maxDrift = 0;
  let lastTick = performance.now();
  const ticker = setInterval(() => {
    const nowMs = performance.now();
    maxDrift = Math.max(maxDrift, nowMs - lastTick - 1);
    lastTick = nowMs;
  }, 1);
  await yieldToEventLoop();
  histogram.enable();
  let maxChunkMs = 0;
  const start = performance.now();
  for (let offset = 0; offset < COUNT; offset += chunk) {
    const chunkStart = performance.now();
    const result = await instance.bulkWrite(
      documents.slice(offset, offset + chunk).map((document) => ({ document })),
      'bench-insert',
    );
    if (result.error.length > 0) throw new Error(`bulkWrite reported ${result.error.length} errors`);
    maxChunkMs = Math.max(maxChunkMs, performance.now() - chunkStart);
    // An import this size must let the app breathe between chunks; the stall is what one chunk costs.
    await yieldToEventLoop();
  }
  const ms = performance.now() - start;
  histogram.disable();
  clearInterval(ticker);
  return { ms, maxStallMs: Math.max(histogram.max / 1e6, maxDrift), maxChunkMs };
}

function rawInsert(path: string): number {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL');
  db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO docs (id, data) VALUES (?, ?)');
  const start = performance.now();
  db.exec('BEGIN');
  for (const doc of documents) insert.run(doc.id, JSON.stringify(doc));
  db.exec('COMMIT');
  const ms = performance.now() - start;
  db.close();
  return ms;
}

type Reads = { findByIds: number; limit10: number; range: number; count: number; rangeSize: number; countValue: number };

async function reads(instance: Instance): Promise<Reads> {
  const rangeSize = (await instance.query(rangeQuery)).documents.length;
  const countValue = (await instance.count(countQuery)).count;
  const limit10Size = (await instance.query(limit10Query)).documents.length;
  if (rangeSize !== 5_000 || limit10Size !== 10) throw new Error(`unexpected result sizes ${rangeSize}, ${limit10Size}`);
  return {
    findByIds: await timeMedian(21, async (run) => {
      const found = await instance.findDocumentsById(idSets[run] as string[], false);
      if (found.length !== 100) throw new Error('findDocumentsById lost documents');
    }),
    limit10: await timeMedian(51, () => instance.query(limit10Query)),
    range: await timeMedian(7, () => instance.query(rangeQuery)),
    count: await timeMedian(21, () => instance.count(countQuery)),
    rangeSize,
    countValue,
  };
}

const directory = mkdtempSync(join(tmpdir(), 'bench-storage-'));
try {
  const rawMs = rawInsert(join(directory, 'raw.sqlite'));

  const sqliteStorage = getRxStorageSqliteNode({ directory });
  const sqlite = await open(sqliteStorage, 'bench');
  const insert = await insertInChunks(sqlite, CHUNK);
  await sqlite.close();
  const fileBytes = statSync(join(directory, 'bench.sqlite')).size;

  const smallChunks = await open(sqliteStorage, 'bench-small-chunks');
  const smallInsert = await insertInChunks(smallChunks, SMALL_CHUNK);
  await smallChunks.remove();

  const reopenStart = performance.now();
  const reopened = await open(getRxStorageSqliteNode({ directory }), 'bench');
  await reopened.query(limit10Query);
  const reopenMs = performance.now() - reopenStart;
  const sqliteReads = await reads(reopened);
  await reopened.close();

  // The share of findDocumentsById that is only JSON.parse of the stored text, which any JSON storage pays.
  const idJson = idSets.map((ids) => ids.map((id) => JSON.stringify(documents.find((d) => d.id === id))));
  const parseOnly = await timeMedian(21, async (run) => {
    for (const json of idJson[run] as string[]) JSON.parse(json);
  });

  const memory = await open(getRxStorageMemory(), 'bench-' + randomToken(6));
  const memoryInsertStart = performance.now();
  for (let offset = 0; offset < COUNT; offset += CHUNK) {
    await memory.bulkWrite(documents.slice(offset, offset + CHUNK).map((document) => ({ document })), 'bench-insert');
  }
  await memory.query(limit10Query); // the memory storage builds its indexes lazily, on the first read
  const memoryInsertMs = performance.now() - memoryInsertStart;
  const memoryReads = await reads(memory);
  await memory.remove();

  const docsPerS = (ms: number): number => Math.round(COUNT / (ms / 1000));
  const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
  const figures = {
    documents: COUNT,
    chunk: CHUNK,
    avg_doc_json_bytes: averageJsonBytes,
    file_mb: round(fileBytes / 1e6, 1),
    insert_docs_per_s: docsPerS(insert.ms),
    raw_insert_docs_per_s: docsPerS(rawMs),
    insert_ratio_vs_raw: round(insert.ms / rawMs, 2),
    memory_insert_docs_per_s: docsPerS(memoryInsertMs),
    reopen_first_query_ms: round(reopenMs, 1),
    find_by_ids_100_ms: round(sqliteReads.findByIds),
    find_by_ids_json_parse_only_ms: round(parseOnly),
    find_by_ids_memory_ms: round(memoryReads.findByIds),
    find_by_ids_ratio_vs_memory: round(sqliteReads.findByIds / memoryReads.findByIds, 1),
    indexed_limit10_ms: round(sqliteReads.limit10),
    indexed_limit10_memory_ms: round(memoryReads.limit10),
    indexed_limit10_ratio_vs_memory: round(sqliteReads.limit10 / memoryReads.limit10, 1),
    range_5000_ms: round(sqliteReads.range, 1),
    range_5000_memory_ms: round(memoryReads.range, 1),
    range_5000_ratio_vs_memory: round(sqliteReads.range / memoryReads.range, 1),
    count_ms: round(sqliteReads.count),
    count_value: sqliteReads.countValue,
    count_memory_ms: round(memoryReads.count),
    count_ratio_vs_memory: round(sqliteReads.count / memoryReads.count, 1),
    max_stall_ms: round(insert.maxStallMs, 1),
    max_chunk_ms: round(insert.maxChunkMs, 1),
    [`chunk_${SMALL_CHUNK}_insert_docs_per_s`]: docsPerS(smallInsert.ms),
    [`chunk_${SMALL_CHUNK}_max_stall_ms`]: round(smallInsert.maxStallMs, 1),
  };
  if (sqliteReads.countValue !== memoryReads.countValue) throw new Error('sqlite and memory counts differ');

  const rows: [string, string, string, string][] = [
    ['measure', 'sqlite storage', 'reference', 'ratio'],
    ['bulk insert, 1,000 per bulkWrite', `${figures.insert_docs_per_s} docs/s`, `raw node:sqlite ${figures.raw_insert_docs_per_s} docs/s`, `${figures.insert_ratio_vs_raw}× slower`],
    ['largest event-loop stall while inserting', `${figures.max_stall_ms} ms`, `slowest chunk ${figures.max_chunk_ms} ms`, ''],
    [`same with ${SMALL_CHUNK} per bulkWrite`, `${smallInsert.maxStallMs.toFixed(1)} ms stall`, `${docsPerS(smallInsert.ms)} docs/s`, ''],
    ['reopen + first query', `${figures.reopen_first_query_ms} ms`, '', ''],
    ['findDocumentsById, 100 random ids (median)', `${figures.find_by_ids_100_ms} ms`, `memory ${figures.find_by_ids_memory_ms} ms`, `${figures.find_by_ids_ratio_vs_memory}×`],
    ['  of which JSON.parse of the 100 documents', `${figures.find_by_ids_json_parse_only_ms} ms`, '', ''],
    ['indexed equality, limit 10 (median)', `${figures.indexed_limit10_ms} ms`, `memory ${figures.indexed_limit10_memory_ms} ms`, `${figures.indexed_limit10_ratio_vs_memory}×`],
    ['range query, 5,000 docs (median)', `${figures.range_5000_ms} ms`, `memory ${figures.range_5000_memory_ms} ms`, `${figures.range_5000_ratio_vs_memory}×`],
    [`count, ${figures.count_value} matches (median)`, `${figures.count_ms} ms`, `memory ${figures.count_memory_ms} ms`, `${figures.count_ratio_vs_memory}×`],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  console.log(`${COUNT} learner profiles, ~${averageJsonBytes} bytes of JSON each; database file ${figures.file_mb} MB`);
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd());
  console.log(`limits: insert ≥ 30,000 docs/s and ≤ 5× raw; limit-10 query ≤ 1 ms; findByIds ≤ 3× memory; count ≤ 10 ms; reopen ≤ 1 s; stall ≤ 50 ms`);
  console.log(JSON.stringify(figures));
} finally {
  rmSync(directory, { recursive: true, force: true });
}
