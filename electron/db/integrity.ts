// Checks the database file before RxDB opens it (SQLite's quick check, on a storage thread). A file SQLite cannot
// read is set aside, never deleted, so the app starts on a fresh database and the old file stays for recovery: sealed
// whole with the data key (a damaged file may be a plaintext one from before encryption, and none may be readable on
// disk), the unsealed original removed.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RxStorageSqliteNode } from '../storage';
import { removeFile } from '../private-files';
import { stamp } from './file-times';

export type IntegrityResult = { ok: true } | { ok: false; problem: string; movedTo: string };

export const SEALED = '.sealed';
const CORRUPT = '.corrupt-';

/** Seals a file aside as `target` and removes it; a file that is not there is nothing to do. */
export async function sealAside(storage: RxStorageSqliteNode, file: string, target: string): Promise<void> {
  if (!existsSync(file)) return;
  await storage.sealFile(file, target);
  removeFile(file);
}

export async function checkDatabaseFile(storage: RxStorageSqliteNode, file: string, now = new Date()): Promise<IntegrityResult> {
  const problem = existsSync(file) ? await storage.checkFile(file) : undefined;
  if (problem === undefined) return { ok: true };
  const aside = `${file}${CORRUPT}${stamp(now)}`;
  // The WAL and its index belong to the damaged file: a new database must not meet them.
  for (const suffix of ['-wal', '-shm']) await sealAside(storage, file + suffix, `${aside}${suffix}${SEALED}`);
  await sealAside(storage, file, aside + SEALED);
  return { ok: false, problem, movedTo: aside + SEALED };
}

/** Files set aside before they were sealed (older versions kept them as they were): sealed now. */
export async function sealOldMovedAside(storage: RxStorageSqliteNode, file: string): Promise<string[]> {
  const folder = dirname(file);
  const prefix = basename(file) + CORRUPT;
  const plain = readdirSync(folder).filter((name) => name.startsWith(prefix) && !name.endsWith(SEALED));
  for (const name of plain) await sealAside(storage, join(folder, name), join(folder, name + SEALED));
  return plain;
}

/** Keeps the newest `keep` files set aside (with their WAL), removing older ones. */
export function pruneMovedAside(file: string, keep: number): string[] {
  const folder = dirname(file);
  const prefix = basename(file) + CORRUPT;
  const names = readdirSync(folder).filter((name) => name.startsWith(prefix));
  const stamps = [...new Set(names.map((name) => name.slice(prefix.length, prefix.length + stamp(new Date(0)).length)))].sort().reverse();
  const dropped = new Set(stamps.slice(keep));
  const removed = names.filter((name) => dropped.has(name.slice(prefix.length, prefix.length + stamp(new Date(0)).length)));
  for (const name of removed) removeFile(join(folder, name));
  return removed;
}
