/**
 * The RxStorage factory: maps an RxDB database to its SQLite file and opens
 * collection instances in it, with the SQLite work on other threads.
 *
 * Why our own small protocol rather than RxDB's remote-storage plugin: reads and
 * writes go to different threads (a second connection, so a read never waits
 * for a long write), a write across collections needs a request of its own, a
 * stopped worker must fail its callers rather than leave them waiting, and the
 * plugin's error messages repeat a failed request's parameters (documents) in
 * full, which must not reach a log here.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureRxStorageInstanceParamsAreCorrect, getPrimaryFieldOfPrimaryKey, RXDB_VERSION } from 'rxdb';
import type { RxJsonSchema, RxStorage, RxStorageInstanceCreationParams } from 'rxdb';
import { KEY_BYTES } from './cipher';
import { acquireFile, releaseFile, reportUnreadable, separateReaders } from './database-files';
import type { Engines } from './database-files';
import type { SqliteDriver } from './driver';
import { inThread, startWorker } from './engine-link';
import type { CountSpec, FileSummary } from './file-tools';
import { databaseFileName } from './file-name';
import { nodeSqliteDriver } from './node-sqlite-driver';
import { StorageEngine } from './storage-engine';
import { RxStorageInstanceSqlite } from './storage-instance';
import type { SqliteInstanceOptions, SqliteStorageInternals } from './storage-instance';

export type UnreadableDocument = { databaseName: string; collectionName: string; id: string };

export type SqliteStorageSettings = {
  /** Folder that holds one `<database name>.sqlite` file per RxDB database; created (0700) if missing. Default: the working directory. */
  directory?: string;
  /**
   * How long a write waits for another process's lock before failing. Within
   * one process there is no contention; the wait happens on the writer thread.
   */
  busyTimeoutMs?: number;
  /**
   * 32 bytes. Seals every document body and attachment with AES-256-GCM; index
   * key columns stay plaintext (see indexableFields). A plaintext file opened
   * with a key is encrypted on the spot; an encrypted file opened with another
   * key, or none, fails with WrongKeyError or MissingKeyError.
   */
  encryptionKey?: Uint8Array;
  /**
   * Called once per stored document whose sealed body fails to open (tampered
   * or truncated). The document is left out of results; everything else works.
   */
  onUnreadableDocument?: (document: UnreadableDocument) => void;
  /**
   * The fields a schema may index, besides its primary key and RxDB's own
   * fields (`_deleted`, `_meta.lwt`). Index keys are stored in plain text, so an
   * encrypted database should index only non-personal fields; with this list a
   * schema that indexes anything else is refused with UnsafeIndexError, unless
   * its table exists already (an older schema version, opened so that RxDB can
   * migrate its documents to the new version's table and drop it).
   */
  indexableFields?: readonly string[];
};

export type RxStorageSqliteNode = RxStorage<SqliteStorageInternals, SqliteInstanceOptions> & {
  /** Absolute path of the SQLite file that holds this database. */
  databaseFile(databaseName: string): string;
  /** Stored documents met so far that could not be read (each counted once). */
  readonly unreadableDocuments: number;
  /**
   * Copies an open database into `target` (VACUUM INTO on the writer thread, after the writes queued before it),
   * checks the copy and records in it how many documents match `count`. The copy keeps the file's key check and
   * sealed rows: it opens only with this storage's key.
   */
  backupDatabase(databaseName: string, target: string, count: CountSpec): Promise<FileSummary>;
  /**
   * What a database file that is not open holds, read-only, after its key check with this storage's key
   * (WrongKeyError, MissingKeyError); the recorded summary of a backup, or else a count.
   */
  describeFile(path: string, count: CountSpec): Promise<FileSummary>;
  /** SQLite's quick check of a file that is not open, off the main thread: what is wrong, or undefined. */
  checkFile(path: string): Promise<string | undefined>;
  /** Seals a whole file with this storage's key into `target` (created 0600); the source is left as it is. */
  sealFile(path: string, target: string): Promise<void>;
  /** Opens a file sealFile made into `target`; WrongKeyError when it was sealed with another key or is damaged. */
  unsealFile(path: string, target: string): Promise<void>;
};

/**
 * One writer thread and two reader threads per process (one on a single core),
 * shared by every database file; started on first use. Two readers take turns,
 * and split a large lookup by id between them: opening sealed documents is most
 * of its cost, and it runs on both cores while the main thread waits.
 */
let workers: Engines | undefined;
const READERS = availableParallelism() > 1 ? 2 : 1;

function workerEngines(): Engines {
  if (!workers || [workers.writer, ...workers.readers].some((link) => link.failure)) {
    // Threads beside a stopped one serve nobody any more; their files fail until reopened on new threads.
    const old = workers;
    if (old) for (const link of [old.writer, ...old.readers]) void link.terminate();
    workers = {
      writer: startWorker('writer', reportUnreadable),
      readers: Array.from({ length: READERS }, () => startWorker('reader', reportUnreadable)),
    };
  }
  return workers;
}

