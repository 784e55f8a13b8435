/**
 * A write across several collections of one RxDB database, all or nothing: one
 * SQLite transaction and one fsync (every collection of a database lives in one
 * file). RxDB has no such call, so callers reach it through the collections'
 * storage instances.
 *
 * The rows are RxDB write rows, as bulkWrite takes them: each document carries
 * its new `_rev` and `_meta.lwt`, and `previous` is the stored version it was
 * made from. If any row conflicts with what is stored (or is refused for another
 * reason), nothing is written and every refusal is returned, so the caller can
 * read the latest versions and try again. Otherwise every collection emits its
 * change events as after a bulkWrite, so RxDB's caches, `collection.$` and
 * replication see the writes.
 */
import type { BulkWriteRow, RxStorageInstance, RxStorageWriteError } from 'rxdb';
import { databaseFileOf, RxStorageInstanceSqlite } from './storage-instance';

export type CollectionWrite = {
  /** A collection's storage instance: `collection.storageInstance` (RxDB's wrapper is looked through). */
  instance: RxStorageInstance<any, any, any, any>;
  rows: BulkWriteRow<any>[];
};

export type CollectionWriteResult = {
  written: boolean;
  /** Per write, in order: the refused rows (empty when written). */
  errors: RxStorageWriteError<any>[][];
};

/** Our instance under RxDB's wrappers (the wrapped instance, validation wrappers), if it is one. */
export function sqliteInstanceOf(instance: RxStorageInstance<any, any, any, any>): RxStorageInstanceSqlite<any> | undefined {
  let current: unknown = instance;
  for (let depth = 0; current && depth < 8; depth++) {
    if (current instanceof RxStorageInstanceSqlite) return current;
    current = (current as { originalStorageInstance?: unknown }).originalStorageInstance;
  }
  return undefined;
}

export async function bulkWriteAcrossCollections(writes: CollectionWrite[], context: string): Promise<CollectionWriteResult> {
  const instances = writes.map((write) => {
    const instance = sqliteInstanceOf(write.instance);
    if (!instance) throw new Error('sqlite storage: a write across collections needs storage instances of this storage');
    return instance;
  });
  if (instances.length === 0) return { written: true, errors: [] };
  const file = databaseFileOf(instances[0] as RxStorageInstanceSqlite<any>);
  for (const instance of instances) {
    if (databaseFileOf(instance) !== file) {
      throw new Error('sqlite storage: a write across collections must stay within one database');
    }
  }
  const tables = new Set(instances.map((instance) => instance.table));
  if (tables.size !== instances.length) {
    throw new Error('sqlite storage: a write across collections takes each collection once');
  }
  return file.write(
    writes.map((write, i) => ({ target: instances[i] as never, rows: write.rows })),
    context,
    true,
  );
}
