/** The RxStorage factory: maps an RxDB database to its SQLite file and opens collection instances in it. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureRxStorageInstanceParamsAreCorrect, RXDB_VERSION } from 'rxdb';
import type { RxStorage, RxStorageInstanceCreationParams } from 'rxdb';
import { CollectionTable } from './collection-table';
import type { SqliteDriver } from './driver';
import { databaseFileName } from './file-name';
import { nodeSqliteDriver } from './node-sqlite-driver';
import { acquireSqliteFile } from './sqlite-file';
import { RxStorageInstanceSqlite } from './storage-instance';
import type { SqliteInstanceOptions, SqliteStorageInternals } from './storage-instance';

export type SqliteStorageSettings = {
  /** Folder that holds one `<database name>.sqlite` file per RxDB database; created if missing. Default: the working directory. */
  directory?: string;
  /** The SQLite binding; node:sqlite unless another driver is given. */
  driver?: SqliteDriver;
  /**
   * How long a write waits for another process's lock before failing. The wait
   * blocks the event loop, so it is short; within one process there is no contention.
   */
  busyTimeoutMs?: number;
};

export type RxStorageSqliteNode = RxStorage<SqliteStorageInternals, SqliteInstanceOptions> & {
  /** Absolute path of the SQLite file that holds this database. */
  databaseFile(databaseName: string): string;
};

export function getRxStorageSqliteNode(settings: SqliteStorageSettings = {}): RxStorageSqliteNode {
  const directory = resolve(settings.directory ?? '.');
  const driver = settings.driver ?? nodeSqliteDriver;
  const busyTimeoutMs = settings.busyTimeoutMs ?? 2_000;
  const databaseFile = (databaseName: string): string => join(directory, databaseFileName(databaseName));

  return {
    name: 'sqlite-node',
    rxdbVersion: RXDB_VERSION,
    databaseFile,
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, SqliteInstanceOptions>,
    ): Promise<RxStorageInstanceSqlite<RxDocType>> {
      ensureRxStorageInstanceParamsAreCorrect(params);
      mkdirSync(directory, { recursive: true });
      const file = acquireSqliteFile(databaseFile(params.databaseName), driver, busyTimeoutMs);
      try {
        const table = new CollectionTable<RxDocType>(file.connection, params.collectionName, params.schema);
        file.connection.transaction(() => {
          table.create();
          file.registerTable(table.name, params.collectionName, params.schema.version, table.indexes);
        });
        return new RxStorageInstanceSqlite<RxDocType>(
          params.databaseName,
          params.collectionName,
          params.schema,
          params.options,
          file,
          table,
        );
      } catch (error) {
        await file.release();
        throw error;
      }
    },
  };
}
