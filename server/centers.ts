// Centers and the audit log, as the command line manages and reads them.
import { randomId, profileUuidFor } from '../shared/ids';
import type { Database, Sql } from './db/database';
import { CHANGED_CHANNEL, TokenError } from './tokens';

export const CENTER_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._'&()-]{0,79}$/u;
export const CENTER_NAME_RULE = 'a center name is 1 to 80 letters, digits, spaces or . _ \' & ( ) -, starting with a letter or digit';

/** Adds a center; every server reloads what administrators may see (their scope is every center). */
export async function createCenter(db: Database, name: string): Promise<string> {
  if (!CENTER_NAME.test(name)) throw new TokenError(CENTER_NAME_RULE);
  const id = randomId();
  const created = await db.transaction(async (sql) => {
    const rows = await sql.query('INSERT INTO centers (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id', [id, name]);
    if (rows.length > 0) await sql.query('SELECT pg_notify($1, $2)', [CHANGED_CHANNEL, `center:${id}`]);
    return rows.length > 0;
  });
  if (!created) throw new TokenError(`a center named ${name} exists already`);
  return id;
}

export interface CenterInfo {
  id: string;
  name: string;
  learners: number;
}

export async function listCenters(sql: Sql): Promise<CenterInfo[]> {
  return sql.query<CenterInfo>(
    `SELECT c.id, c.name, (SELECT count(*)::int FROM learners l WHERE l.center_id = c.id AND NOT l.is_deleted) AS learners
     FROM centers c ORDER BY c.name`,
  );
}

export interface AuditEntry {
  time: string;
  token: string;
  operation: string;
  collection: string;
  record_id: string;
}

/** The audit log, oldest first: of one learner (their record and their profile), or its latest `limit` entries. */
export async function readAudit(sql: Sql, learnerId?: string, limit = 1000): Promise<AuditEntry[]> {
  const columns = `to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time, token, operation, collection, record_id`;
  if (learnerId !== undefined) {
    return sql.query<AuditEntry>(`SELECT ${columns} FROM audit_log WHERE record_id = ANY($1::text[]) ORDER BY id`, [
      [learnerId, profileUuidFor(learnerId)],
    ]);
  }
  return sql.query<AuditEntry>(`SELECT * FROM (SELECT id, ${columns} FROM audit_log ORDER BY id DESC LIMIT $1) latest ORDER BY id`, [limit]);
}
