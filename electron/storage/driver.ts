/**
 * The seam between the RxStorage and a synchronous SQLite binding.
 * node:sqlite is the only implementation today; better-sqlite3 has the same
 * synchronous shape, so swapping it in means writing one more adapter.
 */

/** Values the storage binds: numbers, text, BLOBs (index keys) and NULL. */
export type SqlValue = null | number | string | Uint8Array;

export type SqliteRow = Record<string, unknown>;

export interface SqliteStatement {
  run(...params: SqlValue[]): { changes: number };
  all(...params: SqlValue[]): SqliteRow[];
  get(...params: SqlValue[]): SqliteRow | undefined;
  /** Rows one at a time, so a scan can stop as soon as it has enough. */
  iterate(...params: SqlValue[]): IterableIterator<SqliteRow>;
  /** All rows as arrays of column values, in the statement's column order: no object per row, for hot paths. */
  allValues(...params: SqlValue[]): unknown[][];
}

export interface SqliteConnection {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  /**
   * Runs fn inside BEGIN IMMEDIATE … COMMIT and rolls back if it throws.
   * IMMEDIATE takes the write lock up front, so a transaction never fails
   * half-way with SQLITE_BUSY after it has read the rows it decided on.
   */
  transaction<T>(fn: () => T): T;
  /** Runs fn inside BEGIN (deferred) … COMMIT: several statements read one snapshot. */
  readTransaction<T>(fn: () => T): T;
  close(): void;
}

export type CheckpointResult = {
  /** Frames in the WAL when the checkpoint ran. */
  walFrames: number;
  /** Of those, frames now copied into the database file. */
  checkpointedFrames: number;
};

/**
 * A second connection, on another thread, that copies the WAL back into the
 * database file (PRAGMA wal_checkpoint(PASSIVE)). A checkpoint rewrites every
 * page the recent transactions touched and fsyncs the file; run on the caller's
 * thread it was the largest single stall of a write, so it runs elsewhere.
 */
export interface WalCheckpointer {
  checkpoint(): Promise<CheckpointResult>;
  close(): Promise<void>;
}

export interface SqliteDriver {
  readonly name: string;
  /** Opens (creating if needed, unless read-only) the database file at an absolute path. */
  open(path: string, options: { busyTimeoutMs: number; readOnly?: boolean }): SqliteConnection;
  /** Optional: without it, SQLite checkpoints on the writing thread as usual. */
  startCheckpointer?(path: string): WalCheckpointer;
}
