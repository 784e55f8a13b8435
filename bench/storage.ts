/**
 * Storage benchmark: 100k learner profiles through the SQLite RxStorage (on its
 * worker threads, as the app runs it), compared with raw node:sqlite inserts (the
 * ceiling), RxDB's memory storage (reads) and itself encrypted (the cost of
 * encryption at rest). The stall is the main thread's: the storage only routes
 * messages there. Prints a table and, as the last line, one JSON object with the
 * figures.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { fillWithDefaultSettings, normalizeMangoQuery, prepareQuery, randomToken } from 'rxdb';
import type { MangoQuery, PreparedQuery, RxDocumentData, RxStorage, RxStorageInstance } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSqliteNode } from '../electron/storage';
import { learnerDocumentChunks, learnerProfiles, learnerProfileSchema, seededRandom } from './_storage-docs';
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

/**
 * Documents are generated per chunk, the same ones on every pass, so the JavaScript
 * heap holds one chunk rather than 100k documents: an app importing data does not
 * keep it all in memory either, and a huge heap would add GC pauses to the stall.
 */
const lwtBase = Date.now();
const toDocument = (profile: LearnerProfile, i: number): RxDocumentData<LearnerProfile> => ({
  ...profile,
  _deleted: false,
  _attachments: {},
  _rev: '1-' + token,
  _meta: { lwt: lwtBase + i / 100 },
});
const documentChunks = (size: number): Generator<RxDocumentData<LearnerProfile>[]> =>
  learnerDocumentChunks(COUNT, size, toDocument);

/**
 * The same chunks for the timed passes, made 100 documents per turn of the event
 * loop: making 1,000 takes tens of milliseconds here, which would otherwise show up
 * in the stall that is meant to measure the storage.
 */
