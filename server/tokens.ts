// Bearer tokens for the API (../spec/trust.md "Centers and tokens"): random, shown once at creation, stored only as
// SHA-256 hashes (they carry 256 bits of entropy, so a fast hash is enough: there is nothing to brute-force). A
// device token sees its centers; an administrator token sees every center and may author the catalog and move
// learners. Every server process keeps all live tokens in memory, so a request, and a bad token above all, costs no
// query; any change (a token created or revoked, from any process) reloads them at once.
import { createHash, randomBytes } from 'node:crypto';
import type { Scope } from '../shared/repository';
import type { Database, Sql } from './db/database';

export const TOKEN_NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const TOKEN_NAME_RULE = 'a token name is 1 to 64 letters, digits, dots, dashes or underscores';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export class TokenError extends Error {}

/** Who a live token is: its name (in the audit log and on every record it writes) and what it may see. */
export interface Identity extends Scope {
  name: string;
}

/** Told of every change to tokens and centers, from any process: every server reloads what tokens may see. */
export const CHANGED_CHANNEL = 'api_tokens_changed';

export async function createToken(db: Sql, name: string, grant: { centers?: readonly string[]; admin?: boolean } = {}): Promise<string> {
  if (!TOKEN_NAME.test(name)) throw new TokenError(TOKEN_NAME_RULE);
  const token = `lpt_${randomBytes(32).toString('base64url')}`;
  const created = await transactionOf(db, async (sql) => {
    const rows = await sql.query(
      `INSERT INTO api_tokens (name, token_hash, is_admin) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, is_admin = excluded.is_admin, created_time = now(), revoked_time = NULL
       WHERE api_tokens.revoked_time IS NOT NULL
       RETURNING name`,
      [name, hash(token), grant.admin ?? false],
    );
    if (rows.length === 0) return false;
    await sql.query('DELETE FROM token_centers WHERE token_name = $1', [name]);
    const centers = grant.admin ? [] : await grantedCenters(sql, grant.centers ?? []);
    for (const center of new Set(centers)) {
      await sql.query('INSERT INTO token_centers (token_name, center_id) VALUES ($1, $2)', [name, center]);
    }
    await sql.query('SELECT pg_notify($1, $2)', [CHANGED_CHANNEL, name]);
    return true;
  });
  if (!created) throw new TokenError(`a token named ${name} exists already; revoke it first`);
  return token;
}

/**
 * The centers a device token is given: those named, which must exist; none named is the only center, and where
 * there are several the caller must choose (the error lists them).
 */
async function grantedCenters(sql: Sql, named: readonly string[]): Promise<string[]> {
  const all = await sql.query<{ id: string; name: string }>('SELECT id, name FROM centers ORDER BY name');
  const choices = () => all.map((c) => `  ${c.id}  ${c.name}`).join('\n');
  if (named.length === 0) {
    if (all.length === 1) return [all[0]!.id];
    throw new TokenError(`there are ${all.length} centers: name the token's centers with --center ID (one or more), or make it --admin:\n${choices()}`);
  }
  const unknown = named.filter((id) => !all.some((c) => c.id === id));
  if (unknown.length > 0) throw new TokenError(`no center with id ${unknown.join(', ')}; the centers are:\n${choices()}`);
  return [...named];
}

export interface TokenInfo {
  name: string;
  created_time: string;
  revoked_time: string | null;
  is_admin: boolean;
  centers: string[];
}

export async function listTokens(sql: Sql): Promise<TokenInfo[]> {
  return sql.query<TokenInfo>(
    `SELECT t.name, t.created_time::text AS created_time, t.revoked_time::text AS revoked_time, t.is_admin,
            coalesce(array_agg(c.name ORDER BY c.name) FILTER (WHERE c.name IS NOT NULL), '{}') AS centers
     FROM api_tokens t LEFT JOIN token_centers tc ON tc.token_name = t.name LEFT JOIN centers c ON c.id = tc.center_id
     GROUP BY t.name ORDER BY t.name`,
  );
}

/** Revokes, and tells every server process on this database, which forget the token at once. */
export async function revokeToken(db: Sql, name: string): Promise<boolean> {
  return transactionOf(db, async (sql) => {
    const rows = await sql.query(`UPDATE api_tokens SET revoked_time = now() WHERE name = $1 AND revoked_time IS NULL RETURNING name`, [name]);
    await sql.query('SELECT pg_notify($1, $2)', [CHANGED_CHANNEL, name]);
    return rows.length > 0;
  });
}

/** A database's transaction where there is one; the plain connection inside one already. */
const transactionOf = <T>(db: Sql, work: (sql: Sql) => Promise<T>): Promise<T> =>
  'transaction' in db ? (db as Database).transaction(work) : work(db);

async function loadAll(sql: Sql): Promise<Map<string, Identity>> {
  const rows = await sql.query<{ token_hash: string; name: string; is_admin: boolean; centers: string[] }>(
    `SELECT t.token_hash, t.name, t.is_admin, coalesce(array_agg(tc.center_id) FILTER (WHERE tc.center_id IS NOT NULL), '{}') AS centers
     FROM api_tokens t LEFT JOIN token_centers tc ON tc.token_name = t.name
     WHERE t.revoked_time IS NULL GROUP BY t.name`,
  );
  // An administrator's scope is every center (a new learner of theirs still needs a center, where there are several).
  const everyCenter = (await sql.query<{ id: string }>('SELECT id FROM centers ORDER BY id')).map((row) => row.id);
  return new Map(rows.map((row) => [row.token_hash, { name: row.name, admin: row.is_admin, centers: row.is_admin ? everyCenter : row.centers }]));
}

export interface TokenVerifier {
  /** Who this token is, if it is live: from memory, never a query. */
  verify(token: string): Identity | undefined;
  /** Hears every reload (a token created or revoked anywhere): open streams check themselves then. */
  onChange(listener: () => void): () => void;
  /** Reads the tokens again now (the change was made in this process, which need not wait for its NOTIFY). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps every live token in memory. A NOTIFY from any process reloads them (PostgreSQL delivers it on commit); so
 * does a lost listening connection once back, and, as a last resort, a periodic reload.
 */
export async function createTokenVerifier(db: Database, reloadEveryMs = 30_000): Promise<TokenVerifier> {
  let tokens = await loadAll(db);
  const listeners = new Set<() => void>();
  let reloading: Promise<void> | undefined;
  let again = false;
  const reload = (): Promise<void> => {
    // A change heard during a load may have been committed after that load read the table: load once more after it.
    if (reloading) {
      again = true;
      return reloading;
    }
    reloading = loadAll(db)
      .then((fresh) => {
        tokens = fresh;
        for (const listener of listeners) listener();
      })
      .catch(() => {})
      .finally(() => {
        reloading = undefined;
        if (again) {
          again = false;
          void reload();
        }
      });
    return reloading;
  };
  const stop = await db.listen(CHANGED_CHANNEL, reload, reload).catch(() => async () => {});
  const timer = setInterval(reload, reloadEveryMs);
  timer.unref();
  return {
    verify: (token) => tokens.get(hash(token)),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async refresh() {
      await reload();
      while (reloading) await reloading;
    },
    async close() {
      clearInterval(timer);
      await stop();
      await reloading;
    },
  };
}
