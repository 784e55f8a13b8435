/**
 * The messages between the main thread's RxStorage and the storage engine on
 * its threads. Documents cross as JSON text, which is cheaper for the main
 * thread to make and read than a structured clone of the objects, and is what
 * the engine stores anyway.
 */
import type { PreparedQuery, RxJsonSchema, RxStorageDefaultCheckpoint } from 'rxdb';
import type { CountSpec, FileSummary } from './file-tools';

/** One row of a bulkWrite as it crosses: the document's JSON and what the engine needs of `previous`. */
export type WireRow = {
  document: string;
  previousRev: string | null;
  /** Only for collections with attachments: the previous document's attachment metadata. */
  previousAttachments?: Record<string, { digest: string; length: number; type: string }>;
  /** Only for collections with attachments: the bytes of attachments whose data is written. */
  attachmentData?: Record<string, Uint8Array>;
};

export type TableWrite = { table: string; rows: WireRow[] };

/**
 * What the engine found, per table write: which rows had a document in the
 * database, and the stored document of every row it refused. From this the main
 * thread runs RxDB's own categorizeBulkWriteRows again and gets exactly the
 * engine's errors and the change events, without the documents crossing back.
 */
export type TableWriteResult = { inDb: number[]; refused: [row: number, documentInDb: string | null][] };

export type Request =
  | { op: 'open-file'; file: string; busyTimeoutMs: number; key: Uint8Array | undefined }
  | { op: 'close-file'; file: string }
  /** `refuseNew`: the schema may open its table only if it exists already; else UnsafeIndexError with this message. */
  | { op: 'open-collection'; file: string; collectionName: string; schema: RxJsonSchema<any>; refuseNew?: string }
  | { op: 'forget-collection'; file: string; table: string }
  | { op: 'remove-collection'; file: string; table: string }
  | { op: 'write'; file: string; writes: TableWrite[]; context: string; atomic: boolean }
  | { op: 'find-by-ids'; file: string; table: string; ids: string[]; withDeleted: boolean }
  | { op: 'query'; file: string; table: string; query: PreparedQuery<any> }
  | { op: 'count'; file: string; table: string; query: PreparedQuery<any> }
  | { op: 'changes-since'; file: string; table: string; limit: number; checkpoint: RxStorageDefaultCheckpoint | undefined }
  | { op: 'cleanup'; file: string; table: string; minimumDeletedTime: number }
  | { op: 'attachment'; file: string; table: string; documentId: string; attachmentId: string; digest: string }
  // Whole files (file-tools.ts): a backup of an open file, and files that are not open.
  | { op: 'backup'; file: string; target: string; count: CountSpec }
  | { op: 'describe-file'; file: string; key: Uint8Array | undefined; count: CountSpec }
  | { op: 'check-file'; file: string }
  | { op: 'seal-file'; file: string; target: string; key: Uint8Array }
  | { op: 'unseal-file'; file: string; target: string; key: Uint8Array };

export type Replies = {
  'open-file': null;
  'close-file': null;
  'open-collection': { table: string };
  'forget-collection': null;
  'remove-collection': null;
  write: { written: boolean; results: TableWriteResult[] };
  /** A JSON array of the documents found: text, or UTF-8 bytes (moved, not copied, across threads). */
  'find-by-ids': JsonArray;
  query: JsonArray;
  count: { count: number; mode: 'fast' | 'slow' };
  'changes-since': JsonArray;
  cleanup: { purged: number; done: boolean };
  attachment: { type: string; data: Uint8Array } | null;
  backup: FileSummary;
  'describe-file': FileSummary;
  'check-file': { problem: string | null };
  'seal-file': null;
  'unseal-file': null;
};

export type JsonArray = string | Uint8Array;

const decoder = new TextDecoder();
export function parseJsonArray<T>(json: JsonArray): T[] {
  return JSON.parse(typeof json === 'string' ? json : decoder.decode(json)) as T[];
}

/** Byte arrays in a reply that own their whole memory can be moved to the other thread instead of copied. */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  return value instanceof Uint8Array && value.buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.buffer.byteLength === value.byteLength
    ? [value.buffer]
    : [];
}

export type Op = Request['op'];
export type ReplyOf<O extends Op> = Replies[O];

/** Stored documents that failed to decrypt (tampered or truncated), left out of the answer. */
export type Unreadable = { file: string; collectionName: string; id: string }[];

export type WireError = { name: string; message: string };

export type Envelope = { id: number; request: Request };
export type ReplyEnvelope =
  | { id: number; ok: true; value: unknown; unreadable?: Unreadable }
  | { id: number; ok: false; error: WireError; unreadable?: Unreadable };

/** The operations the read thread answers; everything else goes to the writer. */
export const READ_OPS: ReadonlySet<Op> = new Set(['find-by-ids', 'query', 'count', 'changes-since', 'attachment']);