async function* documentChunksGently(size: number): AsyncGenerator<RxDocumentData<LearnerProfile>[]> {
  let chunk: RxDocumentData<LearnerProfile>[] = [];
  let index = 0;
  for (const profile of learnerProfiles(COUNT)) {
    chunk.push(toDocument(profile, index++));
    if (index % 100 === 0) await yieldToEventLoop();
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

// One pass over the data for what the queries need: ids, sizes, and range bounds that hold exactly 5,000 active profiles.
const ids: string[] = [];
const activeTimes: string[] = [];
let jsonBytes = 0;
for (const profile of learnerProfiles(COUNT)) {
  ids.push(profile.id);
  if (!profile.is_archived) activeTimes.push(profile.created_time);
  if (ids.length <= 1_000) jsonBytes += Buffer.byteLength(JSON.stringify(toDocument(profile, ids.length - 1)));
}
const averageJsonBytes = Math.round(jsonBytes / 1_000);
activeTimes.sort();
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
const idSets = Array.from({ length: 21 }, () => Array.from({ length: 100 }, () => ids[Math.floor(random() * COUNT)] as string));
/** RxDB's find-by-ids-3000, here against 100k documents. */
const bigIdSets = Array.from({ length: 11 }, () => Array.from({ length: 3_000 }, () => ids[Math.floor(random() * COUNT)] as string));

type InsertRun = {
  ms: number;
  maxStallMs: number;
  /**
   * The main thread's own CPU time in the 1 ms tick interval that stalled longest, and the most it used in any
   * interval: a stall with little CPU of ours is the machine's other threads and processes, not our work.
   */
  maxStallMainCpuMs: number;
  maxMainCpuPerTickMs: number;
  /** Longest garbage-collection pause on the main thread. */
  maxGcPauseMs: number;
  maxStallAfterFirstChunkMs: number;
  maxChunkMs: number;
  /** CPU time of the event-loop thread in the synchronous part of the costliest bulkWrite: the stall without other processes' noise. */
  maxWriteCpuMs: number;
  /** Largest size the WAL reached: checkpoints run in the background and must keep it bounded. */
  maxWalBytes: number;
};

async function insertInChunks(instance: Instance, chunk: number, walPath: string): Promise<InsertRun> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  // A 1 ms ticker attributes each late tick to the chunk being written, so the cold first chunk can be told apart.
  let chunkIndex = 0;
  let maxDrift = 0;
  let maxDriftAfterFirst = 0;
  let lastTick = performance.now();
  let lastCpu = process.threadCpuUsage();
  let maxStallMainCpuMs = 0;
  let maxMainCpuPerTickMs = 0;
  let maxGcPauseMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) maxGcPauseMs = Math.max(maxGcPauseMs, entry.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const ticker = setInterval(() => {
    const nowMs = performance.now();
    const cpu = process.threadCpuUsage(lastCpu);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const drift = nowMs - lastTick - 1;
    if (drift > maxDrift) maxStallMainCpuMs = cpuMs;
    maxDrift = Math.max(maxDrift, drift);
    maxMainCpuPerTickMs = Math.max(maxMainCpuPerTickMs, cpuMs);
    if (chunkIndex > 0) maxDriftAfterFirst = Math.max(maxDriftAfterFirst, drift);
    lastTick = nowMs;
    lastCpu = process.threadCpuUsage();
  }, 1);
  await yieldToEventLoop();
  histogram.enable();
  let maxChunkMs = 0;
  let maxWriteCpuMs = 0;
  let maxWalBytes = 0;
  let writingMs = 0;
  for await (const documents of documentChunksGently(chunk)) {
    // Making the chunk is not counted as writing; the write starts on a turn of its own.
    await yieldToEventLoop();
    const chunkStart = performance.now();
    const cpuBefore = process.threadCpuUsage();
    const writing = instance.bulkWrite(
      documents.map((document) => ({ document })),
      'bench-insert',
    );
    const cpu = process.threadCpuUsage(cpuBefore);
    maxWriteCpuMs = Math.max(maxWriteCpuMs, (cpu.user + cpu.system) / 1000);
    const result = await writing;
    if (result.error.length > 0) throw new Error(`bulkWrite reported ${result.error.length} errors`);
    const chunkMs = performance.now() - chunkStart;
    writingMs += chunkMs;
    maxWalBytes = Math.max(maxWalBytes, statSync(walPath, { throwIfNoEntry: false })?.size ?? 0);
    maxChunkMs = Math.max(maxChunkMs, chunkMs);
    // An import this size must let the app breathe between chunks; the stall is what one chunk costs.
    await yieldToEventLoop();
    chunkIndex++;
  }
  const ms = writingMs;
  histogram.disable();
  clearInterval(ticker);
  gcObserver.disconnect();
  return {
    ms,
    maxStallMs: Math.max(histogram.max / 1e6, maxDrift),
    maxStallMainCpuMs,
    maxMainCpuPerTickMs,
    maxGcPauseMs,
    maxStallAfterFirstChunkMs: maxDriftAfterFirst,
    maxChunkMs,
    maxWriteCpuMs,
    maxWalBytes,
  };
}

function rawInsert(path: string): number {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL');
  db.exec('CREATE TABLE docs (id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO docs (id, data) VALUES (?, ?)');
  // Generating the documents is not part of the ceiling: only stringify and insert are timed.
  let ms = 0;
  db.exec('BEGIN');
  for (const documents of documentChunks(CHUNK)) {
    const start = performance.now();
    for (const doc of documents) insert.run(doc.id, JSON.stringify(doc));
    ms += performance.now() - start;
  }
  const start = performance.now();
  db.exec('COMMIT');
  ms += performance.now() - start;
  db.close();
  return ms;
}

type Reads = { findByIds: number; findByIds3000: number; limit10: number; range: number; count: number; rangeSize: number; countValue: number };

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
    findByIds3000: await timeMedian(11, async (run) => {
      const found = await instance.findDocumentsById(bigIdSets[run] as string[], false);
      if (found.length !== 3_000) throw new Error('findDocumentsById lost documents');
    }),
    limit10: await timeMedian(51, () => instance.query(limit10Query)),
    range: await timeMedian(7, () => instance.query(rangeQuery)),
    count: await timeMedian(21, () => instance.count(countQuery)),
    rangeSize,
    countValue,
  };
}

