// Backups of the local database in `<data folder>/backups`: consistent copies made by SQLite itself (VACUUM INTO on
// a storage thread), so each holds the same sealed rows and key check as the database and opens only with this
// device's key. The newest N are kept. Each records what it holds, so the list can say so without opening every
// document. Backups written before encryption existed are sealed whole with the key at the first start that has one.
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { BackupEntry } from '../../shared/desktop';
import { join } from 'node:path';
import { MissingKeyError, WrongKeyError, type CountSpec, type RxStorageSqliteNode } from '../storage';
import { privateFolder, removeFile } from '../private-files';
import { DATABASE_NAME } from './database';
import { stamp, stampTime } from './file-times';
import { sealAside, SEALED } from './integrity';

export const BACKUPS_FOLDER = 'backups';
/** What a backup's summary counts: the live learners and profiles. */
export const BACKUP_COUNTS: CountSpec = { learners: { is_deleted: false }, learner_profiles: { is_deleted: false } };
const NAME = new RegExp(`^${DATABASE_NAME}-(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z)\\.sqlite(${SEALED.replace('.', '\\.')})?$`);

export const backupsFolder = (dataDir: string) => join(dataDir, BACKUPS_FOLDER);
export const isBackupName = (name: string) => NAME.test(name);

/** Writes a backup of the open database and keeps the newest `keep`. */
export async function makeBackup(storage: RxStorageSqliteNode, dataDir: string, keep: number, now = new Date()): Promise<BackupEntry> {
  const folder = privateFolder(backupsFolder(dataDir));
  // Two backups within a millisecond get distinct names.
  let when = now;
  while (existsSync(join(folder, `${DATABASE_NAME}-${stamp(when)}.sqlite`))) when = new Date(when.getTime() + 1);
  const name = `${DATABASE_NAME}-${stamp(when)}.sqlite`;
  const path = join(folder, name);
  const summary = await storage.backupDatabase(DATABASE_NAME, path, BACKUP_COUNTS);
  pruneBackups(dataDir, keep);
  return {
    name,
    createdAt: when.toISOString(),
    bytes: statSync(path).size,
    status: 'ok',
    learners: summary.counts.learners ?? 0,
    profiles: summary.counts.learner_profiles ?? 0,
  };
}

function backupNames(dataDir: string): string[] {
  const folder = backupsFolder(dataDir);
  return existsSync(folder) ? readdirSync(folder).filter(isBackupName) : [];
}

/** Every backup, newest first, with what it holds. */
export async function listBackups(storage: RxStorageSqliteNode, dataDir: string): Promise<BackupEntry[]> {
  const entries = await Promise.all(
    backupNames(dataDir).map(async (name): Promise<BackupEntry> => {
      const path = join(backupsFolder(dataDir), name);
      const base = { name, createdAt: stampTime(name)!, bytes: statSync(path).size, learners: null, profiles: null };
      if (name.endsWith(SEALED)) return { ...base, status: 'sealed' };
      try {
        const summary = await storage.describeFile(path, BACKUP_COUNTS);
        if (!summary.encrypted) return { ...base, status: 'damaged' };
        return { ...base, status: 'ok', learners: summary.counts.learners ?? 0, profiles: summary.counts.learner_profiles ?? 0 };
      } catch (error) {
        if (error instanceof WrongKeyError || error instanceof MissingKeyError) return { ...base, status: 'other-key' };
        return { ...base, status: 'damaged' };
      }
    }),
  );
  return entries.sort((a, b) => (a.name < b.name ? 1 : -1));
}

/** Keeps the newest `keep` backups, removing older ones. */
export function pruneBackups(dataDir: string, keep: number): string[] {
  const names = backupNames(dataDir).sort().reverse();
  const removed = names.slice(keep);
  for (const name of removed) removeFile(join(backupsFolder(dataDir), name));
  return removed;
}

/**
 * Backups written before encryption (plain SQLite, names and emails readable): sealed whole with the key, the
 * originals removed. A backup that another key encrypted is left as it is: it holds nothing readable.
 */
export async function sealOldBackups(storage: RxStorageSqliteNode, dataDir: string): Promise<string[]> {
  const sealed: string[] = [];
  for (const name of backupNames(dataDir).filter((n) => !n.endsWith(SEALED))) {
    const path = join(backupsFolder(dataDir), name);
    const encrypted = await storage.describeFile(path, {}).then(
      (summary) => summary.encrypted,
      (error: unknown) => error instanceof WrongKeyError,
    );
    if (encrypted) continue;
    await sealAside(storage, path, path + SEALED);
    sealed.push(name);
  }
  return sealed;
}
