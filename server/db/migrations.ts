// Schema migrations, applied in order at start-up. Append new ones; never edit one that has shipped.
import { completeAchievement } from '../../shared/schemas/achievement';
import { completeLearner } from '../../shared/schemas/learner';
import { completeProfile } from '../../shared/schemas/profile';
import { formatHlc } from '../../shared/hlc';
import { randomId } from '../../shared/ids';
import { historicSync } from '../../shared/schemas/sync';
import type { Database, Sql } from './database';

/** The replicated collections; each write takes the next number of its collection's sequence (sync checkpoints). */
export const collections = ['learners', 'learner_profiles', 'achievements', 'conflicts'] as const;
export type Collection = (typeof collections)[number];

/** The channel a collection's writes are announced on (by the trigger below, or by the server after commit). */
export const syncChannel = (collection: Collection) => `sync_${collection}`;

const documentTable = (name: Collection, extraColumns: string) => `
  CREATE TABLE ${name} (
    uuid text PRIMARY KEY,
    doc jsonb NOT NULL,
    seq bigint NOT NULL UNIQUE,
    is_deleted boolean GENERATED ALWAYS AS ((doc->>'is_deleted')::boolean) STORED,
    created_time text GENERATED ALWAYS AS (doc->>'created_time') STORED${extraColumns}
  );
  CREATE INDEX ${name}_created ON ${name} (created_time DESC, uuid DESC) WHERE NOT is_deleted;
  INSERT INTO collection_seq (collection, value) VALUES ('${name}', 0);
`;

const withSync = (doc: Record<string, unknown>) => (doc.sync ? doc : { ...doc, sync: historicSync(doc as { last_modified_time: string }) });

/** SQL, or a step that needs the shared code (run inside the migration's transaction). */
type Migration = string | ((sql: Sql) => Promise<void>);

/**
 * Rewrites every document of a table through `complete`, in place. The seq stays: the desktop's own migration
 * completes its copies the same way, so no device needs to pull these documents again.
 */
const completeDocuments =
  (table: Collection, complete: (doc: Record<string, unknown>) => Record<string, unknown>) => async (sql: Sql) => {
    let after = '';
    for (;;) {
      const rows = await sql.query<{ uuid: string; doc: Record<string, unknown> }>(
        `SELECT uuid, doc FROM ${table} WHERE uuid > $1 ORDER BY uuid LIMIT 500`,
        [after],
      );
      if (rows.length === 0) return;
      const changed = rows.map((row) => ({ uuid: row.uuid, doc: complete(row.doc) }));
      await sql.query(
        `UPDATE ${table} SET doc = item.doc FROM jsonb_to_recordset($1::jsonb) AS item(uuid text, doc jsonb)
         WHERE ${table}.uuid = item.uuid`,
        [JSON.stringify(changed)],
      );
      after = rows.at(-1)!.uuid;
    }
  };

