/**
 * One RxDB collection stored in SQLite: the RxStorageInstance RxDB talks to.
 *
 * The SQLite work runs synchronously on the caller's thread (node:sqlite is
 * synchronous), which makes each read and each bulkWrite's transaction atomic
 * with respect to the event loop. Only waiting for the disk is asynchronous: a
 * bulkWrite resolves once its commit has been fsynced (see wal-fsync.ts).
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
  EventBulk,
  PreparedQuery,
  QueryMatcher,
  RxAttachmentWriteData,
  RxDocumentData,
  RxJsonSchema,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  RxStorageQueryResult,
  StringKeys,
} from 'rxdb';
import type { Observable } from 'rxjs';
import type { CollectionTable, KeyColumn, RangeBounds } from './collection-table';
import type { SqliteRow } from './driver';
import { indexKey } from './index-key';
import type { SqliteFile, TableChanges } from './sqlite-file';

export type SqliteStorageInternals = {
  readonly databaseFile: string;
  readonly tableName: string;
};

/** The storage takes no per-collection options. */
export type SqliteInstanceOptions = Record<string, never>;

/**
 * Tombstones purged per cleanup() call. The purge is synchronous, so it is
 * bounded to keep the event loop responsive; RxDB calls again while we answer false.
 */
const CLEANUP_BATCH = 1_000;

type ChangeBulk<RxDocType> = EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>;

const NO_ATTACHMENT_BYTES = new Map<Blob, Uint8Array>();

function documentOf<RxDocType>(row: SqliteRow): RxDocumentData<RxDocType> {
  return JSON.parse(row['data'] as string) as RxDocumentData<RxDocType>;
}

/** Attachment Blobs can only be read asynchronously, so they are read before the (synchronous) transaction. */
async function readAttachmentBytes<RxDocType>(rows: BulkWriteRow<RxDocType>[]): Promise<Map<Blob, Uint8Array>> {
  const bytes = new Map<Blob, Uint8Array>();
  for (const row of rows) {
    for (const attachment of Object.values(row.document._attachments ?? {})) {
      const data = (attachment as Partial<RxAttachmentWriteData>).data;
      if (data && !bytes.has(data)) bytes.set(data, new Uint8Array(await data.arrayBuffer()));
    }
  }
  return bytes;
}

