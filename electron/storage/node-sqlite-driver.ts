/** The SqliteDriver over Node's built-in node:sqlite (DatabaseSync), which ships inside Electron's Node. */
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import type { SqliteConnection, SqliteDriver, SqliteRow, SqliteStatement, SqlValue } from './driver';
import { startNodeSqliteCheckpointer } from './wal-checkpointer';

class NodeSqliteStatement implements SqliteStatement {
  constructor(private readonly statement: StatementSync) {}
  run(...params: SqlValue[]): { changes: number } {
    return { changes: Number(this.statement.run(...params).changes) };
  }
  all(...params: SqlValue[]): SqliteRow[] {
    return this.statement.all(...params);
  }
  get(...params: SqlValue[]): SqliteRow | undefined {
    return this.statement.get(...params);
  }
  iterate(...params: SqlValue[]): IterableIterator<SqliteRow> {
    return this.statement.iterate(...params);
  }
  allValues(...params: SqlValue[]): unknown[][] {
    this.statement.setReturnArrays(true);
    try {
      return this.statement.all(...params) as unknown as unknown[][];
    } finally {
      this.statement.setReturnArrays(false);
    }
  }
}

class NodeSqliteConnection implements SqliteConnection {
  private readonly begin: StatementSync;
  private readonly beginRead: StatementSync;
  private readonly commit: StatementSync;
  private readonly rollback: StatementSync;

  constructor(private readonly db: DatabaseSync) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.beginRead = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqliteStatement {
    return new NodeSqliteStatement(this.db.prepare(sql));
  }

  transaction<T>(fn: () => T): T {
    this.begin.run();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      // SQLite may already have rolled back on its own (e.g. SQLITE_FULL); then ROLLBACK itself fails.
      if (this.db.isTransaction) this.rollback.run();
      throw error;
    }
    this.commit.run();
    return result;
  }

  readTransaction<T>(fn: () => T): T {
    this.beginRead.run();
    try {
      return fn();
    } finally {
      // Ends the read (nothing to commit); SQLite may already have ended it after an error.
      if (this.db.isTransaction) this.commit.run();
    }
  }

  close(): void {
    this.db.close();
  }
}

export const nodeSqliteDriver: SqliteDriver = {
  name: 'node:sqlite',
  open(path, { busyTimeoutMs, readOnly = false }) {
    return new NodeSqliteConnection(new DatabaseSync(path, { timeout: busyTimeoutMs, readOnly }));
  },
  startCheckpointer: startNodeSqliteCheckpointer,
};
