/**
 * Work on whole database files, run on a storage thread so the main thread
 * never waits for it: a consistent copy of an open file (a backup), what a
 * closed file holds (its key check and counts), SQLite's own check of a file,
 * and sealing a file whole (one that is not, or no longer, a readable database).
 *
 * A copy made with VACUUM INTO holds the same sealed rows and the same key
 * check as its source: a backup opens only with the key that made it. Its
 * summary (how many documents it holds) is counted on the copy itself and
 * recorded in it, sealed, so listing backups reads one row, not every document.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Cipher, placeOf } from './cipher';
import type { SqliteConnection, SqliteDriver } from './driver';
import { WrongKeyError } from './errors';
import { documentPlace, STORAGE_META_TABLE, TABLES_META_TABLE, verifyKey } from './file-encryption';

/** Per collection, the top-level field values a counted document must have (`{ is_deleted: false }`). */
export type CountSpec = Record<string, Record<string, string | number | boolean | null>>;
export type FileSummary = {
  /** Documents per collection of the spec that match it (RxDB's deleted documents never count). */
  counts: Record<string, number>;
  /** Documents whose sealed body did not open: the file is damaged or was tampered with. */
  unreadable: number;
  /** False for a file written without a key (it has no key check). */
  encrypted: boolean;
};

const SUMMARY_PLACE = placeOf(STORAGE_META_TABLE, 'summary');

function quote(identifier: string): string {
  return '"' + identifier.replaceAll('"', '""') + '"';
}