export class RxStorageInstanceSqlite<RxDocType>
  implements RxStorageInstance<RxDocType, SqliteStorageInternals, SqliteInstanceOptions, RxStorageDefaultCheckpoint>
{
  readonly primaryPath: StringKeys<RxDocumentData<RxDocType>>;
  readonly internals: SqliteStorageInternals;
  private closed = false;
  private readonly changes: TableChanges;
  private readonly changesKeyColumn: KeyColumn<RxDocType>;

  constructor(
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>,
    readonly options: Readonly<SqliteInstanceOptions>,
    private readonly file: SqliteFile,
    private readonly table: CollectionTable<RxDocType>,
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as StringKeys<RxDocumentData<RxDocType>>;
    this.internals = { databaseFile: file.path, tableName: table.name };
    this.changes = file.changesOf(table.name);
    const changesKeyColumn = table.keyColumnFor(['_meta.lwt', this.primaryPath]);
    if (!changesKeyColumn) {
      // fillWithDefaultSettings() always adds it; a schema without it was not prepared by RxDB.
      throw new Error(`sqlite storage: the schema of '${collectionName}' lacks RxDB's ['_meta.lwt', primary key] index`);
    }
    this.changesKeyColumn = changesKeyColumn;
  }

  async bulkWrite(rows: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    this.ensureOpen();
    if (rows.length === 0) return { error: [] };
    // The queue orders the transactions; waiting for the disk happens outside it, so commits can share an fsync.
    const { categorized, commit } = await this.file.write(() =>
      this.table.hasAttachments
        ? readAttachmentBytes(rows).then((bytes) => this.writeNow(rows, context, bytes))
        : this.writeNow(rows, context, NO_ATTACHMENT_BYTES),
    );
    await this.file.durable(commit);

    // Emitted once the write is durable and just before the writer hears of it, like every other acknowledgement.
    const eventBulk = categorized.eventBulk as ChangeBulk<RxDocType>;
    if (eventBulk.events.length > 0 && categorized.newestRow) {
      const newest = categorized.newestRow.document;
      eventBulk.checkpoint = { id: newest[this.primaryPath] as string, lwt: newest._meta.lwt };
      this.changes.next(eventBulk);
    }
    return { error: categorized.errors };
  }

  /** Runs the whole bulk as one SQLite transaction: read the current documents, decide, write. */
  private writeNow(
    rows: BulkWriteRow<RxDocType>[],
    context: string,
    attachmentBytes: Map<Blob, Uint8Array>,
  ): { categorized: CategorizeBulkWriteRowsOutput<RxDocType>; commit: number } {
    const primaryPath = this.primaryPath;
    const table = this.table;
    const categorized = this.file.connection.transaction(() => {
      const keyById = new Map<string, Uint8Array>();
      const docsInDb = new Map<string, RxDocumentData<RxDocType>>();
      const selectById = table.selectById();
      for (const row of rows) {
        const id = row.document[primaryPath] as string;
        const key = indexKey(id);
        keyById.set(id, key);
        const found = selectById.get(key);
        if (found) docsInDb.set(id, documentOf<RxDocType>(found));
      }

      const categorized = categorizeBulkWriteRows<RxDocType>(
        this,
        primaryPath as StringKeys<RxDocType>,
        docsInDb,
        rows,
        context,
      );

      const insert = table.insert();
      for (const row of categorized.bulkInsertDocs) {
        const id = row.document[primaryPath] as string;
        insert.run(...table.rowValues(row.document, keyById.get(id) as Uint8Array, JSON.stringify(row.document)));
      }
      const update = table.update();
      for (const row of categorized.bulkUpdateDocs) {
        const id = row.document[primaryPath] as string;
        update.run(...table.rowValues(row.document, keyById.get(id) as Uint8Array, JSON.stringify(row.document)));
      }

      if (table.hasAttachments) {
        const put = table.putAttachment();
        for (const added of [...categorized.attachmentsAdd, ...categorized.attachmentsUpdate]) {
          const data = attachmentBytes.get(added.attachmentData.data);
          if (!data) throw new Error(`sqlite storage: attachment ${added.attachmentId} came without its data`);
          put.run(indexKey(added.documentId), indexKey(added.attachmentId), added.digest, added.attachmentData.type, data);
        }
        const remove = table.deleteAttachment();
        for (const removed of categorized.attachmentsRemove) {
          remove.run(indexKey(removed.documentId), indexKey(removed.attachmentId));
        }
      }
      return categorized;
    });
    return { categorized, commit: this.file.committed() };
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    this.ensureOpen();
    const select = withDeleted ? this.table.selectById() : this.table.selectLiveById();
    const found: RxDocumentData<RxDocType>[] = [];
    for (const id of ids) {
      const row = select.get(indexKey(id));
      if (row) found.push(documentOf<RxDocType>(row));
    }
    return found;
  }

  async query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    this.ensureOpen();
    const { query, queryPlan } = preparedQuery;
    const skip = query.skip ?? 0;
    // typeof, not truthiness: an explicit limit of 0 means no documents.
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const wanted = skip + limit;
    const keyColumn = this.table.keyColumnFor(queryPlan.index);

    if (!keyColumn) {
      // A query that names an index this collection does not have: scan everything, still correctly.
      const matcher = getQueryMatcher(this.schema, query);
      const docs = this.table.selectAll().all().map((row) => documentOf<RxDocType>(row)).filter((doc) => matcher(doc));
      docs.sort(getSortComparator(this.schema, query));
      return { documents: docs.slice(skip, wanted) };
    }

    const bounds = this.boundsOf(preparedQuery, keyColumn);
    const range = this.table.range(keyColumn, bounds);

    if (queryPlan.selectorSatisfiedByIndex && queryPlan.sortSatisfiedByIndex) {
      // The index range is the answer in the right order: skip and limit run inside SQLite.
      const rows = range.all(bounds.lower, bounds.upper, limit === Infinity ? -1 : limit, skip);
      return { documents: rows.map((row) => documentOf<RxDocType>(row)) };
    }

    let docs: RxDocumentData<RxDocType>[] = [];
    if (queryPlan.selectorSatisfiedByIndex) {
      docs = range.all(bounds.lower, bounds.upper, -1, 0).map((row) => documentOf<RxDocType>(row));
    } else {
      const matcher: QueryMatcher<RxDocumentData<RxDocType>> = getQueryMatcher(this.schema, query);
      if (queryPlan.sortSatisfiedByIndex) {
        // Rows arrive in result order, so the scan stops once skip + limit matches are in.
        for (const row of range.iterate(bounds.lower, bounds.upper, -1, 0)) {
          if (docs.length >= wanted) break;
          const doc = documentOf<RxDocType>(row);
          if (matcher(doc)) docs.push(doc);
        }
      } else {
        for (const row of range.iterate(bounds.lower, bounds.upper, -1, 0)) {
          const doc = documentOf<RxDocType>(row);
          if (matcher(doc)) docs.push(doc);
        }
      }
    }
    if (!queryPlan.sortSatisfiedByIndex) docs.sort(getSortComparator(this.schema, query));
    return { documents: docs.slice(skip, wanted) };
  }

  async count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    this.ensureOpen();
    const { query, queryPlan } = preparedQuery;
    const keyColumn = this.table.keyColumnFor(queryPlan.index);
    let matching: number;
    let mode: RxStorageCountResult['mode'];
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
      for (const row of rows) if (matcher(documentOf<RxDocType>(row))) matching++;
      mode = 'slow';
    }
    // The interface asks for what query() would return, so skip and limit apply here too.
    const skip = query.skip ?? 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    return { count: Math.max(0, Math.min(matching - skip, limit)), mode };
  }

  private boundsOf(preparedQuery: PreparedQuery<RxDocType>, keyColumn: KeyColumn<RxDocType>): RangeBounds {
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
  async getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    this.ensureOpen();
    const k = this.changesKeyColumn;
    const rows = checkpoint
      ? this.table
          .changesAfter(k)
          .all(indexKey(getStartIndexStringFromLowerBound(this.schema, k.fields, [checkpoint.lwt, checkpoint.id])), limit)
      : this.table.changesFromStart(k).all(limit);
    const documents = rows.map((row) => documentOf<RxDocType>(row));
    const last = documents[documents.length - 1];
    return {
      documents,
      checkpoint: last
        ? { id: last[this.primaryPath] as string, lwt: last._meta.lwt }
        : (checkpoint ?? { id: '', lwt: 0 }),
    };
  }

  changeStream(): Observable<ChangeBulk<RxDocType>> {
    return this.changes.asObservable() as Observable<ChangeBulk<RxDocType>>;
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureOpen();
    const maxDeletionTime = now() - minimumDeletedTime;
    const table = this.table;
    const purged = this.file.connection.transaction(() => {
      const ids = table.tombstones().all(maxDeletionTime, CLEANUP_BATCH).map((row) => row['id'] as Uint8Array);
      const deleteDoc = table.deleteById();
      for (const id of ids) deleteDoc.run(id);
      if (table.hasAttachments) {
        const deleteAttachments = table.deleteAttachmentsOf();
        for (const id of ids) deleteAttachments.run(id);
      }
      return ids.length;
    });
    if (purged > 0) await this.file.durable(this.file.committed());
    return purged < CLEANUP_BATCH;
  }

  async getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    this.ensureOpen();
    if (!this.table.hasAttachments) {
      throw new Error(`sqlite storage: collection '${this.collectionName}' has no attachments in its schema`);
    }
    const row = this.table.getAttachment().get(indexKey(documentId), indexKey(attachmentId));
    if (!row || row['digest'] !== digest) {
      throw new Error(`sqlite storage: attachment does not exist: ${documentId}/${attachmentId} (digest ${digest})`);
    }
    return new Blob([row['data'] as Uint8Array<ArrayBuffer>], { type: row['type'] as string });
  }

  async remove(): Promise<void> {
    this.ensureOpen();
    this.file.connection.transaction(() => {
      this.table.drop();
      this.file.unregisterTable(this.table.name);
    });
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.file.release();
  }

  private ensureOpen(): void {
    if (this.closed) {
      throw new Error(`sqlite storage: the storage instance of '${this.collectionName}' is closed`);
    }
  }
}
