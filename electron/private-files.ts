// Files and folders that only this user may read (0600 and 0700), and small files written whole or not at all: a
// crash leaves either the old content or the new, never a mix (write to a temporary name, fsync, rename, fsync the
// folder).
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PRIVATE_FILE = 0o600;
export const PRIVATE_FOLDER = 0o700;

/** Makes the folder (and its missing parents) 0700, and an existing folder 0700 too. */
export function privateFolder(path: string): string {
  mkdirSync(path, { recursive: true, mode: PRIVATE_FOLDER });
  chmodSync(path, PRIVATE_FOLDER);
  return path;
}

/** Makes a data folder private from top to bottom: an older version created it with the process's default modes. */
export function makePrivate(folder: string): void {
  if (!existsSync(folder)) return;
  chmodSync(folder, PRIVATE_FOLDER);
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) makePrivate(path);
    else if (entry.isFile() && (statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE);
  }
}

function fsyncFolder(folder: string): void {
  // Windows cannot open a folder for fsync; there the rename is as durable as NTFS makes it.
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `path` whole (0600): readers and a crash see the old content or the new one. */
export function writePrivateFile(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', PRIVATE_FILE);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  fsyncFolder(dirname(path));
}

/** Removes a file and makes the removal durable. */
export function removeFile(path: string): void {
  if (!existsSync(path)) return;
  rmSync(path, { force: true });
  fsyncFolder(dirname(path));
}

/** Renames within one folder, durably. */
export function renameDurably(from: string, to: string): void {
  renameSync(from, to);
  fsyncFolder(dirname(to));
}
