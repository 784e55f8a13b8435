// Opens the desktop's database in a data folder, encrypted with the data key: makes the folder private, finishes a
// restore a stop interrupted, checks the file and sets a damaged one aside (sealed), seals what older versions left
// readable (backups, files set aside), opens RxDB on the SQLite storage (which encrypts a plaintext database on this
// first open with a key, and refuses a schema that indexes a personal field), and finishes any multi-document write
// an older run left unfinished.
import type { Scope } from '../../shared/repository';
import type { EditClock } from '../../shared/edits';
import { getRxStorageSqliteNode, type RxStorageSqliteNode, type UnreadableDocument } from '../storage';
import type { Log } from '../log';
import { makePrivate, privateFolder } from '../private-files';
import { sealOldBackups } from './backups';
import { createAppDatabase, DATABASE_NAME, type AppDatabase, type DatabaseOptions } from './database';
import { checkDatabaseFile, sealOldMovedAside } from './integrity';
import { createRxRepository, type LocalRepository, type OutboxEntriesOf } from './repository';
import { completeRestore } from './restore';
import { INDEXABLE_FIELDS } from './schemas';

export interface LocalDatabase {
  db: AppDatabase;
  repo: LocalRepository;
  storage: RxStorageSqliteNode;
  file: string;
  /** Where a damaged database file was set aside (sealed), when that happened at this start. */
  movedAside: string | null;
  /** The backup a restore put in place, when that restore was finished at this start. */
  restoredFrom: string | null;
}

export async function openLocalDatabase(
  dataDir: string,
  log: Log,
  options: DatabaseOptions & {
    /** The data key (32 bytes): every document body, its WAL and its backups are sealed with it. */
    key: Uint8Array;
    outboxEntriesOf?: OutboxEntriesOf;
    /** Dates every edit of a learner or profile made through the repository. */
    editor?: EditClock;
    /** The centers this device serves, where it knows them (see Repository.scope). */
    scope?: () => Scope | undefined;
    /** Told of a stored document that cannot be read (tampered or cut short): it is left out, the rest opens. */
    onUnreadableDocument?: (document: UnreadableDocument) => void;
  },
): Promise<LocalDatabase> {
  privateFolder(dataDir);
  makePrivate(dataDir);
  const storage = getRxStorageSqliteNode({
    directory: dataDir,
    encryptionKey: options.key,
    indexableFields: INDEXABLE_FIELDS,
    onUnreadableDocument: options.onUnreadableDocument,
  });
  const file = storage.databaseFile(DATABASE_NAME);
  const restoredFrom = completeRestore(dataDir, file) ?? null;
  if (restoredFrom) log.warn('finished restoring a backup', { backup: restoredFrom });
  const integrity = await checkDatabaseFile(storage, file);
  if (!integrity.ok) log.error('the database file was unreadable and was set aside, sealed', { problem: integrity.problem, movedTo: integrity.movedTo });
  const db = await createAppDatabase(storage, DATABASE_NAME, options);
  try {
    const sealedBackups = await sealOldBackups(storage, dataDir);
    const sealedAside = await sealOldMovedAside(storage, file);
    if (sealedBackups.length + sealedAside.length > 0) {
      log.warn('sealed files written before encryption', { backups: sealedBackups.length, movedAside: sealedAside.length });
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const repo = createRxRepository(db, options.outboxEntriesOf, options.editor, options.scope);
  if (await repo.recover()) log.warn('finished a write that was interrupted when the app last stopped');
  // Lookups by email and name answer from memory: loaded before the first call can need them.
  await repo.learners.ready();
  return { db, repo, storage, file, movedAside: integrity.ok ? null : integrity.movedTo, restoredFrom };
}
