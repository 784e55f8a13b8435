/**
 * The engine's side of one RxDB collection: RxDB's storage semantics over one
 * table, run synchronously on one connection (the writer's or a reader's) and
 * answering with JSON text. Document bodies pass through the cipher when the
 * file is encrypted; a body that fails to open is left out and reported.
 */
import {
  categorizeBulkWriteRows,
  getPrimaryFieldOfPrimaryKey,
  getQueryMatcher,
  getSortComparator,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
  now,
} from 'rxdb';
import type {
  BulkWriteRow,
  CategorizeBulkWriteRowsOutput,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorageDefaultCheckpoint,
  StringKeys,
} from 'rxdb';
import type { Cipher } from './cipher';
import type { CollectionTable, KeyColumn, RangeBounds } from './collection-table';
import type { SqliteConnection, SqliteRow } from './driver';
import { attachmentPlace, documentPlace } from './file-encryption';
import { indexKey, stringFromIndexKey } from './index-key';
import type { TableWriteResult, WireRow } from './protocol';

type Doc = RxDocumentData<any>;

/**
 * Tombstones purged per cleanup() call. The purge is one transaction on the
 * writer, so it is bounded; RxDB calls again while we answer false.
 */
const CLEANUP_BATCH = 1_000;
/** Ids per lookup statement: few statements, and few distinct statement shapes to prepare. */
const IDS_PER_STATEMENT = 200;

/** A document's JSON: text as SQLite returned it, or the UTF-8 bytes a sealed body opened to. */
type Json = string | Buffer;

const asText = (json: Json): string => (typeof json === 'string' ? json : json.toString('utf8'));

/**
 * A JSON array of the documents. Opened bodies are joined as bytes into one
 * buffer of its own memory, which the reply then moves to the main thread
 * without a copy; decoding each to a string first cost more than opening it.
 */
function jsonArray(parts: Json[]): string | Uint8Array {
  if (parts.every((part) => typeof part === 'string')) return '[' + (parts as string[]).join(',') + ']';
  const buffers = parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part));
  const out = Buffer.allocUnsafeSlow(buffers.reduce((n, b) => n + b.length + 1, 1));
  let at = 0;
  out[at++] = 0x5b; // [
  buffers.forEach((buffer, i) => {
    if (i > 0) out[at++] = 0x2c; // ,
    at += buffer.copy(out, at);
  });
  out[at++] = 0x5d; // ]
  return out.subarray(0, at);
}

/** Stands in for an attachment's Blob in RxDB's write rules, which read only its size. */
class AttachmentBytes {
  constructor(readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.byteLength;
  }
}

/** A write decided but not yet done: the parsed rows, what RxDB's rules made of them, and which rows exist. */
export type PreparedWrite = {
  store: CollectionStore;
  rows: BulkWriteRow<Doc>[];
  documents: string[];
  categorized: CategorizeBulkWriteRowsOutput<Doc>;
  keyById: Map<string, Uint8Array>;
  /** Rows that exist but could not be read: written over (a pull can repair them), never inserted twice. */
  unreadableIds: Set<string>;
  result: TableWriteResult;
};

export class CollectionStore {
  readonly primaryPath: StringKeys<Doc>;
  private readonly changesKeyColumn: KeyColumn<Doc>;

  constructor(
    readonly collectionName: string,
    readonly schema: RxJsonSchema<Doc>,
    readonly table: CollectionTable<Doc>,
    private readonly connection: SqliteConnection,
    private readonly cipher: Cipher | undefined,
    /** Told of each stored document that cannot be read (by id), which is then left out. */
    private readonly reportUnreadable: (id: string) => void,
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as StringKeys<Doc>;
    const changesKeyColumn = table.keyColumnFor(['_meta.lwt', this.primaryPath]);
    if (!changesKeyColumn) {
      // fillWithDefaultSettings() always adds it; a schema without it was not prepared by RxDB.
      throw new Error(`sqlite storage: the schema of '${collectionName}' lacks RxDB's ['_meta.lwt', primary key] index`);
    }
    this.changesKeyColumn = changesKeyColumn;
  }

  /** The document's JSON, or undefined when its sealed body does not open. */
  private text(row: SqliteRow): Json | undefined {
    return this.textOf(row['id'] as Uint8Array, row['data']);
  }

  private textOf(id: Uint8Array, data: unknown): Json | undefined {
    if (!this.cipher) {
      if (typeof data === 'string') return data;
    } else if (data instanceof Uint8Array) {
      const opened = this.cipher.open(data, documentPlace(this.table.name, id));
      if (opened) return opened;
    }
    // A plaintext row in an encrypted file was not written by this storage: as untrusted as a failed tag.
    this.reportUnreadable(stringFromIndexKey(id));
    return undefined;
  }

