/**
 * The writing connection to one SQLite file per RxDB database, shared by all of
 * its collections (on the storage's writer thread).
 *
 * RxDB opens one storage instance per collection (plus its internal store), and
 * may open the same collection twice; they all share this connection, so a
 * bulkWrite is one transaction on one connection, and so is a write across
 * collections. The file also owns the order of writes and the WAL's upkeep.
 */
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import type { Cipher } from './cipher';
import type { CheckpointResult, SqliteConnection, SqliteDriver, WalCheckpointer } from './driver';
import { createStorageMetaTable, encryptFile, hasPlaintextContent, markEncrypted, TABLES_META_TABLE, verifyKey } from './file-encryption';
import { WalFsync } from './wal-fsync';

/**
 * Durability: WAL lets readers and the writer work side by side and makes a
 * commit one sequential append. An acknowledged write must survive power loss,
 * not just a crash of the app: learner records may not have been synced yet.
 * synchronous=FULL would give that by fsyncing the WAL inside every COMMIT, on
 * the event loop, and on the target machine that fsync took 5–150 ms while
 * checkpoints were writing. So the connection runs synchronous=NORMAL (SQLite
 * stays consistent after power loss, commits just do not wait for the disk) and
 * WalFsync fsyncs the WAL on libuv's thread pool; a bulkWrite resolves only
 * after that. Acknowledged writes are as durable as with FULL; the UI thread
 * never waits for the disk.
 */
const PRAGMAS = [
  /**
   * Each document lands at a random spot in every index, so a commit dirties
   * about one leaf page per index per document, and the WAL receives every dirty
   * page. Larger pages mean fewer, larger WAL frames: good for big bulks, bad for
   * the single-document and 100-document writes an app and its replication make
   * most. Measured on the 2-core target: 8 KiB writes 1,000-document bulks ~25%
   * faster than the 4 KiB default with single writes as fast; 16 KiB gains a
   * little more on big bulks but makes 100-document writes ~40% slower.
   * Applies when the file is created; an existing file keeps its page size.
   */
  'PRAGMA page_size = 8192',
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  // Keeps the hot part of the indexes in memory for range scans over ~100k documents.
  'PRAGMA cache_size = -32000',
  'PRAGMA temp_store = MEMORY',
];

/**
 * Checkpoints run on another thread, so the WAL can run ahead of them during a
 * large import. Past this size the next write first waits (asynchronously) for
 * a complete checkpoint; SQLite then restarts the WAL from its beginning and
 * journal_size_limit trims the file back, so disk use stays bounded.
 */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/**
 * A checkpoint starts this long after the first commit that follows the last
 * one, taking every commit made meanwhile. Started at once, it wrote the
 * database file and fsynced it while the next small write was fsyncing the WAL,
 * and doubled that write's wait for the disk.
 */
const CHECKPOINT_DELAY_MS = 50;
/** A reader in another process can keep a checkpoint from completing; writes then go on rather than wait forever. */
const MAX_DRAIN_ROUNDS = 3;

const META_TABLE = TABLES_META_TABLE;

export type FileOptions = { driver: SqliteDriver; busyTimeoutMs: number; cipher: Cipher | undefined };

/**
 * SQLite creates a database file with the process's default mode (often 0644)
 * and gives its -wal and -shm files the same mode. Creating the empty file
 * first, 0600, makes all three private to the user.
 */
function createPrivately(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
}

/**
 * A second connection for reads, used on another thread than the writer (WAL
 * lets readers and one writer work at the same time). It checks the key like
 * the writer and can never write.
 */
export function openReadConnection(path: string, options: FileOptions): SqliteConnection {
  const connection = options.driver.open(path, { busyTimeoutMs: options.busyTimeoutMs });
  try {
    verifyKey(connection, options.cipher, path);
    connection.exec('PRAGMA cache_size = -32000');
    connection.exec('PRAGMA temp_store = MEMORY');
    connection.exec('PRAGMA query_only = 1');
    return connection;
  } catch (error) {
    connection.close();
    throw error;
  }
}

