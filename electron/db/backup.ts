// A consistent copy of the live database through SQLite itself (VACUUM INTO), never a file copy, checked after.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export function backupDatabase(file: string, directory: string, now = new Date()): string {
  mkdirSync(directory, { recursive: true });
  const target = join(directory, `learner-profiles-${now.toISOString().replace(/[:.]/g, '-')}.sqlite`);
  const source = new DatabaseSync(file);
  try {
    source.prepare('VACUUM INTO ?').run(target);
  } finally {
    source.close();
  }
  const copy = new DatabaseSync(target, { readOnly: true });
  try {
    const [row] = copy.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    if (row?.integrity_check !== 'ok') throw new Error(`the backup failed its integrity check: ${row?.integrity_check}`);
  } finally {
    copy.close();
  }
  return target;
}
