/**
 * One RxDB collection stored in SQLite: the RxStorageInstance RxDB talks to, on
 * the main thread. It only routes: writes go to the writer thread, reads to the
 * reader threads (so a read the screens wait for never queues behind a large
 * write), and documents come back as JSON.
 *
 * A write resolves once its commit is fsynced, after its change events; a read
 * issued after a write resolved sees it (a reader starts a new snapshot for
 * each request, and the commit came first).
 */
import { getPrimaryFieldOfPrimaryKey } from 'rxdb';
import type {
  BulkWriteRow,
  EventBulk,
  PreparedQuery,
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
import { releaseFile, separateReaders } from './database-files';
import type { DatabaseFile } from './database-files';
import type { EngineLink } from './engine-link';
import { parseJsonArray } from './protocol';

export type SqliteStorageInternals = {
  readonly databaseFile: string;
  readonly tableName: string;
};

/** The storage takes no per-collection options. */
export type SqliteInstanceOptions = Record<string, never>;

/**
 * From this many ids a lookup is split between the reader threads. The two
 * halves read two snapshots, which is fine for a lookup by id: each document is
 * returned as it was committed, and a write that resolved before is in both.
 */
const SPLIT_LOOKUP_AT = 1_000;

type ChangeBulk<RxDocType> = EventBulk<RxStorageChangeEvent<RxDocumentData<RxDocType>>, RxStorageDefaultCheckpoint>;

/** The open file behind each instance, for writes across collections; kept out of the instance's enumerable state. */
const fileOfInstance = new WeakMap<RxStorageInstanceSqlite<any>, DatabaseFile>();

export function databaseFileOf(instance: RxStorageInstanceSqlite<any>): DatabaseFile {
  const file = fileOfInstance.get(instance);
  if (!file || instance.closed) throw new Error(`sqlite storage: the storage instance of '${instance.collectionName}' is closed`);
  return file;
}

export class RxStorageInstanceSqlite<RxDocType>
  implements RxStorageInstance<RxDocType, SqliteStorageInternals, SqliteInstanceOptions, RxStorageDefaultCheckpoint>
{
  readonly primaryPath: StringKeys<RxDocumentData<RxDocType>>;
  readonly internals: SqliteStorageInternals;
  closed = false;
  private readonly file: DatabaseFile;

  constructor(
    readonly databaseName: string,
    readonly collectionName: string,
    readonly schema: Readonly<RxJsonSchema<RxDocumentData<RxDocType>>>,
    readonly options: Readonly<SqliteInstanceOptions>,
    file: DatabaseFile,
    readonly table: string,
  ) {
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as StringKeys<RxDocumentData<RxDocType>>;
    this.internals = { databaseFile: file.path, tableName: table };
    this.file = file;
    fileOfInstance.set(this, file);
  }

  private get reader(): EngineLink {
    return this.file.reader();
  }

  async bulkWrite(rows: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    this.ensureOpen();
    if (rows.length === 0) return { error: [] };
    const { errors } = await this.file.write([{ target: this as never, rows: rows as BulkWriteRow<any>[] }], context, false);
    return { error: errors[0] as RxStorageBulkWriteResponse<RxDocType>['error'] };
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<RxDocType>[]> {
    this.ensureOpen();
    if (ids.length === 0) return [];
    const readers = this.file.engines.readers;
    const parts = ids.length >= SPLIT_LOOKUP_AT && readers.length > 1 ? readers.length : 1;
    const size = Math.ceil(ids.length / parts);
    const found = await Promise.all(
      Array.from({ length: parts }, async (_, part) => {
        const slice = parts === 1 ? ids : ids.slice(part * size, (part + 1) * size);
        const json = await this.reader.request({ op: 'find-by-ids', file: this.file.path, table: this.table, ids: slice, withDeleted });
        return parseJsonArray<RxDocumentData<RxDocType>>(json);
      }),
    );
    return parts === 1 ? (found[0] as RxDocumentData<RxDocType>[]) : found.flat();
  }

  async query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    this.ensureOpen();
    const json = await this.reader.request({ op: 'query', file: this.file.path, table: this.table, query: preparedQuery });
    return { documents: parseJsonArray<RxDocumentData<RxDocType>>(json) };
  }

  async count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    this.ensureOpen();
    return this.reader.request({ op: 'count', file: this.file.path, table: this.table, query: preparedQuery });
  }

  async getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: RxDocumentData<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    this.ensureOpen();
    const json = await this.reader.request({ op: 'changes-since', file: this.file.path, table: this.table, limit, checkpoint });
    const documents = parseJsonArray<RxDocumentData<RxDocType>>(json);
    const last = documents[documents.length - 1];
    return {
      documents,
      checkpoint: last
        ? { id: last[this.primaryPath] as string, lwt: last._meta.lwt }
        : (checkpoint ?? { id: '', lwt: 0 }),
    };
  }

  changeStream(): Observable<ChangeBulk<RxDocType>> {
    return this.file.changesOf(this.table).asObservable() as Observable<ChangeBulk<RxDocType>>;
  }

  async cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureOpen();
    const { done } = await this.file.engines.writer.request({ op: 'cleanup', file: this.file.path, table: this.table, minimumDeletedTime });
    return done;
  }

  async getAttachmentData(documentId: string, attachmentId: string, digest: string): Promise<Blob> {
    this.ensureOpen();
    const found = await this.reader.request({ op: 'attachment', file: this.file.path, table: this.table, documentId, attachmentId, digest });
    if (!found) throw new Error(`sqlite storage: attachment does not exist: ${documentId}/${attachmentId} (digest ${digest})`);
    return new Blob([found.data as Uint8Array<ArrayBuffer>], { type: found.type });
  }

  async remove(): Promise<void> {
    this.ensureOpen();
    await this.file.engines.writer.request({ op: 'remove-collection', file: this.file.path, table: this.table });
    await Promise.all(separateReaders(this.file.engines).map((reader) => reader.request({ op: 'forget-collection', file: this.file.path, table: this.table })));
    this.file.forgetTable(this.table);
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await releaseFile(this.file);
  }

  private ensureOpen(): void {
    if (this.closed) {
      throw new Error(`sqlite storage: the storage instance of '${this.collectionName}' is closed`);
    }
  }
}
