// This database's replica identity, part of every replication's identifier. A database file restored from a backup
// (or copied from another device) carries an old identity that no longer matches the data folder's, so it gets a
// new one: its replications then start over from scratch instead of trusting checkpoints that describe another past.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomId } from '../../shared/ids';
import type { AppDatabase } from '../db/database';
import { writePrivateFile } from '../private-files';

const REPLICA = 'replica';
const FILE = 'replica-id';

/** After a restore: the folder's identity changes, so the restored database no longer matches it and gets a new one. */
export function renewReplicaIdentity(dataDir: string): void {
  writePrivateFile(join(dataDir, FILE), randomId());
}

export async function replicaIdentity(db: AppDatabase, dataDir: string): Promise<{ id: string; renewed: boolean }> {
  const file = join(dataDir, FILE);
  const inFolder = existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  const inDatabase = (await db.getLocal<{ id: string }>(REPLICA))?.toJSON().data.id;
  if (inDatabase && inDatabase === inFolder) return { id: inDatabase, renewed: false };
  const id = randomId();
  await db.upsertLocal(REPLICA, { id });
  writePrivateFile(file, id);
  return { id, renewed: inDatabase !== undefined };
}