/** The newest table of each collection (an older schema version's table may linger until RxDB migrates it). */
function tablesOf(connection: SqliteConnection): Map<string, string> {
  const tables = new Map<string, { table: string; version: number }>();
  const exists = connection.prepare(`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TABLES_META_TABLE);
  if (!exists) return new Map();
  for (const row of connection.prepare(`SELECT table_name, collection_name, schema_version FROM ${TABLES_META_TABLE}`).all()) {
    const collection = String(row['collection_name']);
    const version = Number(row['schema_version']);
    const known = tables.get(collection);
    if (!known || version > known.version) tables.set(collection, { table: String(row['table_name']), version });
  }
  return new Map([...tables].map(([collection, { table }]) => [collection, table]));
}

function count(connection: SqliteConnection, cipher: Cipher | undefined, spec: CountSpec): Omit<FileSummary, 'encrypted'> {
  const tables = tablesOf(connection);
  const counts: Record<string, number> = {};
  let unreadable = 0;
  for (const [collection, where] of Object.entries(spec)) {
    const table = tables.get(collection);
    counts[collection] = 0;
    if (!table) continue;
    const wanted = Object.entries(where);
    for (const row of connection.prepare(`SELECT id, data FROM ${quote(table)} WHERE deleted = 0`).iterate()) {
      const data = row['data'];
      const text = cipher
        ? data instanceof Uint8Array
          ? cipher.open(data, documentPlace(table, row['id'] as Uint8Array))?.toString('utf8')
          : undefined
        : typeof data === 'string'
          ? data
          : undefined;
      if (text === undefined) {
        unreadable++;
        continue;
      }
      const document = JSON.parse(text) as Record<string, unknown>;
      if (wanted.every(([field, value]) => document[field] === value)) counts[collection]++;
    }
  }
  return { counts, unreadable };
}

function readSummary(connection: SqliteConnection, cipher: Cipher | undefined): Omit<FileSummary, 'encrypted'> | undefined {
  const value = connection.prepare(`SELECT value FROM ${STORAGE_META_TABLE} WHERE name = 'summary'`).get()?.['value'];
  if (value === undefined) return undefined;
  const text = cipher ? (value instanceof Uint8Array ? cipher.open(value, SUMMARY_PLACE)?.toString('utf8') : undefined) : typeof value === 'string' ? value : undefined;
  return text === undefined ? undefined : (JSON.parse(text) as Omit<FileSummary, 'encrypted'>);
}

function hasMetaTable(connection: SqliteConnection): boolean {
  return connection.prepare(`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?`).get(STORAGE_META_TABLE) !== undefined;
}

/**
 * Copies the open file into `target` (which must not exist), checks the copy,
 * and records its summary in it. The copy is a single file in rollback-journal
 * mode, created 0600, with no free pages: nothing deleted from the source
 * lingers in it.
 */
export function backupInto(
  connection: SqliteConnection,
  cipher: Cipher | undefined,
  driver: SqliteDriver,
  target: string,
  spec: CountSpec,
): FileSummary {
  closeSync(openSync(target, 'wx', 0o600));
  try {
    connection.prepare('VACUUM INTO ?').run(target);
    const copy = driver.open(target, { busyTimeoutMs: 0 });
    try {
      const problems = copy.prepare('PRAGMA integrity_check').all().map((row) => String(row['integrity_check']));
      if (problems.length !== 1 || problems[0] !== 'ok') throw new Error(`the backup failed its integrity check: ${problems.slice(0, 3).join('; ')}`);
      const summary = count(copy, cipher, spec);
      const json = JSON.stringify(summary);
      copy.exec(`CREATE TABLE IF NOT EXISTS ${STORAGE_META_TABLE} (name TEXT PRIMARY KEY NOT NULL, value ANY) STRICT`);
      copy
        .prepare(`INSERT OR REPLACE INTO ${STORAGE_META_TABLE} (name, value) VALUES ('summary', ?)`)
        .run(cipher ? cipher.seal(Buffer.from(json, 'utf8'), SUMMARY_PLACE) : json);
      return { ...summary, encrypted: cipher !== undefined };
    } finally {
      copy.close();
    }
  } catch (error) {
    rmSync(target, { force: true });
    throw error;
  }
}

/**
 * What a closed database file holds, read through a read-only connection after
 * its key check: WrongKeyError for another key, MissingKeyError for an
 * encrypted file and no key; nothing is written.
 */
export function describeFile(driver: SqliteDriver, path: string, cipher: Cipher | undefined, spec: CountSpec): FileSummary {
  const connection = driver.open(path, { busyTimeoutMs: 0, readOnly: true });
  try {
    const state = verifyKey(connection, cipher, path);
    const encrypted = state !== 'plain';
    const readWith = encrypted ? cipher : undefined;
    const summary = (hasMetaTable(connection) ? readSummary(connection, readWith) : undefined) ?? count(connection, readWith, spec);
    return { ...summary, encrypted };
  } finally {
    connection.close();
  }
}

/** SQLite's quick check of a file: undefined when it is sound, else what is wrong (never its contents). */
export function checkFile(driver: SqliteDriver, path: string): string | undefined {
  // Opening would create a missing file.
  if (!existsSync(path)) return undefined;
  let connection: SqliteConnection | undefined;
  try {
    connection = driver.open(path, { busyTimeoutMs: 0 });
    const messages = connection.prepare('PRAGMA quick_check').all().map((row) => String(row['quick_check']));
    return messages.length === 1 && messages[0] === 'ok' ? undefined : messages.slice(0, 5).join('; ');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    connection?.close();
  }
}

/**
 * A whole file sealed with AES-256-GCM under the storage key: a magic line, a
 * random nonce, the ciphertext and the tag. For files that must be kept but may
 * not be readable as a database (a corrupt file moved aside, a backup written
 * before encryption existed).
 */
const SEALED_MAGIC = Buffer.from('LPSEALED1\n', 'utf8');
const SEALED_AAD = Buffer.from('sealed-file v1', 'utf8');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const CHUNK = 1024 * 1024;

function writeAll(fd: number, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
}

export function sealFile(path: string, target: string, key: Uint8Array): void {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(SEALED_AAD);
  transform(path, target, (input, output) => {
    writeAll(output, SEALED_MAGIC);
    writeAll(output, nonce);
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let read; (read = readSync(input, buffer, 0, CHUNK, null)) > 0; ) writeAll(output, cipher.update(buffer.subarray(0, read)));
    writeAll(output, cipher.final());
    writeAll(output, cipher.getAuthTag());
  });
}

/** Opens a sealed file into `target` (created 0600); WrongKeyError, and no target, when it does not open. */
export function unsealFile(path: string, target: string, key: Uint8Array): void {
  transform(path, target, (input, output) => {
    const head = Buffer.alloc(SEALED_MAGIC.length + NONCE_BYTES);
    const size = readSync(input, head, 0, head.length, 0);
    if (size < head.length || !head.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC)) {
      throw new WrongKeyError('this file is not a sealed file of this app');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(SEALED_MAGIC.length), { authTagLength: TAG_BYTES });
    decipher.setAAD(SEALED_AAD);
    // The tag is the last 16 bytes: everything before it is ciphertext, read in chunks.
    const total = fstatSync(input).size;
    if (total < head.length + TAG_BYTES) throw new WrongKeyError('this sealed file is truncated');
    const tag = Buffer.alloc(TAG_BYTES);
    readSync(input, tag, 0, TAG_BYTES, total - TAG_BYTES);
    decipher.setAuthTag(tag);
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let at = head.length; at < total - TAG_BYTES; ) {
      const read = readSync(input, buffer, 0, Math.min(CHUNK, total - TAG_BYTES - at), at);
      writeAll(output, decipher.update(buffer.subarray(0, read)));
      at += read;
    }
    try {
      writeAll(output, decipher.final());
    } catch {
      throw new WrongKeyError('this sealed file was made with another key, or is damaged');
    }
  });
}

/**
 * Writes `target` (created 0600, never over an existing file) from `path` through `work`, then syncs it to disk;
 * a failure leaves no target behind.
 */
function transform(path: string, target: string, work: (input: number, output: number) => void): void {
  const input = openSync(path, 'r');
  const output = openSync(target, 'wx', 0o600);
  try {
    work(input, output);
    fsyncSync(output);
  } catch (error) {
    closeSync(output);
    rmSync(target, { force: true });
    throw error;
  } finally {
    closeSync(input);
  }
  closeSync(output);
}