const ignore = (): void => undefined;

export class SqliteFile {
  private closing = false;
  private writeTail: Promise<unknown> | undefined;
  private commits = 0;
  private checkpointRunning: Promise<void> | undefined;
  private checkpointWanted = false;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private lastCheckpoint: CheckpointResult & { afterCommit: number } = { afterCommit: 0, walFrames: 0, checkpointedFrames: 0 };

  private readonly walFsync: WalFsync;

  private constructor(
    readonly path: string,
    readonly connection: SqliteConnection,
    private checkpointer: WalCheckpointer | undefined,
    private readonly walLimitFrames: number,
    readonly cipher: Cipher | undefined,
  ) {
    this.walFsync = new WalFsync(path + '-wal');
  }

  /**
   * Opens the file for writing. With a cipher, the key is checked before
   * anything else touches the file, and a plaintext file is encrypted first.
   */
  static open(path: string, { driver, busyTimeoutMs, cipher }: FileOptions): SqliteFile {
    createPrivately(path);
    const connection = driver.open(path, { busyTimeoutMs });
    let checkpointer: WalCheckpointer | undefined;
    try {
      const state = verifyKey(connection, cipher, path);
      for (const pragma of PRAGMAS) connection.exec(pragma);
      connection.exec(`PRAGMA journal_size_limit = ${WAL_LIMIT_BYTES}`);
      if (cipher) {
        // Freed pages are overwritten, so an old sealed value does not linger after an update.
        connection.exec('PRAGMA secure_delete = ON');
        createStorageMetaTable(connection);
        if (state === 'migrating' || (state === 'plain' && hasPlaintextContent(connection))) encryptFile(connection, cipher);
        else if (state === 'plain') markEncrypted(connection, cipher);
      }
      connection.exec(
        `CREATE TABLE IF NOT EXISTS ${META_TABLE} (table_name TEXT PRIMARY KEY NOT NULL, collection_name TEXT NOT NULL, schema_version INTEGER NOT NULL, indexes TEXT NOT NULL)`,
      );
      const pageSize = Number(connection.prepare('PRAGMA page_size').get()?.['page_size'] ?? 4096);
      if (driver.startCheckpointer) {
        connection.exec('PRAGMA wal_autocheckpoint = 0');
        checkpointer = driver.startCheckpointer(path);
      }
      return new SqliteFile(path, connection, checkpointer, Math.floor(WAL_LIMIT_BYTES / pageSize), cipher);
    } catch (error) {
      void checkpointer?.close().catch(ignore);
      connection.close();
      throw error;
    }
  }

  /**
   * Records which indexes a table was created with. A table created with other
   * indexes would have key columns that mean something else, and queries would
   * quietly return wrong results, so that is refused instead.
   */
  registerTable(tableName: string, collectionName: string, schemaVersion: number, indexes: string[][]): void {
    const indexesJson = JSON.stringify(indexes);
    const existing = this.connection.prepare(`SELECT indexes FROM ${META_TABLE} WHERE table_name = ?`).get(tableName);
    if (existing === undefined) {
      this.connection
        .prepare(`INSERT INTO ${META_TABLE} (table_name, collection_name, schema_version, indexes) VALUES (?, ?, ?, ?)`)
        .run(tableName, collectionName, schemaVersion, indexesJson);
    } else if (existing['indexes'] !== indexesJson) {
      throw new Error(
        `sqlite storage: collection '${collectionName}' (schema version ${schemaVersion}) exists in ${this.path} with indexes ${String(existing['indexes'])}, not ${indexesJson}; change the schema version when changing indexes`,
      );
    }
  }

  /** Whether a collection's table was made in this file (by any schema). */
  hasTable(tableName: string): boolean {
    return this.connection.prepare(`SELECT 1 AS found FROM ${META_TABLE} WHERE table_name = ?`).get(tableName) !== undefined;
  }

