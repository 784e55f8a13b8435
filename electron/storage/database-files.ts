/**
 * The main thread's side of each open database file: which engines serve it,
 * how many storage instances hold it, the change streams of its tables, and
 * the writes to it.
 *
 * A write's documents cross to the writer as JSON text, made in slices on
 * separate turns of the event loop for a large bulk, so the main thread never
 * works on one write for long. The writer answers with what it found in the
 * database (not the documents), and the main thread runs RxDB's own
 * categorizeBulkWriteRows on that to get the errors and the change events: the
 * same function the writer ran on the same input, so they agree.
 */
import { categorizeBulkWriteRows } from 'rxdb';
import type {
  BulkWriteRow,
  EventBulk,
  RxDocumentData,
  RxStorageChangeEvent,
  RxStorageDefaultCheckpoint,
  RxStorageWriteError,
  StringKeys,
} from 'rxdb';
import { Subject } from 'rxjs';
import { WrongKeyError } from './errors';
import type { EngineLink } from './engine-link';
import type { TableWriteResult, Unreadable, WireRow } from './protocol';

type Doc = RxDocumentData<any>;
export type TableChanges = Subject<EventBulk<RxStorageChangeEvent<Doc>, RxStorageDefaultCheckpoint>>;

/** The writer, and the readers (on their own threads, or the writer itself when the engine runs in-thread). */
export type Engines = { writer: EngineLink; readers: EngineLink[] };

/** The readers that are not the writer: those that open files and collections of their own. */
export function separateReaders(engines: Engines): EngineLink[] {
  return engines.readers.filter((reader) => reader !== engines.writer);
}

/** What a write needs of the instance it writes through. */
export type WriteTarget = {
  readonly table: string;
  readonly primaryPath: StringKeys<Doc>;
  readonly schema: { attachments?: object };
};

export type FileWrite = { target: WriteTarget; rows: BulkWriteRow<Doc>[] };

export type UnreadableReport = (document: { collectionName: string; id: string }) => void;

/** Rows turned into JSON per turn of the event loop: about a millisecond of work for learner-sized documents. */
const ROWS_PER_TURN = 250;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const ignore = (): void => undefined;

function wireRow(row: BulkWriteRow<Doc>, hasAttachments: boolean): WireRow {
  if (!hasAttachments) return { document: JSON.stringify(row.document), previousRev: row.previous?._rev ?? null };
  // Attachment data (Blobs) goes beside the document as bytes, read beforehand (see attachmentBytes).
  const attachments: Record<string, unknown> = {};
  for (const [id, attachment] of Object.entries(row.document._attachments ?? {})) {
    const { data: _data, ...meta } = attachment as { data?: Blob };
    attachments[id] = meta;
  }
  return {
    document: JSON.stringify({ ...row.document, _attachments: attachments }),
    previousRev: row.previous?._rev ?? null,
    previousAttachments: row.previous?._attachments,
  };
}

async function attachmentBytes(rows: BulkWriteRow<Doc>[], wire: WireRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i++) {
    for (const [id, attachment] of Object.entries((rows[i] as BulkWriteRow<Doc>).document._attachments ?? {})) {
      const data = (attachment as { data?: Blob }).data;
      if (data) ((wire[i] as WireRow).attachmentData ??= {})[id] = new Uint8Array(await data.arrayBuffer());
    }
  }
}

async function toWire(rows: BulkWriteRow<Doc>[], hasAttachments: boolean): Promise<WireRow[]> {
  const wire: WireRow[] = new Array(rows.length);
  for (let start = 0; start < rows.length; start += ROWS_PER_TURN) {
    if (start > 0) await nextTurn();
    const end = Math.min(rows.length, start + ROWS_PER_TURN);
    for (let i = start; i < end; i++) wire[i] = wireRow(rows[i] as BulkWriteRow<Doc>, hasAttachments);
  }
  if (hasAttachments) await attachmentBytes(rows, wire);
  return wire;
}

/** The documents the writer found, enough for categorizeBulkWriteRows to decide as the writer did. */
function docsInDbOf(target: WriteTarget, rows: BulkWriteRow<Doc>[], result: TableWriteResult): Map<string, Doc> {
  const refused = new Map(result.refused);
  const docsInDb = new Map<string, Doc>();
  for (const i of result.inDb) {
    const row = rows[i] as BulkWriteRow<Doc>;
    const stored = refused.get(i);
    // A row that was not refused matched the stored revision, which is all RxDB's rules read of it.
    docsInDb.set(row.document[target.primaryPath] as string, stored ? JSON.parse(stored) : { _rev: row.previous?._rev });
  }
  return docsInDb;
}

