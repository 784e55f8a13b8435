/**
 * The SQLite layout of one RxDB collection: a documents table with one key
 * column per RxDB index, and the SQL that reads and writes it.
 *
 * Each RxDB index becomes a BLOB column holding RxDB's own indexable string for
 * that index (getIndexableStringMonad, CESU-8 encoded, see index-key.ts) and a
 * plain SQLite index over it. RxDB's query plans are ranges over exactly those
 * strings, so a plan maps onto an index range scan with no translation that
 * could drift from RxDB's semantics.
 */
import { getIndexableStringMonad } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import type { SqliteConnection, SqliteStatement, SqlValue } from './driver';
import { ensureSealedColumn } from './file-encryption';
import { indexKey } from './index-key';

export type KeyColumn<RxDocType> = {
  /** The RxDB index, e.g. ['_deleted', 'is_archived', 'created_time', 'id']. */
  fields: string[];
  column: string;
  sqlIndex: string;
  stringOf: (doc: RxDocumentData<RxDocType>) => string;
};

export type RangeBounds = {
  lower: Uint8Array;
  upper: Uint8Array;
  inclusiveStart: boolean;
  inclusiveEnd: boolean;
};

/** Identifier-safe and injective: [a-z0-9_] stay, any other UTF-16 unit becomes $XXXX. */
function identifierPart(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const char = name[i] as string;
    out += /[a-z0-9_]/.test(char) ? char : '$' + char.charCodeAt(0).toString(16).padStart(4, '0');
  }
  return out;
}

function quote(identifier: string): string {
  return '"' + identifier.replaceAll('"', '""') + '"';
}

export function tableNameOf(collectionName: string, schemaVersion: number): string {
  return `rx_${identifierPart(collectionName)}_v${schemaVersion}`;
}

export class CollectionTable<RxDocType> {
  readonly name: string;
  readonly keyColumns: KeyColumn<RxDocType>[];
  readonly hasAttachments: boolean;
  private readonly table: string;
  private readonly attachmentsTable: string;
  private readonly statements = new Map<string, SqliteStatement>();
  private readonly keyColumnByFields = new Map<string, KeyColumn<RxDocType>>();

  constructor(
    private readonly connection: SqliteConnection,
    collectionName: string,
    schema: RxJsonSchema<RxDocumentData<RxDocType>>,
  ) {
    this.name = tableNameOf(collectionName, schema.version);
    this.table = quote(this.name);
    this.attachmentsTable = quote(this.name + '__attachments');
    this.hasAttachments = !!schema.attachments;
    const indexes = (schema.indexes ?? []).map((index) => (Array.isArray(index) ? [...index] : [index as string]));
    this.keyColumns = indexes.map((fields, position) => ({
      fields,
      column: `k${position}`,
      sqlIndex: quote(`${this.name}__k${position}`),
      stringOf: getIndexableStringMonad(schema, fields),
    }));
    for (const keyColumn of this.keyColumns) this.keyColumnByFields.set(keyColumn.fields.join(','), keyColumn);
  }

  get indexes(): string[][] {
    return this.keyColumns.map((k) => k.fields);
  }