const migrations: Migration[] = [
  `
  CREATE TABLE collection_seq (collection text PRIMARY KEY, value bigint NOT NULL);
  ${documentTable(
    'learners',
    `,
    email text GENERATED ALWAYS AS (doc->>'email_address') STORED,
    first_name text GENERATED ALWAYS AS (doc->>'first_name') STORED`,
  )}
  CREATE INDEX learners_email ON learners (email) WHERE NOT is_deleted;
  CREATE INDEX learners_first_name ON learners (first_name) WHERE NOT is_deleted;
  ${documentTable('learner_profiles', '')}
  CREATE INDEX learner_profiles_goals ON learner_profiles USING gin ((doc->'learning_goals'));
  ${documentTable('achievements', '')}
  CREATE TABLE api_tokens (
    name text PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    created_time timestamptz NOT NULL DEFAULT now(),
    revoked_time timestamptz
  );
  `,
  // Sync streams must hear every write, from any process and any code path (the REST service, sync push, a script):
  // a trigger makes the database announce them. One statement-level NOTIFY per write statement; PostgreSQL folds
  // identical notifications of one transaction into one and delivers them on commit, so listeners never hear of
  // rows they cannot read yet. The payload is empty: listeners read everything past their last seq anyway.
  `
  CREATE FUNCTION sync_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('sync_' || TG_TABLE_NAME, '');
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER learners_sync_notify AFTER INSERT OR UPDATE ON learners
    FOR EACH STATEMENT EXECUTE FUNCTION sync_notify();
  CREATE TRIGGER learner_profiles_sync_notify AFTER INSERT OR UPDATE ON learner_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION sync_notify();
  CREATE TRIGGER achievements_sync_notify AFTER INSERT OR UPDATE ON achievements
    FOR EACH STATEMENT EXECUTE FUNCTION sync_notify();
  `,
  // The reference service's every field (learners, progress entries, the catalog), with its defaults.
  completeDocuments('learners', completeLearner),
  completeDocuments('learner_profiles', completeProfile),
  completeDocuments('achievements', completeAchievement),
  // Per-field edit times, for documents written before they existed.
  completeDocuments('learners', withSync),
  completeDocuments('learner_profiles', withSync),
  // The replicated conflict log; and this database's history identity (a restored copy gets a new epoch with
  // `npm run server -- epoch renew`) with a count of server starts (a restored copy counts from an older number).
  `
  ${documentTable('conflicts', `,
    learner_id text GENERATED ALWAYS AS (doc->>'learner_id') STORED`)}
  CREATE INDEX conflicts_learner ON conflicts (learner_id);
  CREATE TRIGGER conflicts_sync_notify AFTER INSERT OR UPDATE ON conflicts
    FOR EACH STATEMENT EXECUTE FUNCTION sync_notify();
  CREATE TABLE server_state (one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row), epoch text NOT NULL, generation int NOT NULL);
  INSERT INTO server_state (epoch, generation) VALUES (md5(random()::text || clock_timestamp()::text), 0);
  `,
  // Centers (../spec/trust.md "Centers and tokens"): every learner belongs to one, profiles and conflict log entries
  // follow their learner's (a column kept by the server, for scoped pulls); tokens see their centers or, for
  // administrators, all; a learner that leaves a center leaves a record so that center's devices purge it; every
  // write is in the audit log.
  async (sql: Sql) => {
    await sql.exec(`
      CREATE TABLE centers (id text PRIMARY KEY, name text NOT NULL UNIQUE, created_time timestamptz NOT NULL DEFAULT now());
      ALTER TABLE api_tokens ADD COLUMN is_admin boolean NOT NULL DEFAULT false;
      CREATE TABLE token_centers (
        token_name text NOT NULL REFERENCES api_tokens (name) ON DELETE CASCADE,
        center_id text NOT NULL REFERENCES centers (id),
        PRIMARY KEY (token_name, center_id)
      );
      ALTER TABLE learners ADD COLUMN center_id text GENERATED ALWAYS AS (doc->>'center_id') STORED;
      ALTER TABLE learner_profiles ADD COLUMN center_id text;
      ALTER TABLE conflicts ADD COLUMN center_id text;
      CREATE TABLE scope_exits (
        collection text NOT NULL,
        uuid text NOT NULL,
        seq bigint NOT NULL,
        old_center text NOT NULL,
        PRIMARY KEY (collection, seq, uuid)
      );
      CREATE INDEX scope_exits_center ON scope_exits (collection, old_center, seq);
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        time timestamptz NOT NULL DEFAULT now(),
        token text NOT NULL,
        operation text NOT NULL,
        collection text NOT NULL,
        record_id text NOT NULL
      );
      CREATE INDEX audit_log_record ON audit_log (record_id, id);
    `);
    const center = randomId();
    await sql.query(`INSERT INTO centers (id, name) VALUES ($1, 'default')`, [center]);
    await sql.query(`INSERT INTO token_centers (token_name, center_id) SELECT name, $1 FROM api_tokens`, [center]);
    // Every learner joins the default center as a change devices pull (a new seq), so their copies learn it.
    await sql.query(
      `WITH moved AS (SELECT uuid, row_number() OVER (ORDER BY seq) AS n FROM learners),
            next AS (UPDATE collection_seq SET value = value + (SELECT count(*) FROM learners) WHERE collection = 'learners' RETURNING value)
       UPDATE learners SET doc = jsonb_set(jsonb_set(doc, '{center_id}', to_jsonb($1::text)), '{sync,times,center_id}', to_jsonb($2::text)),
         seq = (SELECT value FROM next) - (SELECT count(*) FROM learners) + moved.n
       FROM moved WHERE learners.uuid = moved.uuid`,
      [center, formatHlc({ millis: Date.now(), counter: 0, node: 'server' })],
    );
    await sql.exec(`
      UPDATE learner_profiles p SET center_id = l.center_id FROM learners l WHERE l.uuid = p.doc->>'learner_id';
      UPDATE conflicts c SET center_id = l.center_id FROM learners l WHERE l.uuid = c.learner_id;
      CREATE INDEX learners_center_seq ON learners (center_id, seq);
      CREATE INDEX learner_profiles_center_seq ON learner_profiles (center_id, seq);
      CREATE INDEX conflicts_center_seq ON conflicts (center_id, seq);
    `);
  },
  // Writes no longer queue on one counter row per collection (../sync/changes.ts explains the order that replaces
  // it): each collection numbers its writes from a sequence, which takes no lock, and every row remembers the
  // transaction that wrote it, which a trigger sets whatever code path writes, so no writer can get it wrong. Rows
  // written before keep transaction 0: they are all committed, in the order of their seq.
  `
  CREATE FUNCTION sync_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    NEW.xid := pg_current_xact_id();
    RETURN NEW;
  END
  $$;
  ${collections
    .map(
      (name) => `
  CREATE SEQUENCE ${name}_seq OWNED BY ${name}.seq;
  SELECT setval('${name}_seq', greatest(value, 1), value > 0) FROM collection_seq WHERE collection = '${name}';
  ALTER TABLE ${name} ALTER COLUMN seq SET DEFAULT nextval('${name}_seq');
  ALTER TABLE ${name} DROP CONSTRAINT ${name}_seq_key;
  ALTER TABLE ${name} ADD COLUMN xid xid8 NOT NULL DEFAULT '0';
  ALTER TABLE ${name} ALTER COLUMN xid DROP DEFAULT;
  CREATE INDEX ${name}_xid ON ${name} (xid, seq);
  CREATE TRIGGER ${name}_sync_stamp BEFORE INSERT OR UPDATE OF seq ON ${name} FOR EACH ROW EXECUTE FUNCTION sync_stamp();`,
    )
    .join('')}
  ${(['learners', 'learner_profiles', 'conflicts'] as const)
    .map((name) => `
  DROP INDEX ${name}_center_seq;
  CREATE INDEX ${name}_center_xid ON ${name} (center_id, xid, seq);`)
    .join('')}
  ALTER TABLE scope_exits ADD COLUMN xid xid8 NOT NULL DEFAULT '0';
  ALTER TABLE scope_exits ALTER COLUMN xid DROP DEFAULT;
  DROP INDEX scope_exits_center;
  CREATE INDEX scope_exits_center ON scope_exits (collection, old_center, xid, seq);
  CREATE INDEX scope_exits_xid ON scope_exits (collection, xid, seq);
  CREATE TRIGGER scope_exits_sync_stamp BEFORE INSERT OR UPDATE OF seq ON scope_exits FOR EACH ROW EXECUTE FUNCTION sync_stamp();
  DROP TABLE collection_seq;
  `,
  // A write's first read after its locks, in the same round trip as taking them (../repository.ts). The read is a
  // statement of its own inside the function, so (read committed) it sees what was committed until the locks were
  // granted, as a separate statement after them would.
  `
  CREATE FUNCTION learner_after_locks(lock_ids bigint[], learner_id text, profile_id text, centers text[])
  RETURNS TABLE (learner_doc jsonb, profile_doc jsonb) LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    lock_id bigint;
  BEGIN
    FOREACH lock_id IN ARRAY lock_ids LOOP
      PERFORM pg_advisory_xact_lock(lock_id);
    END LOOP;
    RETURN QUERY
      SELECT l.doc, p.doc FROM learners l
      LEFT JOIN learner_profiles p ON p.uuid = profile_id AND (centers IS NULL OR p.center_id = ANY (centers))
      WHERE l.uuid = learner_id AND (centers IS NULL OR l.center_id = ANY (centers));
  END
  $$;
  `,
  // The server's own connections announce their writes after committing rather than from inside them
  // (./database.ts, `QUIET_TRIGGER`); any other client of the database is announced by the trigger as before.
  `
  CREATE OR REPLACE FUNCTION sync_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF coalesce(current_setting('app.sync_notify', true), '') <> 'off' THEN
      PERFORM pg_notify('sync_' || TG_TABLE_NAME, '');
    END IF;
    RETURN NULL;
  END
  $$;
  `,
];