export class DatabaseFile {
  /** Storage instances holding the file, counted from the moment they ask for it. */
  holders = 1;
  private nextReader = 0;
  private readonly changes = new Map<string, TableChanges>();
  private postTail: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    readonly engines: Engines,
    private readonly key: Uint8Array | undefined,
    readonly report: UnreadableReport,
  ) {}

  /** Refuses a second opener with another key (or none where the file has one). */
  checkKey(key: Uint8Array | undefined): void {
    const same = key === undefined || this.key === undefined ? key === this.key : Buffer.from(key).equals(Buffer.from(this.key));
    if (!same) throw new WrongKeyError(`sqlite storage: ${this.path} is open with another encryptionKey`);
  }

  /** The readers in turn, so reads issued together run side by side. */
  reader(): EngineLink {
    const readers = this.engines.readers;
    return readers[this.nextReader++ % readers.length] as EngineLink;
  }

  /** Change events are per table, shared by every instance that has the table open. */
  changesOf(table: string): TableChanges {
    let changes = this.changes.get(table);
    if (!changes) {
      changes = new Subject();
      this.changes.set(table, changes);
    }
    return changes;
  }

  forgetTable(table: string): void {
    this.changes.get(table)?.complete();
    this.changes.delete(table);
  }

  /**
   * Writes rows to one or more tables of this file in one transaction, made
   * durable by one fsync. Change events are emitted, one bulk per table, once
   * the write is durable and before the writer hears of it. `atomic`: when any
   * row is refused, nothing is written (and no event emitted).
   */
  async write(writes: FileWrite[], context: string, atomic: boolean): Promise<{ written: boolean; errors: RxStorageWriteError<Doc>[][] }> {
    const ready = Promise.all(writes.map((write) => toWire(write.rows, !!write.target.schema.attachments)));
    // Posted in the order of the calls, whatever the time each took to make its JSON.
    let reply!: Promise<{ written: boolean; results: TableWriteResult[] }>;
    const posted = Promise.all([this.postTail, ready]).then(([, wire]) => {
      reply = this.engines.writer.request({
        op: 'write',
        file: this.path,
        writes: writes.map((write, i) => ({ table: write.target.table, rows: wire[i] as WireRow[] })),
        context,
        atomic,
      });
    });
    this.postTail = posted.then(ignore, ignore);
    await posted;
    const { written, results } = await reply;

    const categorized = writes.map((write, i) => {
      const result = results[i] as TableWriteResult;
      const outcome = categorizeBulkWriteRows<Doc>(
        write.target as never,
        write.target.primaryPath,
        docsInDbOf(write.target, write.rows, result),
        write.rows,
        context,
      );
      if (outcome.errors.length !== result.refused.length) {
        throw new Error('sqlite storage: the writer and the main thread disagree on a write; this is a bug');
      }
      return outcome;
    });
    if (written) {
      writes.forEach((write, i) => {
        const { eventBulk, newestRow } = categorized[i]!;
        if (eventBulk.events.length === 0 || !newestRow) return;
        const newest = newestRow.document;
        eventBulk.checkpoint = { id: newest[write.target.primaryPath] as string, lwt: newest._meta.lwt };
        this.changesOf(write.target.table).next(eventBulk as EventBulk<RxStorageChangeEvent<Doc>, RxStorageDefaultCheckpoint>);
      });
    }
    return { written, errors: categorized.map((c) => c.errors) };
  }

  completeChanges(): void {
    for (const changes of this.changes.values()) changes.complete();
    this.changes.clear();
  }
}

/** Open files per pair of engines (the worker threads, or one in-thread engine), by path. */
const registries = new Map<Engines, Map<string, DatabaseFile>>();
const opening = new Map<DatabaseFile, Promise<void>>();

/** Routes what the engines report to the file's reporter. */
export function reportUnreadable(unreadable: Unreadable): void {
  for (const { file, collectionName, id } of unreadable) {
    for (const registry of registries.values()) registry.get(file)?.report({ collectionName, id });
  }
}

/** The open file at this path, opening it on the engines if needed; pair every call with releaseFile(). */
export async function acquireFile(
  engines: Engines,
  path: string,
  options: { busyTimeoutMs: number; key: Uint8Array | undefined; report: UnreadableReport },
): Promise<DatabaseFile> {
  let registry = registries.get(engines);
  if (!registry) registries.set(engines, (registry = new Map()));
  const existing = registry.get(path);
  if (existing) {
    existing.holders++;
    try {
      await opening.get(existing);
      existing.checkKey(options.key);
    } catch (error) {
      await releaseFile(existing);
      throw error;
    }
    return existing;
  }
  const file = new DatabaseFile(path, engines, options.key, options.report);
  registry.set(path, file);
  const open = (async () => {
    const request = { op: 'open-file', file: path, busyTimeoutMs: options.busyTimeoutMs, key: options.key } as const;
    await engines.writer.request(request);
    // Readers open after the writer, which has checked the key and finished any encryption of the file.
    const readers = separateReaders(engines);
    const opened = await Promise.allSettled(readers.map((reader) => reader.request(request)));
    const failed = opened.find((result) => result.status === 'rejected');
    if (failed) {
      await Promise.all(readers.map((reader) => reader.request({ op: 'close-file', file: path }).catch(ignore)));
      await engines.writer.request({ op: 'close-file', file: path }).catch(ignore);
      throw failed.reason;
    }
  })();
  opening.set(file, open);
  try {
    await open;
  } catch (error) {
    registry.delete(path);
    throw error;
  } finally {
    opening.delete(file);
  }
  return file;
}

/** Closes the file when its last holder lets go: readers first, so the writer can delete a file left empty. */
export async function releaseFile(file: DatabaseFile): Promise<void> {
  file.holders--;
  if (file.holders > 0) return;
  const registry = registries.get(file.engines);
  if (registry?.get(file.path) === file) registry.delete(file.path);
  file.completeChanges();
  const { writer } = file.engines;
  // A thread that has stopped closed its connections with it.
  const readers = separateReaders(file.engines).filter((reader) => !reader.failure);
  await Promise.all(readers.map((reader) => reader.request({ op: 'close-file', file: file.path }).catch(ignore)));
  if (!writer.failure) await writer.request({ op: 'close-file', file: file.path });
}