  unregisterTable(tableName: string): void {
    this.connection.prepare(`DELETE FROM ${META_TABLE} WHERE table_name = ?`).run(tableName);
  }

  /**
   * Runs a write after the writes queued before it. With nothing queued and the
   * WAL within bounds this runs synchronously, so an ordinary bulkWrite costs no
   * extra turn of the event loop.
   */
  write<T>(job: () => T | Promise<T>): Promise<T> {
    if (!this.writeTail && !this.mustDrainWal()) {
      let result: T | Promise<T>;
      try {
        result = job();
      } catch (error) {
        return Promise.reject(error);
      }
      if (result instanceof Promise) this.queue(result);
      return Promise.resolve(result);
    }
    const result = (this.writeTail ?? Promise.resolve()).then(async () => {
      for (let round = 0; round < MAX_DRAIN_ROUNDS && this.mustDrainWal(); round++) await this.runCheckpoint();
      return job();
    });
    this.queue(result);
    return result;
  }

  private queue(result: Promise<unknown>): void {
    const tail = result.then(ignore, ignore);
    this.writeTail = tail;
    void tail.then(() => {
      if (this.writeTail === tail) this.writeTail = undefined;
    });
  }

  /**
   * Call after every COMMIT; returns the commit's number for durable(). The new
   * WAL frames also get copied back into the database file in the background.
   */
  committed(): number {
    this.commits++;
    if (this.checkpointer && !this.checkpointTimer) {
      this.checkpointTimer = setTimeout(() => {
        this.checkpointTimer = undefined;
        if (this.checkpointRunning) this.checkpointWanted = true;
        else void this.runCheckpoint();
      }, CHECKPOINT_DELAY_MS);
    }
    return this.commits;
  }

  /** Resolves once the commit is on disk. */
  durable(commit: number): Promise<void> {
    return this.walFsync.durable(commit);
  }

  private mustDrainWal(): boolean {
    const last = this.lastCheckpoint;
    return (
      this.checkpointer !== undefined &&
      last.walFrames > this.walLimitFrames &&
      (last.afterCommit < this.commits || last.checkpointedFrames < last.walFrames)
    );
  }

  /** Runs one checkpoint after any running one; resolves when it is done. */
  private runCheckpoint(): Promise<void> {
    if (this.checkpointRunning) {
      this.checkpointWanted = true;
      return this.checkpointRunning.then(() => this.checkpointRunning ?? Promise.resolve());
    }
    const checkpointer = this.checkpointer;
    if (!checkpointer || this.closing) return Promise.resolve();
    this.checkpointWanted = false;
    const afterCommit = this.commits;
    const running = checkpointer.checkpoint().then(
      (result) => {
        this.lastCheckpoint = { afterCommit, ...result };
      },
      () => this.checkpointOnThisThread(),
    );
    this.checkpointRunning = running.finally(() => {
      this.checkpointRunning = undefined;
      if (this.checkpointWanted) void this.runCheckpoint();
    });
    return this.checkpointRunning;
  }

  /** Without a working background checkpointer, SQLite's own automatic checkpoints take over. */
  private checkpointOnThisThread(): void {
    this.checkpointer = undefined;
    if (!this.closing) this.connection.exec('PRAGMA wal_autocheckpoint = 1000');
  }

  /**
   * Closes the connection after queued writes. A file whose collections have
   * all been removed is deleted with its WAL side files, so removing an
   * RxDatabase leaves nothing behind; the caller closes the readers first.
   */
  async close(): Promise<void> {
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    await this.writeTail;
    await this.walFsync.close();
    this.closing = true;
    await this.checkpointRunning;
    await this.checkpointer?.close().catch(ignore);
    const remaining = this.connection.prepare(`SELECT COUNT(*) AS n FROM ${META_TABLE}`).get();
    // Closing the last connection checkpoints what is left and deletes the WAL.
    this.connection.close();
    if (remaining?.['n'] === 0) {
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        if (existsSync(this.path + suffix)) rmSync(this.path + suffix, { force: true });
      }
    }
  }
}