  create(): void {
    const keyColumnsDdl = this.keyColumns.map((k) => `${k.column} BLOB NOT NULL, `).join('');
    // Small columns first: SQLite reads a row's columns in order, and data may spill into overflow pages.
    // data holds the document's JSON, or when the file is encrypted a sealed BLOB (a TEXT column keeps BLOBs as they are).
    this.connection.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (id BLOB PRIMARY KEY NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, ${keyColumnsDdl}data TEXT NOT NULL)`,
    );
    for (const k of this.keyColumns) {
      this.connection.exec(`CREATE INDEX IF NOT EXISTS ${k.sqlIndex} ON ${this.table} (${k.column})`);
    }
    // Only tombstones enter this index, so it costs nothing on ordinary writes and makes cleanup a short scan.
    this.connection.exec(
      `CREATE INDEX IF NOT EXISTS ${quote(this.name + '__tombstones')} ON ${this.table} (lwt) WHERE deleted = 1`,
    );
    if (this.hasAttachments) {
      this.connection.exec(
        `CREATE TABLE IF NOT EXISTS ${this.attachmentsTable} (doc_id BLOB NOT NULL, attachment_id BLOB NOT NULL, digest TEXT NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, sealed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (doc_id, attachment_id))`,
      );
      // Tables made before encryption existed lack the column.
      ensureSealedColumn(this.connection, this.name);
    }
  }

  drop(): void {
    this.statements.clear();
    this.connection.exec(`DROP TABLE IF EXISTS ${this.table}`);
    this.connection.exec(`DROP TABLE IF EXISTS ${this.attachmentsTable}`);
  }

  /** Prepared once per SQL text: preparing costs more than running most of these statements. */
  private statement(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  keyColumnFor(fields: string[]): KeyColumn<RxDocType> | undefined {
    return this.keyColumnByFields.get(fields.join(','));
  }

  // ---- documents

  selectById(): SqliteStatement {
    return this.statement(`SELECT id, data FROM ${this.table} WHERE id = ?`);
  }

  /** Parameters: id. Tombstones come back without their data, which the caller would only parse to drop. */
  selectLiveById(): SqliteStatement {
    return this.statement(`SELECT id, data FROM ${this.table} WHERE id = ? AND deleted = 0`);
  }

  /**
   * Up to `count` ids in one statement (padded by repeating one): one SQLite call
   * instead of one per id, which is most of the cost of a lookup by id.
   * Parameters: the ids.
   */
  selectByIds(count: number, withDeleted: boolean): SqliteStatement {
    const placeholders = Array.from({ length: count }, () => '?').join(', ');
    return this.statement(`SELECT id, data FROM ${this.table} WHERE id IN (${placeholders})${withDeleted ? '' : ' AND deleted = 0'}`);
  }

  /** Parameters: id, deleted, lwt, one key per key column, data. */
  insert(): SqliteStatement {
    const placeholders = this.keyColumns.map(() => ', ?').join('');
    const columns = this.keyColumns.map((k) => ', ' + k.column).join('');
    return this.statement(
      `INSERT INTO ${this.table} (id, deleted, lwt${columns}, data) VALUES (?, ?, ?${placeholders}, ?)`,
    );
  }

  /** Same parameters as insert() (numbered, so one array of values serves both). */
  update(): SqliteStatement {
    const sets = this.keyColumns.map((k, i) => `${k.column} = ?${i + 4}`);
    sets.push(`data = ?${this.keyColumns.length + 4}`);
    return this.statement(`UPDATE ${this.table} SET deleted = ?2, lwt = ?3, ${sets.join(', ')} WHERE id = ?1`);
  }

  rowValues(doc: RxDocumentData<RxDocType>, id: Uint8Array, data: string | Uint8Array): SqlValue[] {
    const values: SqlValue[] = [id, doc._deleted ? 1 : 0, doc._meta.lwt];
    for (const k of this.keyColumns) values.push(indexKey(k.stringOf(doc)));
    values.push(data);
    return values;
  }

  /** Rows of a key range in key order; `limit` −1 means none. Parameters: lower, upper, limit, offset. */
  range(k: KeyColumn<RxDocType>, bounds: RangeBounds): SqliteStatement {
    return this.statement(
      `SELECT id, data FROM ${this.table} INDEXED BY ${k.sqlIndex} WHERE ${this.rangeCondition(k, bounds)} ORDER BY ${k.column} LIMIT ? OFFSET ?`,
    );
  }

  countRange(k: KeyColumn<RxDocType>, bounds: RangeBounds): SqliteStatement {
    return this.statement(
      `SELECT COUNT(*) AS n FROM ${this.table} INDEXED BY ${k.sqlIndex} WHERE ${this.rangeCondition(k, bounds)}`,
    );
  }

  private rangeCondition(k: KeyColumn<RxDocType>, bounds: RangeBounds): string {
    return `${k.column} ${bounds.inclusiveStart ? '>=' : '>'} ? AND ${k.column} ${bounds.inclusiveEnd ? '<=' : '<'} ?`;
  }

  selectAll(): SqliteStatement {
    return this.statement(`SELECT id, data FROM ${this.table}`);
  }

  /** Parameters: limit. */
  changesFromStart(k: KeyColumn<RxDocType>): SqliteStatement {
    return this.statement(`SELECT id, data FROM ${this.table} INDEXED BY ${k.sqlIndex} ORDER BY ${k.column} LIMIT ?`);
  }

  /** Parameters: key of the checkpoint, limit. */
  changesAfter(k: KeyColumn<RxDocType>): SqliteStatement {
    return this.statement(
      `SELECT id, data FROM ${this.table} INDEXED BY ${k.sqlIndex} WHERE ${k.column} > ? ORDER BY ${k.column} LIMIT ?`,
    );
  }

  /** Parameters: max lwt, limit. */
  tombstones(): SqliteStatement {
    return this.statement(
      `SELECT id FROM ${this.table} INDEXED BY ${quote(this.name + '__tombstones')} WHERE deleted = 1 AND lwt <= ? ORDER BY lwt LIMIT ?`,
    );
  }

  deleteById(): SqliteStatement {
    return this.statement(`DELETE FROM ${this.table} WHERE id = ?`);
  }

  // ---- attachments

  /** Parameters: doc id, attachment id, digest, type, data, sealed (0 or 1). */
  putAttachment(): SqliteStatement {
    return this.statement(
      `INSERT OR REPLACE INTO ${this.attachmentsTable} (doc_id, attachment_id, digest, type, data, sealed) VALUES (?, ?, ?, ?, ?, ?)`,
    );
  }

  getAttachment(): SqliteStatement {
    return this.statement(
      `SELECT digest, type, data, sealed FROM ${this.attachmentsTable} WHERE doc_id = ? AND attachment_id = ?`,
    );
  }

  deleteAttachment(): SqliteStatement {
    return this.statement(`DELETE FROM ${this.attachmentsTable} WHERE doc_id = ? AND attachment_id = ?`);
  }

  deleteAttachmentsOf(): SqliteStatement {
    return this.statement(`DELETE FROM ${this.attachmentsTable} WHERE doc_id = ?`);
  }
}
