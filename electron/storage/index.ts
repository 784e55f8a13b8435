/**
 * Public entry of the SQLite RxStorage for the Electron main process.
 *
 *   const storage = getRxStorageSqliteNode({ directory: app.getPath('userData') });
 *   const db = await createRxDatabase({ name: 'learners', storage });
 *
 * One file per RxDB database, `${directory}/${databaseFileName(name)}`.
 */
export { getRxStorageSqliteNode } from './storage';
export type { RxStorageSqliteNode, SqliteStorageSettings } from './storage';
export type { RxStorageInstanceSqlite, SqliteInstanceOptions, SqliteStorageInternals } from './storage-instance';
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
