// Opens the desktop's database in a data folder: checks the file, moves a corrupt one aside, opens RxDB on the
// SQLite storage (encrypted when given a key), and finishes any multi-document write an older version left unfinished.
import type { EditClock } from '../../shared/edits';
import { getRxStorageSqliteNode, type SqliteStorageSettings } from '../storage';
import type { Log } from '../log';
import { createAppDatabase, DATABASE_NAME, type AppDatabase, type DatabaseOptions } from './database';
import { checkDatabaseFile } from './integrity';
import { INDEXABLE_FIELDS } from './schemas';
import { createRxRepository, type LocalRepository, type OutboxEntriesOf } from './repository';

export interface LocalDatabase {
  db: AppDatabase;
  repo: LocalRepository;
  file: string;
  /** Where a corrupt database file was moved, when that happened at this start. */
  movedAside: string | null;
}

export async function openLocalDatabase(
  dataDir: string,
  log: Log,
  options: DatabaseOptions & {
    outboxEntriesOf?: OutboxEntriesOf;
    /** Dates every edit of a learner or profile made through the repository. */
    editor?: EditClock;
    /** Storage settings beyond the folder: the encryptionKey, and what to do with a document that cannot be read. */
    storage?: Pick<SqliteStorageSettings, 'encryptionKey' | 'onUnreadableDocument'>;
  } = {},
): Promise<LocalDatabase> {
  const storage = getRxStorageSqliteNode({ ...options.storage, indexableFields: INDEXABLE_FIELDS, directory: dataDir });
  const file = storage.databaseFile(DATABASE_NAME);
  const integrity = checkDatabaseFile(file);
  if (!integrity.ok) log.error('the database file was unreadable and was moved aside', { problem: integrity.problem, movedTo: integrity.movedTo });
  const db = await createAppDatabase(storage, DATABASE_NAME, options);
  const repo = createRxRepository(db, options.outboxEntriesOf, options.editor);
  if (await repo.recover()) log.warn('finished a write that was interrupted when the app last stopped');
  // Lookups by email and name answer from memory: loaded before the first call can need them.
  await repo.learners.ready();
  return { db, repo, file, movedAside: integrity.ok ? null : integrity.movedTo };
}