/**
 * Stops the storage threads at once, as a crash would: every open instance then
 * fails with StorageWorkerError, and the next storage instance opened starts a
 * new pair. For tests, and for a last-resort shutdown.
 */
export async function terminateStorageThreads(): Promise<void> {
  const current = workers;
  if (!current) return;
  await Promise.all([current.writer, ...current.readers].map((link) => link.terminate()));
}

/**
 * RxDB's own fields and the primary key are always indexable. Returns why a schema may not create its table (it
 * indexes another field), or undefined when it may.
 */
function unsafeIndex(schema: RxJsonSchema<any>, collectionName: string, allowed: readonly string[]): string | undefined {
  const primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as string;
  const ok = new Set([...allowed, primaryPath, '_deleted', '_meta.lwt']);
  for (const index of schema.indexes ?? []) {
    for (const field of Array.isArray(index) ? index : [index as string]) {
      if (!ok.has(field)) {
        return `sqlite storage: collection '${collectionName}' indexes '${field}', which is not in indexableFields (index keys are stored in plain text)`;
      }
    }
  }
  return undefined;
}

function createStorage(settings: SqliteStorageSettings, engines: () => Engines): RxStorageSqliteNode {
  const directory = resolve(settings.directory ?? '.');
  const busyTimeoutMs = settings.busyTimeoutMs ?? 2_000;
  const key = settings.encryptionKey ? new Uint8Array(settings.encryptionKey) : undefined;
  if (key && key.byteLength !== KEY_BYTES) {
    throw new Error(`sqlite storage: encryptionKey must be ${KEY_BYTES} bytes, not ${key.byteLength}`);
  }
  const databaseFile = (databaseName: string): string => join(directory, databaseFileName(databaseName));
  const unreadable = new Set<string>();
  const needKey = (what: string): Uint8Array => {
    if (!key) throw new Error(`sqlite storage: ${what} needs an encryptionKey`);
    return key;
  };

  return {
    name: 'sqlite-node',
    rxdbVersion: RXDB_VERSION,
    databaseFile,
    get unreadableDocuments() {
      return unreadable.size;
    },
    backupDatabase: (databaseName, target, count) =>
      engines().writer.request({ op: 'backup', file: databaseFile(databaseName), target: resolve(target), count }),
    describeFile: (path, count) => engines().writer.request({ op: 'describe-file', file: resolve(path), key, count }),
    checkFile: async (path) => (await engines().writer.request({ op: 'check-file', file: resolve(path) })).problem ?? undefined,
    sealFile: async (path, target) => {
      await engines().writer.request({ op: 'seal-file', file: resolve(path), target: resolve(target), key: needKey('sealing a file') });
    },
    unsealFile: async (path, target) => {
      await engines().writer.request({ op: 'unseal-file', file: resolve(path), target: resolve(target), key: needKey('opening a sealed file') });
    },
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, SqliteInstanceOptions>,
    ): Promise<RxStorageInstanceSqlite<RxDocType>> {
      ensureRxStorageInstanceParamsAreCorrect(params);
      // A table that exists already may still be opened (RxDB reads an older schema version's documents to migrate
      // them, then drops its table); no new one is ever made with such an index.
      const unsafe = settings.indexableFields ? unsafeIndex(params.schema, params.collectionName, settings.indexableFields) : undefined;
      const { databaseName } = params;
      const report = ({ collectionName, id }: { collectionName: string; id: string }): void => {
        const seen = `${collectionName}\u0000${id}`;
        if (unreadable.has(seen)) return;
        unreadable.add(seen);
        settings.onUnreadableDocument?.({ databaseName, collectionName, id });
      };
      const file = await acquireFile(engines(), databaseFile(databaseName), { busyTimeoutMs, key, report });
      try {
        const request = { op: 'open-collection', file: file.path, collectionName: params.collectionName, schema: params.schema, refuseNew: unsafe } as const;
        const { table } = await file.engines.writer.request(request);
        await Promise.all(separateReaders(file.engines).map((reader) => reader.request(request)));
        return new RxStorageInstanceSqlite<RxDocType>(databaseName, params.collectionName, params.schema, params.options, file, table);
      } catch (error) {
        await releaseFile(file);
        throw error;
      }
    },
  };
}

/**
 * The storage as the app runs it: SQLite on a writer thread and reader
 * threads, the main thread only routing messages.
 */
export function getRxStorageSqliteNode(settings: SqliteStorageSettings = {}): RxStorageSqliteNode {
  return createStorage(settings, workerEngines);
}

/**
 * The same storage with its engine on the calling thread, through the same
 * requests: for tests that replace the SQLite driver or watch the engine's I/O.
 * Every statement then blocks the caller's event loop.
 */
export function getRxStorageSqliteInThread(settings: SqliteStorageSettings & { driver?: SqliteDriver } = {}): RxStorageSqliteNode {
  const link = inThread(new StorageEngine('writer', settings.driver ?? nodeSqliteDriver), reportUnreadable);
  const engines: Engines = { writer: link, readers: [link] };
  return createStorage(settings, () => engines);
}
