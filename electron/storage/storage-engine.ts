/**
 * The storage engine: answers the protocol's requests over the SQLite files it
 * has open. It runs on the storage's threads: as the writer (the one connection
 * that writes, and in-thread mode also reads) or as a reader (its own read-only
 * connection, so reads never wait behind a long write).
 */
import { mkdirSync } from 'node:fs';
import type { RxJsonSchema } from 'rxdb';
import { dirname } from 'node:path';
import { Cipher } from './cipher';
import { CollectionStore } from './collection-store';
import type { PreparedWrite } from './collection-store';
import { CollectionTable } from './collection-table';
import type { SqliteConnection, SqliteDriver } from './driver';
import type { ReplyOf, Request, TableWrite, Unreadable } from './protocol';
import { UnsafeIndexError } from './errors';
import { backupInto, checkFile, describeFile, sealFile, unsealFile } from './file-tools';
import { openReadConnection, SqliteFile } from './sqlite-file';

export type EngineRole = 'writer' | 'reader';

type OpenFile = {
  connection: SqliteConnection;
  /** The writer's file (write queue, durability, checkpoints); absent on a reader. */
  writable: SqliteFile | undefined;
  cipher: Cipher | undefined;
  stores: Map<string, CollectionStore>;
};

export class StorageEngine {
  private readonly files = new Map<string, OpenFile>();
  /** Unreadable documents met since the last reply; each reply takes them along. */
  private unreadable: Unreadable = [];

  constructor(
    readonly role: EngineRole,
    private readonly driver: SqliteDriver,
  ) {}

  takeUnreadable(): Unreadable | undefined {
    if (this.unreadable.length === 0) return undefined;
    const taken = this.unreadable;
    this.unreadable = [];
    return taken;
  }

  private fileOf(path: string): OpenFile {
    const file = this.files.get(path);
    if (!file) throw new Error(`sqlite storage: ${path} is not open`);
    return file;
  }

  private storeOf(path: string, table: string): CollectionStore {
    const store = this.fileOf(path).stores.get(table);
    if (!store) throw new Error(`sqlite storage: table ${table} is not open`);
    return store;
  }

  private writable(path: string): SqliteFile {
    const file = this.fileOf(path).writable;
    if (!file) throw new Error('sqlite storage: a read thread was asked to write');
    return file;
  }

  async handle<R extends Request>(request: R): Promise<ReplyOf<R['op']>> {
    return (await this.run(request)) as ReplyOf<R['op']>;
  }

  private async run(request: Request): Promise<unknown> {
    switch (request.op) {
      case 'open-file':
        return this.openFile(request.file, request.busyTimeoutMs, request.key);
      case 'close-file': {
        const file = this.files.get(request.file);
        if (!file) return null;
        this.files.delete(request.file);
        if (file.writable) await file.writable.close();
        else file.connection.close();
        return null;
      }
      case 'open-collection':
        return { table: this.openCollection(request.file, request.collectionName, request.schema, request.refuseNew) };
      case 'forget-collection':
        this.fileOf(request.file).stores.delete(request.table);
        return null;
      case 'remove-collection': {
        const file = this.writable(request.file);
        const store = this.storeOf(request.file, request.table);
        file.connection.transaction(() => {
          store.table.drop();
          file.unregisterTable(store.table.name);
        });
        this.fileOf(request.file).stores.delete(request.table);
        return null;
      }
      case 'write':
        return this.write(request.file, request.writes, request.context, request.atomic);
      case 'cleanup': {
        const file = this.writable(request.file);
        const store = this.storeOf(request.file, request.table);
        const { result, commit } = await file.write(() => {
          const result = file.connection.transaction(() => store.purgeTombstones(request.minimumDeletedTime));
          return { result, commit: result.purged > 0 ? file.committed() : 0 };
        });
        await file.durable(commit);
        return result;
      }
      case 'find-by-ids':
        return this.storeOf(request.file, request.table).findDocumentsById(request.ids, request.withDeleted);
      case 'query':
        return this.storeOf(request.file, request.table).query(request.query);
      case 'count':
        return this.storeOf(request.file, request.table).count(request.query);
      case 'changes-since':
        return this.storeOf(request.file, request.table).changesSince(request.limit, request.checkpoint);
      case 'attachment':
        return this.storeOf(request.file, request.table).attachment(request.documentId, request.attachmentId, request.digest);
      case 'backup': {
        const file = this.writable(request.file);
        // After the writes queued before it, so the copy holds everything acknowledged until now.
        return file.write(() => backupInto(file.connection, file.cipher, this.driver, request.target, request.count));
      }
      case 'describe-file':
        return describeFile(this.driver, request.file, request.key ? new Cipher(request.key) : undefined, request.count);
      case 'check-file':
        return { problem: this.files.has(request.file) ? null : (checkFile(this.driver, request.file) ?? null) };
      case 'seal-file':
        sealFile(request.file, request.target, request.key);
        return null;
      case 'unseal-file':
        unsealFile(request.file, request.target, request.key);
        return null;
    }
  }

  private openFile(path: string, busyTimeoutMs: number, key: Uint8Array | undefined): null {
    if (this.files.has(path)) throw new Error(`sqlite storage: ${path} is already open on this thread`);
    const cipher = key ? new Cipher(key) : undefined;
    const options = { driver: this.driver, busyTimeoutMs, cipher };
    if (this.role === 'writer') {
      // Folders the storage makes are private to the user; an existing folder keeps its mode.
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const writable = SqliteFile.open(path, options);
      this.files.set(path, { connection: writable.connection, writable, cipher, stores: new Map() });
    } else {
      this.files.set(path, { connection: openReadConnection(path, options), writable: undefined, cipher, stores: new Map() });
    }
    return null;
  }

  private openCollection(path: string, collectionName: string, schema: RxJsonSchema<any>, refuseNew: string | undefined): string {
    const file = this.fileOf(path);
    const table = new CollectionTable<any>(file.connection, collectionName, schema);
    if (refuseNew !== undefined && file.writable && !file.writable.hasTable(table.name)) throw new UnsafeIndexError(refuseNew);
    if (file.writable) {
      const writable = file.writable;
      writable.connection.transaction(() => {
        table.create();
        writable.registerTable(table.name, collectionName, schema.version, table.indexes);
      });
    }
    const report = (id: string): void => void this.unreadable.push({ file: path, collectionName, id });
    file.stores.set(table.name, new CollectionStore(collectionName, schema, table, file.connection, file.cipher, report));
    return table.name;
  }

  /**
   * One transaction over any number of the file's tables, one fsync. `atomic`:
   * if RxDB's rules refuse any row (a conflict), nothing at all is written.
   */
  private async write(path: string, writes: TableWrite[], context: string, atomic: boolean): Promise<ReplyOf<'write'>> {
    const file = this.writable(path);
    const stores = writes.map((write) => this.storeOf(path, write.table));
    const { reply, commit } = await file.write(() => {
      const prepared: PreparedWrite[] = [];
      const written = file.connection.transaction(() => {
        writes.forEach((write, i) => prepared.push((stores[i] as CollectionStore).prepareWrite(write.rows, context)));
        if (atomic && prepared.some((p) => p.categorized.errors.length > 0)) return false;
        for (const p of prepared) p.store.applyWrite(p);
        return true;
      });
      const changed = written && prepared.some((p) => p.categorized.bulkInsertDocs.length + p.categorized.bulkUpdateDocs.length > 0);
      return { reply: { written, results: prepared.map((p) => p.result) }, commit: changed ? file.committed() : 0 };
    });
    await file.durable(commit);
    return reply;
  }
}
