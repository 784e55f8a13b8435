/**
 * Public entry of the SQLite RxStorage for the Electron main process.
 *
 *   const storage = getRxStorageSqliteNode({ directory: app.getPath('userData'), encryptionKey });
 *   const db = await createRxDatabase({ name: 'learners', storage });
 *
 * One file per RxDB database, `${directory}/${databaseFileName(name)}`. The
 * SQLite work runs on a writer thread and a reader thread; the main thread only
 * routes messages.
 */
export { getRxStorageSqliteInThread, getRxStorageSqliteNode, terminateStorageThreads } from './storage';
export type { RxStorageSqliteNode, SqliteStorageSettings, UnreadableDocument } from './storage';
export type { RxStorageInstanceSqlite, SqliteInstanceOptions, SqliteStorageInternals } from './storage-instance';
export { bulkWriteAcrossCollections, sqliteInstanceOf } from './atomic-write';
export type { CollectionWrite, CollectionWriteResult } from './atomic-write';
export { MissingKeyError, StorageWorkerError, UnsafeIndexError, WrongKeyError } from './errors';
export type {
  CheckpointResult,
  SqliteConnection,
  SqliteDriver,
  SqliteRow,
  SqliteStatement,
  SqlValue,
  WalCheckpointer,
} from './driver';
export { nodeSqliteDriver } from './node-sqlite-driver';
export { databaseFileName } from './file-name';
export { indexKey } from './index-key';
export type { CountSpec, FileSummary } from './file-tools';
