// Putting a backup in place of the database, safely at every moment. The backup is first copied beside the database
// and checked (SQLite's check, and the key check: a backup from another device's key is refused here, before
// anything changes); a journal then records the plan. The swap keeps the database file whole at its path throughout:
// the current file gets a second name (a hard link) that keeps it until the swap is done, and one rename puts the
// checked copy in its place. A process killed at any point leaves either the old database or the restored one, and
// the next start finishes what the journal describes. The restored database syncs under a new replica identity.
import { chmod, copyFile, open } from 'node:fs/promises';
import { existsSync, linkSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { WrongKeyError, type FileSummary, type RxStorageSqliteNode } from '../storage';
import { removeFile, renameDurably, writePrivateFile, PRIVATE_FILE } from '../private-files';
import { renewReplicaIdentity } from '../sync/replica';
import { BACKUP_COUNTS, backupsFolder, isBackupName } from './backups';
import { SEALED } from './integrity';

export const RESTORE_JOURNAL = 'restore-journal.json';
const RESTORE_COPY = 'restore-copy.sqlite';
const REPLACED = '.replaced';

const journal = z.strictObject({ version: z.literal(1), backup: z.string(), copy: z.string() });

/** A backup that cannot be restored, with the reason in plain words; nothing was changed. */
export class RestoreRefusedError extends Error {
  override readonly name = 'RestoreRefusedError';
}

/**
 * Copies a backup beside the database and checks the copy. The database is not touched; what the copy holds is
 * returned (unknown for a backup sealed whole before encryption: it is migrated when it opens). Nothing happens to the
 * database until recordRestore().
 */
export async function prepareRestore(storage: RxStorageSqliteNode, dataDir: string, backup: string): Promise<FileSummary | null> {
  if (!isBackupName(backup)) throw new RestoreRefusedError('There is no such backup.');
  const source = join(backupsFolder(dataDir), backup);
  if (!existsSync(source)) throw new RestoreRefusedError('There is no such backup.');
  const copy = join(dataDir, RESTORE_COPY);
  rmSync(copy, { force: true });
  try {
    let summary: FileSummary | null = null;
    if (backup.endsWith(SEALED)) {
      await storage.unsealFile(source, copy).catch((error: unknown) => {
        throw error instanceof WrongKeyError
          ? new RestoreRefusedError('This backup was sealed with another device’s key, or is damaged: it cannot be restored here. Nothing was changed.')
          : error;
      });
    } else {
      await copyFile(source, copy);
      await chmod(copy, PRIVATE_FILE);
      const handle = await open(copy, 'r+');
      await handle.sync();
      await handle.close();
    }
    const problem = await storage.checkFile(copy);
    if (problem) throw new RestoreRefusedError('This backup is damaged and cannot be restored. Nothing was changed.');
    if (!backup.endsWith(SEALED)) {
      summary = await storage.describeFile(copy, BACKUP_COUNTS).catch((error: unknown) => {
        throw error instanceof WrongKeyError
          ? new RestoreRefusedError('This backup was made with another device’s key: it cannot be restored here. Nothing was changed.')
          : error;
      });
      if (!summary.encrypted) throw new RestoreRefusedError('This backup is not one this app wrote with its key. Nothing was changed.');
    }
    return summary;
  } catch (error) {
    rmSync(copy, { force: true });
    throw error;
  }
}

/** Decides the restore prepared: from now on the next open of the database puts the copy in its place. */
export function recordRestore(dataDir: string, backup: string): void {
  if (!existsSync(join(dataDir, RESTORE_COPY))) throw new Error('no restore was prepared');
  writePrivateFile(join(dataDir, RESTORE_JOURNAL), JSON.stringify({ version: 1, backup, copy: RESTORE_COPY }) + '\n');
}

/** Forgets a prepared restore that will not be carried out (the database is still the old one). */
export function abandonRestore(dataDir: string): void {
  removeFile(join(dataDir, RESTORE_JOURNAL));
  rmSync(join(dataDir, RESTORE_COPY), { force: true });
}

/** One step of the swap; each is a single durable file system operation, so a kill falls between two of them. */
export type SwapStep = { name: string; run: () => void };

/**
 * The steps that put the prepared copy in place of the (closed) database file, given the journal. Run from the
 * start after an interruption, they finish the job: every step is idempotent.
 */
export function swapSteps(dataDir: string, databaseFile: string): SwapStep[] {
  const copy = join(dataDir, RESTORE_COPY);
  const replaced = databaseFile + REPLACED;
  const copyReady = () => existsSync(copy);
  return [
    {
      // A WAL beside the database belongs to the database being replaced, never to the copy.
      name: 'drop the old database’s WAL',
      run: () => copyReady() && ['-wal', '-shm'].forEach((suffix) => removeFile(databaseFile + suffix)),
    },
    {
      name: 'keep the old database under a second name',
      run: () => {
        if (!copyReady() || !existsSync(databaseFile)) return;
        rmSync(replaced, { force: true });
        linkSync(databaseFile, replaced);
      },
    },
    { name: 'put the copy in its place', run: () => copyReady() && renameDurably(copy, databaseFile) },
    { name: 'renew the replica identity', run: () => renewReplicaIdentity(dataDir) },
    { name: 'remove the old database', run: () => removeFile(replaced) },
    { name: 'remove the journal', run: () => removeFile(join(dataDir, RESTORE_JOURNAL)) },
  ];
}

/**
 * Finishes a restore the journal describes (just prepared, or interrupted by a stop): the database must be closed.
 * Returns the backup's name, or undefined when there was none to finish.
 */
export function completeRestore(dataDir: string, databaseFile: string): string | undefined {
  const path = join(dataDir, RESTORE_JOURNAL);
  if (!existsSync(path)) {
    // A copy made for a restore that stopped before its journal was written: never in use, the old database stays.
    rmSync(join(dataDir, RESTORE_COPY), { force: true });
    return undefined;
  }
  const parsed = journal.safeParse((() => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return undefined;
    }
  })());
  // A journal this app did not write (it writes them whole) describes nothing: the old database stays.
  if (!parsed.success || parsed.data.copy !== RESTORE_COPY) {
    abandonRestore(dataDir);
    return undefined;
  }
  for (const step of swapSteps(dataDir, databaseFile)) step.run();
  return basename(parsed.data.backup);
}
