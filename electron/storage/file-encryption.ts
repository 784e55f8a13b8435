/**
 * Whether a database file is encrypted, with which key, and turning a plaintext
 * file into an encrypted one.
 *
 * The file records a key check: a known constant sealed with the key. Opening
 * compares it before any other statement touches the file, so a wrong or missing
 * key fails at once and leaves the file as it was.
 *
 * Encrypting an existing file seals its rows in batches of one transaction each.
 * The key check and the state 'migrating' are written first, so a process killed
 * midway leaves a file that opens only with its key and finishes the job then;
 * rows still in plain text are recognised by their type (TEXT, where sealed rows
 * are BLOBs). Once every row is sealed, VACUUM rewrites the whole file (the old
 * plaintext pages are gone with the free list) and a TRUNCATE checkpoint empties
 * the WAL that held the old page images.
 */
import type { SqliteConnection } from './driver';
import { Cipher, placeOf } from './cipher';
import { MissingKeyError, WrongKeyError } from './errors';

export const STORAGE_META_TABLE = 'rx_meta_storage';
export const TABLES_META_TABLE = 'rx_meta_tables';

const KEY_CHECK_PLAINTEXT = Buffer.from('rx-sqlite-storage key check v1', 'utf8');
const KEY_CHECK_PLACE = placeOf(STORAGE_META_TABLE, 'key_check');
const MIGRATION_BATCH = 500;

export type EncryptionState = 'plain' | 'encrypted' | 'migrating';