/** The version from which rows carry the transaction that wrote them. */
const XID_VERSION = 10;

/** The tables whose rows carry the transaction that wrote them. */
const stamped = [...collections, 'scope_exits'] as const;

/**
 * Transaction ids count per PostgreSQL cluster, not per database. A database copied into another cluster (a dump
 * and restore, a move to a managed service) keeps its rows' ids while the new cluster counts on from its own,
 * possibly lower, number: its new writes would sort before rows already there, and pulls would wait for those
 * rows' transactions to end, which they never do here. Rows from ids this cluster has not reached are therefore
 * made history (transaction 0, in seq order, as the rows from before transaction ids were kept), and the database
 * takes a new epoch, so devices pull from the start rather than trust checkpoints that named the other cluster's ids.
 */
async function adoptCopiedRows(sql: Sql): Promise<void> {
  const latest = stamped.map((table) => `(SELECT xid FROM ${table} ORDER BY xid DESC LIMIT 1)`).join(', ');
  const [row] = await sql.query<{ copied: boolean | null }>(`SELECT greatest(${latest}) >= pg_current_xact_id() AS copied`);
  if (!row?.copied) return;
  for (const table of stamped) await sql.query(`UPDATE ${table} SET xid = '0' WHERE xid <> '0'`);
  await sql.query('UPDATE server_state SET epoch = md5(random()::text || clock_timestamp()::text)');
}

// Several server processes may start against one database at once: one migrates, the others wait.
const MIGRATION_LOCK = 7_406_221;

/** Applies what is missing; `upTo` stops at that version (tests of an upgrade from it). */
export async function migrate(db: Database, upTo = migrations.length): Promise<number> {
  return db.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await sql.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_time timestamptz NOT NULL DEFAULT now())',
    );
    const [row] = await sql.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const current = row?.version ?? 0;
    for (let version = current + 1; version <= upTo; version++) {
      const migration = migrations[version - 1]!;
      if (typeof migration === 'string') await sql.exec(migration);
      else await migration(sql);
      await sql.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
    if (upTo >= XID_VERSION) await adoptCopiedRows(sql);
    return upTo;
  });
}
