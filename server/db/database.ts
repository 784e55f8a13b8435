// One SQL interface over PostgreSQL (`pg`) and PGlite (PostgreSQL in WASM, embedded): same SQL, same repository.
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * Tells every listener on `channel` (a fixed identifier, never user input) that something committed. For the
   * server's own writes, which the sync tables' trigger leaves unannounced on PostgreSQL (./migrations.ts): called
   * after their transaction has committed. Announcements that come while one is on its way fold into one more.
   */
  announce(channel: string): void;
  /**
   * Hears NOTIFY on `channel` (a fixed identifier, never user input), from this process and others. `onGap` runs
   * whenever messages may have been missed (the listening connection was lost and is back): rebuild state then.
   */
  listen(channel: string, onMessage: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const RECONNECT_MS = 1000;

// Deadlocks and serialization failures are safe to retry: the transaction was rolled back whole.
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/** Distinct query texts prepared by name; the server's queries come from a few dozen templates. */
const MAX_PREPARED = 500;

/**
 * Queries as prepared statements: each connection parses and plans a text once and then only binds and runs it,
 * which halves what a one-row lookup costs PostgreSQL. Names are per process and each stands for one text for
 * good, so every connection of the pool agrees on them; texts past the limit run unprepared.
 */
function preparing() {
  const names = new Map<string, string>();
  return (text: string, values?: unknown[]): pg.QueryConfig => {
    let name = names.get(text);
    // Several statements in one text run only unprepared (and only without parameters).
    if (name === undefined && names.size < MAX_PREPARED && !text.includes(';')) names.set(text, (name = `lp_${names.size}`));
    return name === undefined ? { text, values } : { name, text, values };
  };
}

/**
 * A NOTIFY inside a transaction takes one lock for the whole PostgreSQL server at commit and holds it until the
 * commit is on disk, so that notifications queue in commit order: every notifying transaction then commits after
 * the other, however unrelated, and with durable commits that caps writes at one disk flush each. The server's own
 * connections therefore ask the sync tables' trigger not to notify (`app.sync_notify`), and the server announces
 * what it wrote after committing, from a transaction of its own that need not wait for the disk (a notification
 * is a wake-up, not data: one lost costs a listener's periodic read). Other clients of the database (a script,
 * psql) keep the trigger's notifications.
 */
const QUIET_TRIGGER = '-c app.sync_notify=off';

function announcer(pool: pg.Pool) {
  const channels = new Map<string, { sending: boolean; again: boolean }>();
  const send = (channel: string) => {
    const state = channels.get(channel)!;
    state.sending = true;
    state.again = false;
    pool
      .query(`BEGIN; SET LOCAL synchronous_commit = off; SELECT pg_notify('${channel}', ''); COMMIT`)
      .catch(() => {})
      .finally(() => {
        state.sending = false;
        // Something committed after this notification may have been sent: tell listeners once more.
        if (state.again) send(channel);
      });
  };
  return (channel: string) => {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    const state = channels.get(channel) ?? { sending: false, again: false };
    channels.set(channel, state);
    if (state.sending) state.again = true;
    else send(channel);
  };
}

export function openPostgres(connectionString: string, poolSize = 10): Database {
  // The setting travels in the connection's startup message: in force before any query, with no query of its own.
  const pool = new pg.Pool({ connectionString, max: poolSize, options: QUIET_TRIGGER });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const prepared = preparing();
  const announce = announcer(pool);
  return {
    kind: 'postgres',
    announce,
    async query(text, params) {
      return (await pool.query(prepared(text, params))).rows;
    },
    async exec(text) {
      await pool.query(text);
    },
    async transaction(work) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work({
            query: async (text, params) => (await client.query(prepared(text, params))).rows,
            exec: async (text) => void (await client.query(text)),
          });
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          const code = (error as { code?: string }).code;
          if (!(code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS)) throw error;
        } finally {
          client.release();
        }
      }
    },
    listen: (channel, onMessage, onGap) => listenPostgres(connectionString, channel, onMessage, onGap),
    close: () => pool.end(),
  };
}

/** A dedicated connection for LISTEN (pooled ones come and go), reconnected for as long as it is wanted. */
async function listenPostgres(
  connectionString: string,
  channel: string,
  onMessage: (payload: string) => void,
  onGap?: () => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let connectedOnce = false;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => {
      if (message.channel === channel) onMessage(message.payload ?? '');
    });
    next.on('error', () => {});
    next.on('end', () => {
      if (stopped || client !== next) return;
      client = undefined;
      onGap?.();
      retry = setTimeout(() => void connect().catch(() => {}), RECONNECT_MS);
    });
    try {
      await next.connect();
      await next.query(`LISTEN "${channel}"`);
      const reconnected = client === undefined && connectedOnce;
      client = next;
      connectedOnce = true;
      if (stopped) await next.end();
      // Listening again: what was written while the connection was down must be read now.
      else if (reconnected) onGap?.();
    } catch (error) {
      await next.end().catch(() => {});
      if (stopped) return;
      onGap?.();
      retry = setTimeout(() => void connect().catch(() => {}), RECONNECT_MS);
      throw error;
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

/** Without `dataDir`, the database lives in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Database> {
  // Learners' data: the folder is its owner's only.
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  // PGlite gives its files mode 0666 whatever the umask: the owner's only, at every open and close.
  if (dataDir) ownerOnly(dataDir);
  return {
    kind: 'pglite',
    // One connection, so no commit waits for another's: the trigger's notifications stay, and say it all.
    announce: () => {},
    async query(text, params) {
      return (await db.query(text, params)).rows as never[];
    },
    async exec(text) {
      await db.exec(text);
    },
    // PGlite has one connection; its transactions run one at a time, which is what makes them serializable here.
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: async (text, params) => (await tx.query(text, params)).rows as never[],
          exec: async (text) => void (await tx.exec(text)),
        }),
      ),
    async listen(channel, onMessage) {
      return db.listen(channel, onMessage);
    },
    async close() {
      await db.close();
      if (dataDir) ownerOnly(dataDir);
    },
  };
}

function ownerOnly(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) ownerOnly(path);
    else if (entry.isFile()) chmodSync(path, 0o600);
  }
}

/** `DATABASE_URL` selects PostgreSQL; otherwise PGlite keeps its files in `dataDir`. */
export function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  return options.databaseUrl ? Promise.resolve(openPostgres(options.databaseUrl)) : openPglite(options.dataDir);
}
