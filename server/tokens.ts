// Bearer tokens for the API: random, shown once at creation, stored only as SHA-256 hashes (they carry 256 bits of
// entropy, so a fast hash is enough: there is nothing to brute-force).
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Sql } from './db/database';

export const TOKEN_NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const TOKEN_NAME_RULE = 'a token name is 1 to 64 letters, digits, dots, dashes or underscores';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export class TokenError extends Error {}

export async function createToken(sql: Sql, name: string): Promise<string> {
  if (!TOKEN_NAME.test(name)) throw new TokenError(TOKEN_NAME_RULE);
  const token = `lpt_${randomBytes(32).toString('base64url')}`;
  const rows = await sql.query(
    `INSERT INTO api_tokens (name, token_hash) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, created_time = now(), revoked_time = NULL
     WHERE api_tokens.revoked_time IS NOT NULL
     RETURNING name`,
    [name, hash(token)],
  );
  if (rows.length === 0) throw new TokenError(`a token named ${name} exists already; revoke it first`);
  return token;
}

export interface TokenInfo {
  name: string;
  created_time: string;
  revoked_time: string | null;
}

export async function listTokens(sql: Sql): Promise<TokenInfo[]> {
  return sql.query<TokenInfo>(
    `SELECT name, created_time::text AS created_time, revoked_time::text AS revoked_time FROM api_tokens ORDER BY name`,
  );
}

const REVOKED_CHANNEL = 'api_token_revoked';

/** Revokes, and tells every server process on this database to forget what it cached. */
export async function revokeToken(db: Database, name: string): Promise<boolean> {
  return db.transaction(async (sql) => {
    const rows = await sql.query(
      `UPDATE api_tokens SET revoked_time = now() WHERE name = $1 AND revoked_time IS NULL RETURNING name`,
      [name],
    );
    await sql.query('SELECT pg_notify($1, $2)', [REVOKED_CHANNEL, name]);
    return rows.length > 0;
  });
}

async function lookUp(sql: Sql, tokenHash: string): Promise<string | undefined> {
  const rows = await sql.query<{ name: string }>(
    `SELECT name FROM api_tokens WHERE token_hash = $1 AND revoked_time IS NULL`,
    [tokenHash],
  );
  return rows[0]?.name;
}

export interface TokenVerifier {
  /** The name of the live token, or undefined. */
  verify(token: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/**
 * Remembers valid tokens so a request costs no query; forgets all of them the moment any token is revoked (NOTIFY,
 * from any process) or the notifications may have been missed. Without a working listener, it does not cache.
 */
export async function createTokenVerifier(db: Database, ttlMs = 60_000): Promise<TokenVerifier> {
  const cache = new Map<string, { name: string; until: number }>();
  let caching = false;
  let stop = async () => {};
  try {
    stop = await db.listen(REVOKED_CHANNEL, () => cache.clear(), () => cache.clear());
    caching = true;
  } catch {
    caching = false;
  }
  return {
    async verify(token) {
      const tokenHash = hash(token);
      const cached = cache.get(tokenHash);
      if (cached && cached.until > Date.now()) return cached.name;
      const name = await lookUp(db, tokenHash);
      if (name && caching) cache.set(tokenHash, { name, until: Date.now() + ttlMs });
      return name;
    },
    close: () => stop(),
  };
}