// Other processes on a small machine show up as stalls; the load is printed with the figures.
const loadStart = loadavg()[0] as number;
const directory = mkdtempSync(join(tmpdir(), 'bench-storage-'));
try {
  const rawMs = rawInsert(join(directory, 'raw.sqlite'));

  const sqliteStorage = getRxStorageSqliteNode({ directory });
  const sqlite = await open(sqliteStorage, 'bench');
  const insert = await insertInChunks(sqlite, CHUNK, join(directory, 'bench.sqlite-wal'));
  await sqlite.close();
  const fileBytes = statSync(join(directory, 'bench.sqlite')).size;

  const smallChunks = await open(sqliteStorage, 'bench-small-chunks');
  const smallInsert = await insertInChunks(smallChunks, SMALL_CHUNK, join(directory, 'bench-small-chunks.sqlite-wal'));
  await smallChunks.remove();

  // The same inserts and lookups on an encrypted database: their ratios to the plaintext ones are the cost of encryption.
  const encryptionKey = randomBytes(32);
  const encryptedStorage = getRxStorageSqliteNode({ directory, encryptionKey });
  const encrypted = await open(encryptedStorage, 'bench-encrypted');
  const encryptedInsert = await insertInChunks(encrypted, CHUNK, join(directory, 'bench-encrypted.sqlite-wal'));
  await encrypted.close();

  const reopenStart = performance.now();
  const reopened = await open(getRxStorageSqliteNode({ directory }), 'bench');
  await reopened.query(limit10Query);
  const reopenMs = performance.now() - reopenStart;
  const sqliteReads = await reads(reopened);
  await reopened.close();
  // Right after the plaintext reads, so both run with the same files in the OS's cache.
  const encryptedReopened = await open(getRxStorageSqliteNode({ directory, encryptionKey }), 'bench-encrypted');
  const encryptedReads = await reads(encryptedReopened);
  await encryptedReopened.remove();

  const memory = await open(getRxStorageMemory(), 'bench-' + randomToken(6));
  let memoryInsertMs = 0;
  for (const documents of documentChunks(CHUNK)) {
    const start = performance.now();
    await memory.bulkWrite(documents.map((document) => ({ document })), 'bench-insert');
    memoryInsertMs += performance.now() - start;
  }
  const indexStart = performance.now();
  await memory.query(limit10Query); // the memory storage builds its indexes lazily, on the first read
  memoryInsertMs += performance.now() - indexStart;
  const memoryReads = await reads(memory);
  // The share of findDocumentsById that is only JSON.parse of the stored text, which any JSON storage pays.
  const found = await memory.findDocumentsById([...new Set(idSets.flat())], false);
  const jsonById = new Map(found.map((doc) => [doc.id, JSON.stringify(doc)]));
  const idJson = idSets.map((set) => set.map((id) => jsonById.get(id) as string));
  const parseOnly = await timeMedian(21, async (run) => {
    for (const json of idJson[run] as string[]) JSON.parse(json);
  });

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
    find_by_ids_3000_ms: round(sqliteReads.findByIds3000, 1),
    find_by_ids_3000_memory_ms: round(memoryReads.findByIds3000, 1),
    encrypted_insert_docs_per_s: docsPerS(encryptedInsert.ms),
    encrypted_insert_ratio: round(encryptedInsert.ms / insert.ms, 2),
    encrypted_find_by_ids_ms: round(encryptedReads.findByIds),
    encrypted_find_by_ids_ratio: round(encryptedReads.findByIds / sqliteReads.findByIds, 2),
    encrypted_find_by_ids_3000_ms: round(encryptedReads.findByIds3000, 1),
    encrypted_max_stall_ms: round(encryptedInsert.maxStallMs, 1),
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
    max_stall_main_cpu_ms: round(insert.maxStallMainCpuMs, 1),
    max_main_cpu_per_tick_ms: round(insert.maxMainCpuPerTickMs, 1),
    max_gc_pause_ms: round(insert.maxGcPauseMs, 1),
    max_stall_after_first_chunk_ms: round(insert.maxStallAfterFirstChunkMs, 1),
    max_chunk_ms: round(insert.maxChunkMs, 1),
    max_write_cpu_ms: round(insert.maxWriteCpuMs, 1),
    max_wal_mb: round(insert.maxWalBytes / 1e6, 1),
    [`chunk_${SMALL_CHUNK}_insert_docs_per_s`]: docsPerS(smallInsert.ms),
    [`chunk_${SMALL_CHUNK}_max_stall_ms`]: round(smallInsert.maxStallMs, 1),
    [`chunk_${SMALL_CHUNK}_max_stall_after_first_chunk_ms`]: round(smallInsert.maxStallAfterFirstChunkMs, 1),
    [`chunk_${SMALL_CHUNK}_max_write_cpu_ms`]: round(smallInsert.maxWriteCpuMs, 1),
    load_average_1m: [round(loadStart, 2), round(loadavg()[0] as number, 2)],
  };
  if (sqliteReads.countValue !== memoryReads.countValue) throw new Error('sqlite and memory counts differ');

  const rows: [string, string, string, string][] = [
    ['measure', 'sqlite storage', 'reference', 'ratio'],
    ['bulk insert, 1,000 per bulkWrite', `${figures.insert_docs_per_s} docs/s`, `raw node:sqlite ${figures.raw_insert_docs_per_s} docs/s`, `${figures.insert_ratio_vs_raw}× slower`],
    ['largest event-loop stall while inserting', `${figures.max_stall_ms} ms`, `after the first chunk ${figures.max_stall_after_first_chunk_ms} ms`, ''],
    ['  main thread CPU in that stall', `${figures.max_stall_main_cpu_ms} ms`, `most in any tick ${figures.max_main_cpu_per_tick_ms} ms`, ''],
    ['  longest GC pause on the main thread', `${figures.max_gc_pause_ms} ms`, '', ''],
    ['  CPU of the costliest bulkWrite on the event loop', `${figures.max_write_cpu_ms} ms`, '', ''],
    [`same with ${SMALL_CHUNK} per bulkWrite`, `${smallInsert.maxStallMs.toFixed(1)} ms stall`, `after the first ${smallInsert.maxStallAfterFirstChunkMs.toFixed(1)} ms; ${docsPerS(smallInsert.ms)} docs/s`, ''],
    ['  CPU of the costliest bulkWrite on the event loop', `${smallInsert.maxWriteCpuMs.toFixed(1)} ms`, '', ''],
    ['reopen + first query', `${figures.reopen_first_query_ms} ms`, '', ''],
    ['findDocumentsById, 100 random ids (median)', `${figures.find_by_ids_100_ms} ms`, `memory ${figures.find_by_ids_memory_ms} ms`, `${figures.find_by_ids_ratio_vs_memory}×`],
    ['  of which JSON.parse of the 100 documents', `${figures.find_by_ids_json_parse_only_ms} ms`, '', ''],
    ['findDocumentsById, 3,000 random ids (median)', `${figures.find_by_ids_3000_ms} ms`, `memory ${figures.find_by_ids_3000_memory_ms} ms`, ''],
    ['encrypted: bulk insert, 1,000 per bulkWrite', `${figures.encrypted_insert_docs_per_s} docs/s`, `plaintext ${figures.insert_docs_per_s} docs/s`, `${figures.encrypted_insert_ratio}×`],
    ['encrypted: findDocumentsById, 100 ids', `${figures.encrypted_find_by_ids_ms} ms`, `plaintext ${figures.find_by_ids_100_ms} ms`, `${figures.encrypted_find_by_ids_ratio}×`],
    ['encrypted: findDocumentsById, 3,000 ids', `${figures.encrypted_find_by_ids_3000_ms} ms`, '', ''],
    ['encrypted: largest event-loop stall while inserting', `${figures.encrypted_max_stall_ms} ms`, '', ''],
    ['indexed equality, limit 10 (median)', `${figures.indexed_limit10_ms} ms`, `memory ${figures.indexed_limit10_memory_ms} ms`, `${figures.indexed_limit10_ratio_vs_memory}×`],
    ['range query, 5,000 docs (median)', `${figures.range_5000_ms} ms`, `memory ${figures.range_5000_memory_ms} ms`, `${figures.range_5000_ratio_vs_memory}×`],
    [`count, ${figures.count_value} matches (median)`, `${figures.count_ms} ms`, `memory ${figures.count_memory_ms} ms`, `${figures.count_ratio_vs_memory}×`],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  console.log(
    `${COUNT} learner profiles, ~${averageJsonBytes} bytes of JSON each; database file ${figures.file_mb} MB; WAL at most ${figures.max_wal_mb} MB while inserting`,
  );
  console.log(`load average (1 min) at start and end: ${figures.load_average_1m.join(', ')} on ${cpus().length} cores`);
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd());
  console.log(
    `targets: main-thread stall ≤ 16 ms; findByIds of 3,000 < 20 ms; encrypted/plaintext ≤ 1.5 for inserts and findByIds; limit-10 query ≤ 1 ms; count ≤ 10 ms; reopen ≤ 1 s`,
  );
  console.log(JSON.stringify(figures));
} finally {
  rmSync(directory, { recursive: true, force: true });
}