function tableExists(connection: SqliteConnection, name: string): boolean {
  return connection.prepare(`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

function metaValue(connection: SqliteConnection, name: string): unknown {
  return connection.prepare(`SELECT value FROM ${STORAGE_META_TABLE} WHERE name = ?`).get(name)?.['value'];
}

/**
 * Reads the file's key check and compares the key; throws WrongKeyError or
 * MissingKeyError without writing anything. Only reads: safe on any connection.
 */
export function verifyKey(connection: SqliteConnection, cipher: Cipher | undefined, file: string): EncryptionState {
  const keyCheck = tableExists(connection, STORAGE_META_TABLE) ? metaValue(connection, 'key_check') : undefined;
  if (keyCheck === undefined) return 'plain';
  if (!cipher) throw new MissingKeyError(`sqlite storage: ${file} is encrypted; open it with its encryptionKey`);
  const opened = keyCheck instanceof Uint8Array ? cipher.open(keyCheck, KEY_CHECK_PLACE) : undefined;
  if (!opened || !opened.equals(KEY_CHECK_PLAINTEXT)) {
    throw new WrongKeyError(`sqlite storage: the encryptionKey does not open ${file}`);
  }
  return metaValue(connection, 'encryption') === 'encrypted' ? 'encrypted' : 'migrating';
}

export function createStorageMetaTable(connection: SqliteConnection): void {
  connection.exec(`CREATE TABLE IF NOT EXISTS ${STORAGE_META_TABLE} (name TEXT PRIMARY KEY NOT NULL, value ANY) STRICT`);
}

/** Makes a new, empty file an encrypted one. */
export function markEncrypted(connection: SqliteConnection, cipher: Cipher): void {
  connection.transaction(() => {
    const put = connection.prepare(`INSERT OR REPLACE INTO ${STORAGE_META_TABLE} (name, value) VALUES (?, ?)`);
    put.run('key_check', cipher.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_PLACE));
    put.run('encryption', 'encrypted');
  });
}

/**
 * Does the file hold anything written without the key? Any table but the key
 * check's: even one whose collections were all removed may keep plaintext in
 * its free pages, which encrypting (with its VACUUM) wipes.
 */
export function hasPlaintextContent(connection: SqliteConnection): boolean {
  return (
    connection.prepare(`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name != ? LIMIT 1`).get(STORAGE_META_TABLE) !== undefined
  );
}

export function documentPlace(tableName: string, id: Uint8Array): Uint8Array {
  return placeOf(tableName, id);
}

export function attachmentPlace(tableName: string, documentId: Uint8Array, attachmentId: Uint8Array): Uint8Array {
  return placeOf(tableName, documentId, attachmentId);
}

function quote(identifier: string): string {
  return '"' + identifier.replaceAll('"', '""') + '"';
}

/**
 * Seals every plaintext row of every collection, then wipes the old pages.
 * Resumable: each batch commits on its own, and a rerun skips sealed rows.
 */
export function encryptFile(connection: SqliteConnection, cipher: Cipher): void {
  connection.transaction(() => {
    const put = connection.prepare(`INSERT OR REPLACE INTO ${STORAGE_META_TABLE} (name, value) VALUES (?, ?)`);
    if (metaValue(connection, 'key_check') === undefined) put.run('key_check', cipher.seal(KEY_CHECK_PLAINTEXT, KEY_CHECK_PLACE));
    put.run('encryption', 'migrating');
  });
  const tables = tableExists(connection, TABLES_META_TABLE)
    ? connection.prepare(`SELECT table_name FROM ${TABLES_META_TABLE}`).all().map((row) => String(row['table_name']))
    : [];
  for (const table of tables) {
    if (tableExists(connection, table)) sealRows(connection, cipher, table);
    if (tableExists(connection, table + '__attachments')) sealAttachments(connection, cipher, table);
  }
  // Overwrites freed space from now on; VACUUM then rewrites the file without the old pages.
  connection.exec('PRAGMA secure_delete = ON');
  connection.exec('VACUUM');
  connection.transaction(() => {
    connection.prepare(`INSERT OR REPLACE INTO ${STORAGE_META_TABLE} (name, value) VALUES ('encryption', 'encrypted')`).run();
  });
  connection.exec('PRAGMA wal_checkpoint(TRUNCATE)');
}

function sealRows(connection: SqliteConnection, cipher: Cipher, table: string): void {
  const select = connection.prepare(
    `SELECT id, data FROM ${quote(table)} WHERE id > ? AND typeof(data) = 'text' ORDER BY id LIMIT ${MIGRATION_BATCH}`,
  );
  const update = connection.prepare(`UPDATE ${quote(table)} SET data = ? WHERE id = ?`);
  let after: Uint8Array = new Uint8Array(0);
  for (;;) {
    const rows = select.all(after);
    if (rows.length === 0) return;
    connection.transaction(() => {
      for (const row of rows) {
        const id = row['id'] as Uint8Array;
        update.run(cipher.seal(Buffer.from(row['data'] as string, 'utf8'), documentPlace(table, id)), id);
      }
    });
    after = rows[rows.length - 1]!['id'] as Uint8Array;
  }
}

function sealAttachments(connection: SqliteConnection, cipher: Cipher, table: string): void {
  const attachments = quote(table + '__attachments');
  ensureSealedColumn(connection, table);
  const select = connection.prepare(
    `SELECT doc_id, attachment_id, data FROM ${attachments} WHERE sealed = 0 LIMIT ${MIGRATION_BATCH}`,
  );
  const update = connection.prepare(`UPDATE ${attachments} SET data = ?, sealed = 1 WHERE doc_id = ? AND attachment_id = ?`);
  for (;;) {
    const rows = select.all();
    if (rows.length === 0) return;
    connection.transaction(() => {
      for (const row of rows) {
        const docId = row['doc_id'] as Uint8Array;
        const attachmentId = row['attachment_id'] as Uint8Array;
        update.run(cipher.seal(row['data'] as Uint8Array, attachmentPlace(table, docId, attachmentId)), docId, attachmentId);
      }
    });
  }
}

/** Attachment data is a BLOB either way, so a column says whether it is sealed. */
export function ensureSealedColumn(connection: SqliteConnection, table: string): void {
  const attachments = quote(table + '__attachments');
  const columns = connection.prepare(`PRAGMA table_info(${attachments})`).all().map((row) => String(row['name']));
  if (!columns.includes('sealed')) connection.exec(`ALTER TABLE ${attachments} ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0`);
}