  private texts(rows: Iterable<SqliteRow>): Json[] {
    const out: Json[] = [];
    for (const row of rows) {
      const text = this.text(row);
      if (text !== undefined) out.push(text);
    }
    return out;
  }

  private sealed(json: string, id: Uint8Array): string | Uint8Array {
    return this.cipher ? this.cipher.seal(Buffer.from(json, 'utf8'), documentPlace(this.table.name, id)) : json;
  }

  // ---- writes (writer only, inside the caller's transaction)

  /** Reads the current documents and applies RxDB's write rules; writes nothing. */
  prepareWrite(wireRows: WireRow[], context: string): PreparedWrite {
    const primaryPath = this.primaryPath;
    const hasAttachments = this.table.hasAttachments;
    const rows: BulkWriteRow<Doc>[] = new Array(wireRows.length);
    const keyById = new Map<string, Uint8Array>();
    for (let i = 0; i < wireRows.length; i++) {
      const wire = wireRows[i] as WireRow;
      const document = JSON.parse(wire.document) as Doc;
      if (hasAttachments) {
        // The bytes travel beside the document; RxDB's rules only ask whether data is there.
        for (const [attachmentId, attachment] of Object.entries(document._attachments ?? {})) {
          const bytes = wire.attachmentData?.[attachmentId];
          if (bytes) (attachment as { data?: unknown }).data = new AttachmentBytes(bytes);
        }
      }
      const previous =
        wire.previousRev === null
          ? undefined
          : ({ _rev: wire.previousRev, _deleted: false, _attachments: wire.previousAttachments ?? {} } as unknown as Doc);
      rows[i] = previous ? { previous, document } : { document };
      keyById.set(document[primaryPath] as string, indexKey(document[primaryPath] as string));
    }

    const docsInDb = new Map<string, Doc>();
    const textInDb = new Map<string, string>();
    const unreadableIds = new Set<string>();
    this.forEachById([...keyById.values()], true, (key, data) => {
      const id = stringFromIndexKey(key);
      const text = this.textOf(key, data);
      if (text === undefined) {
        unreadableIds.add(id);
        return;
      }
      const json = asText(text);
      textInDb.set(id, json);
      docsInDb.set(id, JSON.parse(json) as Doc);
    });

    const categorized = categorizeBulkWriteRows<Doc>(this as never, primaryPath, docsInDb, rows, context);
    const inDb: number[] = [];
    const indexOfRow = new Map<BulkWriteRow<Doc>, number>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as BulkWriteRow<Doc>;
      indexOfRow.set(row, i);
      if (docsInDb.has(row.document[primaryPath] as string)) inDb.push(i);
    }
    const refused: TableWriteResult['refused'] = categorized.errors.map((error) => [
      indexOfRow.get(error.writeRow) as number,
      textInDb.get(error.documentId) ?? null,
    ]);
    return {
      store: this,
      rows,
      documents: wireRows.map((wire) => wire.document),
      categorized,
      keyById,
      unreadableIds,
      result: { inDb, refused },
    };
  }

  /** Writes what prepareWrite decided. */
  applyWrite(write: PreparedWrite): void {
    const { categorized, keyById, unreadableIds } = write;
    const table = this.table;
    const primaryPath = this.primaryPath;
    // Without attachments the stored JSON is exactly what the main thread sent; with them, the stripped document.
    const jsonOf = table.hasAttachments
      ? (doc: Doc) => JSON.stringify(doc)
      : (() => {
          const byDoc = new Map<Doc, string>();
          write.rows.forEach((row, i) => byDoc.set(row.document, write.documents[i] as string));
          return (doc: Doc) => byDoc.get(doc) ?? JSON.stringify(doc);
        })();

    const insert = table.insert();
    const update = table.update();
    for (const row of categorized.bulkInsertDocs) {
      const id = row.document[primaryPath] as string;
      const key = keyById.get(id) as Uint8Array;
      const values = table.rowValues(row.document, key, this.sealed(jsonOf(row.document), key));
      (unreadableIds.has(id) ? update : insert).run(...values);
    }
    for (const row of categorized.bulkUpdateDocs) {
      const key = keyById.get(row.document[primaryPath] as string) as Uint8Array;
      update.run(...table.rowValues(row.document, key, this.sealed(jsonOf(row.document), key)));
    }

    if (table.hasAttachments) {
      const put = table.putAttachment();
      for (const added of [...categorized.attachmentsAdd, ...categorized.attachmentsUpdate]) {
        const wrapped = added.attachmentData.data as unknown;
        if (!(wrapped instanceof AttachmentBytes)) {
          throw new Error(`sqlite storage: an attachment of '${this.collectionName}' came without its data`);
        }
        const data = wrapped.bytes;
        const docKey = indexKey(added.documentId);
        const attachmentKey = indexKey(added.attachmentId);
        const stored = this.cipher ? this.cipher.seal(data, attachmentPlace(table.name, docKey, attachmentKey)) : data;
        put.run(docKey, attachmentKey, added.digest, added.attachmentData.type, stored, this.cipher ? 1 : 0);
      }
      const remove = table.deleteAttachment();
      for (const removed of categorized.attachmentsRemove) {
        remove.run(indexKey(removed.documentId), indexKey(removed.attachmentId));
      }
    }
  }

  // ---- reads

  /** Calls back with each stored row among the ids (id, data), in chunks of one statement each. */
  private forEachById(keys: Uint8Array[], withDeleted: boolean, each: (id: Uint8Array, data: unknown) => void): void {
    for (let start = 0; start < keys.length; start += IDS_PER_STATEMENT) {
      const chunk = keys.slice(start, start + IDS_PER_STATEMENT);
      // Padding with a repeated id keeps to one statement shape per chunk size class.
      const size = chunk.length <= 8 ? chunk.length : IDS_PER_STATEMENT;
      while (chunk.length < size) chunk.push(chunk[0] as Uint8Array);
      for (const [id, data] of this.table.selectByIds(size, withDeleted).allValues(...chunk)) each(id as Uint8Array, data);
    }
  }

  /** A JSON array of the documents, in the order of the ids asked for. */
  findDocumentsById(ids: string[], withDeleted: boolean): string | Uint8Array {
    const keys = ids.map(indexKey);
    const found = new Map<string, Json>();
    const read = (): void =>
      this.forEachById(keys, withDeleted, (key, data) => {
        const text = this.textOf(key, data);
        if (text !== undefined) found.set(Buffer.from(key).toString('latin1'), text);
      });
    // Several statements read one snapshot, so a concurrent commit cannot show half of itself.
    if (keys.length > IDS_PER_STATEMENT) this.connection.readTransaction(read);
    else read();
    const parts: Json[] = [];
    for (const key of keys) {
      const text = found.get(Buffer.from(key).toString('latin1'));
      if (text !== undefined) parts.push(text);
    }
    return jsonArray(parts);
  }

  query(preparedQuery: PreparedQuery<Doc>): string | Uint8Array {
    const { query, queryPlan } = preparedQuery;
    const skip = query.skip ?? 0;
    // typeof, not truthiness: an explicit limit of 0 means no documents.
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const wanted = skip + limit;
    const keyColumn = this.table.keyColumnFor(queryPlan.index);

    if (!keyColumn) {
      // A query that names an index this collection does not have: scan everything, still correctly.
      return jsonArray(this.matchAndSort(this.table.selectAll().iterate(), preparedQuery, false, Infinity).slice(skip, wanted));
    }

    const bounds = this.boundsOf(preparedQuery, keyColumn);
    const range = this.table.range(keyColumn, bounds);

    if (queryPlan.selectorSatisfiedByIndex && queryPlan.sortSatisfiedByIndex) {
      // The index range is the answer in the right order: skip and limit run inside SQLite.
      return jsonArray(this.texts(range.iterate(bounds.lower, bounds.upper, limit === Infinity ? -1 : limit, skip)));
    }
    const rows = range.iterate(bounds.lower, bounds.upper, -1, 0);
    if (queryPlan.selectorSatisfiedByIndex) {
      return jsonArray(this.matchAndSort(rows, preparedQuery, true, Infinity).slice(skip, wanted));
    }
    // Sorted by the index, the scan stops once skip + limit matches are in.
    const stopAt = queryPlan.sortSatisfiedByIndex ? wanted : Infinity;
    return jsonArray(this.matchAndSort(rows, preparedQuery, false, stopAt).slice(skip, wanted));
  }

  /** Parses, filters (unless the index already did) and sorts (unless the rows come in order); keeps the JSON. */
  private matchAndSort(rows: Iterable<SqliteRow>, preparedQuery: PreparedQuery<Doc>, allMatch: boolean, stopAt: number): Json[] {
    const { query, queryPlan } = preparedQuery;
    const matcher = allMatch ? undefined : getQueryMatcher(this.schema, query);
    const found: { doc: Doc; text: Json }[] = [];
    for (const row of rows) {
      if (found.length >= stopAt) break;
      const text = this.text(row);
      if (text === undefined) continue;
      const doc = JSON.parse(asText(text)) as Doc;
      if (!matcher || matcher(doc)) found.push({ doc, text });
    }
    if (!queryPlan.sortSatisfiedByIndex || !this.table.keyColumnFor(queryPlan.index)) {
      const compare = getSortComparator(this.schema, query);
      found.sort((a, b) => compare(a.doc, b.doc));
    }
    return found.map((entry) => entry.text);
  }

  count(preparedQuery: PreparedQuery<Doc>): { count: number; mode: 'fast' | 'slow' } {
    const { query, queryPlan } = preparedQuery;
    const keyColumn = this.table.keyColumnFor(queryPlan.index);
    let matching: number;
    let mode: 'fast' | 'slow';
    if (keyColumn && queryPlan.selectorSatisfiedByIndex) {
      const bounds = this.boundsOf(preparedQuery, keyColumn);
      const row = this.table.countRange(keyColumn, bounds).get(bounds.lower, bounds.upper);
      matching = Number(row?.['n'] ?? 0);
      mode = 'fast';
    } else {
      // Every candidate has to be parsed and matched: RxDB only runs this with allowSlowCount.
      const matcher = getQueryMatcher(this.schema, query);
      const rows = keyColumn
        ? (() => {
            const bounds = this.boundsOf(preparedQuery, keyColumn);
            return this.table.range(keyColumn, bounds).iterate(bounds.lower, bounds.upper, -1, 0);
          })()
        : this.table.selectAll().iterate();
      matching = 0;
      for (const row of rows) {
        const text = this.text(row);
        if (text !== undefined && matcher(JSON.parse(asText(text)) as Doc)) matching++;
      }
      mode = 'slow';
    }
    // The interface asks for what query() would return, so skip and limit apply here too.
    const skip = query.skip ?? 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    return { count: Math.max(0, Math.min(matching - skip, limit)), mode };
  }

  private boundsOf(preparedQuery: PreparedQuery<Doc>, keyColumn: KeyColumn<Doc>): RangeBounds {
    const plan = preparedQuery.queryPlan;
    return {
      lower: indexKey(getStartIndexStringFromLowerBound(this.schema, keyColumn.fields, plan.startKeys)),
      upper: indexKey(getStartIndexStringFromUpperBound(this.schema, keyColumn.fields, plan.endKeys)),
      inclusiveStart: plan.inclusiveStart,
      inclusiveEnd: plan.inclusiveEnd,
    };
  }

  /**
   * Pages through RxDB's own ['_meta.lwt', primaryKey] index, so the order is the
   * one RxDB's query fallback would produce; the checkpoint's key is the exact key
   * of the last document returned, so pages neither overlap nor skip.
   */
  changesSince(limit: number, checkpoint: RxStorageDefaultCheckpoint | undefined): string | Uint8Array {
    const k = this.changesKeyColumn;
    const rows = checkpoint
      ? this.table
          .changesAfter(k)
          .iterate(indexKey(getStartIndexStringFromLowerBound(this.schema, k.fields, [checkpoint.lwt, checkpoint.id])), limit)
      : this.table.changesFromStart(k).iterate(limit);
    return jsonArray(this.texts(rows));
  }

  /** One bounded batch of tombstones older than minimumDeletedTime, in the caller's transaction. */
  purgeTombstones(minimumDeletedTime: number): { purged: number; done: boolean } {
    const table = this.table;
    const ids = table.tombstones().all(now() - minimumDeletedTime, CLEANUP_BATCH).map((row) => row['id'] as Uint8Array);
    const deleteDoc = table.deleteById();
    for (const id of ids) deleteDoc.run(id);
    if (table.hasAttachments) {
      const deleteAttachments = table.deleteAttachmentsOf();
      for (const id of ids) deleteAttachments.run(id);
    }
    return { purged: ids.length, done: ids.length < CLEANUP_BATCH };
  }

  attachment(documentId: string, attachmentId: string, digest: string): { type: string; data: Uint8Array } | null {
    if (!this.table.hasAttachments) {
      throw new Error(`sqlite storage: collection '${this.collectionName}' has no attachments in its schema`);
    }
    const docKey = indexKey(documentId);
    const attachmentKey = indexKey(attachmentId);
    const row = this.table.getAttachment().get(docKey, attachmentKey);
    if (!row || row['digest'] !== digest) return null;
    const stored = row['data'] as Uint8Array;
    if (!this.cipher) return { type: row['type'] as string, data: stored };
    const opened = row['sealed'] === 1 ? this.cipher.open(stored, attachmentPlace(this.table.name, docKey, attachmentKey)) : undefined;
    if (!opened) {
      this.reportUnreadable(documentId);
      return null;
    }
    return { type: row['type'] as string, data: opened };
  }
}
