// Which history of the database a sync checkpoint belongs to (../spec/sync.md "When sync runs"): the epoch, renewed
// when a database is restored from a backup, and the generation, counting server starts. A checkpoint from another
// epoch, from a later generation than the database's own (it was restored from a copy taken before), or past the
// last position the database reached, describes a history this server does not have: its client pulls from the start.
import { randomBytes } from 'node:crypto';
import type { Sql } from '../db/database';

export interface History {
  epoch: string;
  generation: number;
}

export async function currentHistory(sql: Sql): Promise<History> {
  const [row] = await sql.query<History>('SELECT epoch, generation FROM server_state');
  if (!row) throw new Error('the database has no server_state row: it was not migrated');
  return row;
}

/** A server process starts: the generation counts up. */
export async function countStart(sql: Sql): Promise<History> {
  const [row] = await sql.query<History>('UPDATE server_state SET generation = generation + 1 RETURNING epoch, generation');
  return row!;
}

/** After a restore from a backup: every device pulls from the start and sends what this database lacks. */
export async function renewEpoch(sql: Sql): Promise<string> {
  const epoch = randomBytes(16).toString('hex');
  await sql.query('UPDATE server_state SET epoch = $1', [epoch]);
  return epoch;
}
