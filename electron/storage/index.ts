/** Public entry of the SQLite RxStorage for the Electron main process. */
export { getRxStorageSqliteNode } from './storage';
export type { RxStorageSqliteNode, SqliteStorageSettings } from './storage';
export type { RxStorageInstanceSqlite, SqliteInstanceOptions, SqliteStorageInternals } from './storage-instance';
export type { SqliteConnection, SqliteDriver, SqliteRow, SqliteStatement, SqlValue } from './driver';
export { nodeSqliteDriver } from './node-sqlite-driver';
export { databaseFileName } from './file-name';
export { indexKey } from './index-key';
