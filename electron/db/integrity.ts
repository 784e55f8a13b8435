// Checks the database file before RxDB opens it. A file SQLite cannot read is moved aside, never deleted, so the
// app starts on a fresh database and the old file stays for recovery.
import { existsSync, renameSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

export type IntegrityResult = { ok: true } | { ok: false; problem: string; movedTo: string };

function problemWith(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file);
    const rows = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
    const messages = rows.map((row) => row.quick_check);
    return messages.length === 1 && messages[0] === 'ok' ? undefined : messages.slice(0, 5).join('; ');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

export function checkDatabaseFile(file: string, now = new Date()): IntegrityResult {
  const problem = problemWith(file);
  if (problem === undefined) return { ok: true };
  const movedTo = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, movedTo);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
  }
  return { ok: false, problem, movedTo };
}
