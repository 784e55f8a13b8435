// The service's repository over PostgreSQL (or PGlite): documents as jsonb, one row per document, and each write
// numbered from its collection's sequence and marked with its transaction, which is what sync checkpoints follow
// (./sync/changes.ts).
// A scoped repository sees only its centers' learners and their profiles: the scope is a filter in every query, so
// anything outside it reads as absent (a 404, exactly as if it did not exist). Every write records who made it, on
// the document (`modified_by`) and in the audit log; a learner moved to another center leaves a record behind, so
// the old center's devices purge their copies.
import { createHash } from 'node:crypto';
import { profileUuidFor } from '../shared/ids';
import { stampingStore, type EditClock } from '../shared/edits';
import type { Page, Repository, ReadStore, Scope, WriteStore } from '../shared/repository';
import type { StoredAchievement } from '../shared/schemas/achievement';
import type { StoredConflict } from '../shared/schemas/conflict';
import type { StoredLearner } from '../shared/schemas/learner';
import type { StoredProfile } from '../shared/schemas/profile';
import type { AchievementListQuery, LearnerListQuery, ProfileListQuery } from '../shared/schemas/queries';
import type { Database, Sql } from './db/database';
import { syncChannel, type Collection } from './db/migrations';

type DocRow<T> = { doc: T };

/** `absent` is what a document without the field counts as (catalog entries stored before `is_archived` existed). */
const archivedFilter = (fetchArchive: boolean | undefined, params: unknown[], absent?: 'false') => {
  if (fetchArchive === undefined) return '';
  params.push(String(fetchArchive));
  const value = absent ? `coalesce(doc->>'is_archived', '${absent}')` : `doc->>'is_archived'`;
  return ` AND ${value} = $${params.length}`;
};

const learnerOrder: Record<LearnerListQuery['sort_by'], string> = {
  first_name: `first_name COLLATE "C"`,
  last_name: `(doc->>'last_name') COLLATE "C"`,
  created_time: 'created_time',
};

/** Ids PostgreSQL's text can hold: a NUL or an unpaired surrogate names no document. */
const storable = (uuid: string) => !uuid.includes('\0') && uuid.isWellFormed();

/** The filter of a scope on a table with a `center_id` column, its parameters appended; '' for every center. */
function scopeFilter(scope: Scope | undefined, params: unknown[]): string {
  if (!scope || scope.admin) return '';
  params.push([...scope.centers]);
  return ` AND center_id = ANY($${params.length}::text[])`;
}

/**
 * A learner's profile, read in the same statement as the learner, for the read of it that follows: every profile
 * operation reads the learner first, then the profile, and this saves that second round trip (under a write's
 * learner lock, too). It is kept only for the rest of the current turn of the event loop and used at most once,
 * so it is what one statement reading both would have answered; a write through the same store drops it.
 */
interface ProfileAhead {
  current?: { uuid: string; doc: StoredProfile | undefined };
}

/**
 * A write transaction's advisory locks, taken with its next statement rather than on their own: writes of one
 * learner queue on that learner's lock, and the round trip a lock would take alone is time every writer behind it
 * waits. Its first read of a learner takes them in the same round trip (`learner_after_locks`); any other statement
 * takes them first. Either way they are held before the transaction reads or writes anything.
 */
interface PendingLocks {
  ids: string[];
}

function reads(sql: Sql, scope?: Scope, ahead: ProfileAhead = {}, locks?: PendingLocks): ReadStore {
  const docs = async <T>(text: string, params: unknown[]) =>
    (await sql.query<DocRow<T>>(text, params)).map((row) => row.doc);
  const scoped = (table: Collection) => table === 'learners' || table === 'learner_profiles';
  const byUuid = async <T>(table: Collection, uuid: string) => {
    if (!storable(uuid)) return undefined;
    const params: unknown[] = [uuid];
    return (await docs<T>(`SELECT doc FROM ${table} WHERE uuid = $1${scoped(table) ? scopeFilter(scope, params) : ''}`, params))[0];
  };
  const readLearner = (uuid: string) => {
    const params: unknown[] = [uuid, profileUuidFor(uuid)];
    if (locks && locks.ids.length > 0) {
      params.unshift(locks.ids.splice(0));
      params.push(scope && !scope.admin ? [...scope.centers] : null);
      return sql.query<{ doc: StoredLearner; profile: StoredProfile | null }>(
        'SELECT learner_doc AS doc, profile_doc AS profile FROM learner_after_locks($1::bigint[], $2, $3, $4::text[])',
        params,
      );
    }
    const filter = scopeFilter(scope, params);
    return sql.query<{ doc: StoredLearner; profile: StoredProfile | null }>(
      `SELECT l.doc, p.doc AS profile FROM learners l
       LEFT JOIN learner_profiles p ON p.uuid = $2${filter.replace('center_id', 'p.center_id')}
       WHERE l.uuid = $1${filter.replace('center_id', 'l.center_id')}`,
      params,
    );
  };
  const getLearner = async (uuid: string) => {
    if (!storable(uuid)) return undefined;
    const [row] = await readLearner(uuid);
    if (row) {
      const entry = { uuid: profileUuidFor(uuid), doc: row.profile ?? undefined };
      ahead.current = entry;
      setImmediate(() => {
        if (ahead.current === entry) ahead.current = undefined;
      });
    }
    return row?.doc;
  };
  const getProfile = (uuid: string) => {
    const entry = ahead.current;
    if (entry?.uuid !== uuid) return byUuid<StoredProfile>('learner_profiles', uuid);
    ahead.current = undefined;
    return Promise.resolve(entry.doc);
  };
  const byUuids = <T>(table: Collection, uuids: readonly string[]) => {
    const params: unknown[] = [uuids.filter(storable)];
    return docs<T>(`SELECT doc FROM ${table} WHERE uuid = ANY($1::text[])${scoped(table) ? scopeFilter(scope, params) : ''}`, params);
  };
  /** A page of `SELECT doc ... FROM table WHERE filter ORDER BY ...`, and the count of every match. */
  const page = async <T>(table: Collection, filter: string, order: string, params: unknown[], skip: number, limit: number): Promise<Page<T>> => {
    const where = filter + (scoped(table) ? scopeFilter(scope, params) : '');
    const [counted] = await sql.query<{ total: string }>(`SELECT count(*) AS total FROM ${table} WHERE ${where}`, params);
    const n = params.length;
    const records = await docs<T>(
      `SELECT doc FROM ${table} WHERE ${where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, limit, skip],
    );
    return { records, total: Number(counted?.total ?? 0) };
  };
  const learnersWhere = (condition: string, params: unknown[]) =>
    docs<StoredLearner>(`SELECT doc FROM learners WHERE ${condition} AND NOT is_deleted${scopeFilter(scope, params)} ORDER BY created_time, uuid`, params);

  return {
    getLearner,
    getLearners: (uuids) => byUuids<StoredLearner>('learners', uuids),
    findLearnersByEmail: (email) => learnersWhere('email = $1', [email]),
    findLearnersByEmails: (emails) => learnersWhere('email = ANY($1::text[])', [emails]),
    emailOwners: (emails) =>
      sql.query<{ uuid: string; email: string }>(`SELECT uuid, email FROM learners WHERE email = ANY($1::text[]) AND NOT is_deleted`, [emails]),
    findLearnersByFirstName: (firstName) => learnersWhere('first_name = $1', [firstName]),
    listLearners(query: LearnerListQuery) {
      const params: unknown[] = [];
      const direction = query.sort_order === 'ascending' ? 'ASC' : 'DESC';
      return page<StoredLearner>(
        'learners',
        `NOT is_deleted${archivedFilter(query.fetch_archive, params)}`,
        `${learnerOrder[query.sort_by]} ${direction}, uuid ${direction}`,
        params,
        query.skip,
        query.limit,
      );
    },
    getProfile,
    getProfiles: (uuids) => byUuids<StoredProfile>('learner_profiles', uuids),
    listProfiles(query: ProfileListQuery) {
      const params: unknown[] = [];
      let goal = '';
      if (query.learning_goal !== undefined) {
        params.push(JSON.stringify([query.learning_goal]));
        goal = ` AND doc->'learning_goals' @> $${params.length}::jsonb`;
      }
      return page<StoredProfile>(
        'learner_profiles',
        `NOT is_deleted${archivedFilter(query.fetch_archive, params)}${goal}`,
        'created_time DESC, uuid DESC',
        params,
        query.skip,
        query.limit,
      );
    },
    // The catalog's own upkeep (an achievement deleted): every profile, whatever the caller's centers.
    findProfilesWithAchievement: (achievementId) =>
      docs(`SELECT doc FROM learner_profiles WHERE NOT is_deleted AND doc->'achievements' @> $1::jsonb ORDER BY uuid`, [
        JSON.stringify([achievementId]),
      ]),
    getAchievement: (uuid) => byUuid<StoredAchievement>('achievements', uuid),
    getAchievements: (uuids) => byUuids<StoredAchievement>('achievements', uuids),
    listAchievements(query: AchievementListQuery) {
      const params: unknown[] = [];
      let filter = `NOT is_deleted${archivedFilter(query.fetch_archive, params, 'false')}`;
      if (query.name !== undefined) {
        params.push(query.name);
        filter += ` AND doc->>'name' = $${params.length}`;
      }
      if (query.achievement_type !== undefined) {
        params.push(query.achievement_type);
        filter += ` AND doc->>'type' = $${params.length}`;
      }
      if (query.tag !== undefined) {
        params.push(JSON.stringify([query.tag]));
        filter += ` AND doc->'tags' @> $${params.length}::jsonb`;
      }
      return page<StoredAchievement>('achievements', filter, 'created_time DESC, uuid DESC', params, query.skip, query.limit);
    },
    findAchievementsByType: (type) =>
      docs(`SELECT doc FROM achievements WHERE NOT is_deleted AND doc->>'type' = $1 ORDER BY created_time DESC, uuid DESC`, [type]),
  };
}

/** Who is writing, for the documents' `modified_by` and the audit log. */
export interface Writer {
  token: string;
  /** The operation id (`learner.update`), or `sync.push`. */
  operation: string;
}

/**
 * Inserts or replaces a document with its collection's next sequence number (the transaction that writes it is
 * recorded beside it by a trigger: ./sync/changes.ts), with the center it belongs to where the table keeps one
 * outside the document (profiles and conflict log entries). Answers the seq it took.
 */
export async function putDocument(sql: Sql, table: Collection, uuid: string, doc: unknown, center?: string | null): Promise<number> {
  const columns = center === undefined ? '' : ', center_id';
  const [row] = await sql.query<{ seq: string }>(
    `INSERT INTO ${table} (uuid, doc${columns}) VALUES ($1, $2::jsonb${center === undefined ? '' : ', $3'})
     ON CONFLICT (uuid) DO UPDATE SET doc = excluded.doc, seq = excluded.seq${center === undefined ? '' : ', center_id = excluded.center_id'}
     RETURNING seq`,
    center === undefined ? [uuid, JSON.stringify(doc)] : [uuid, JSON.stringify(doc), center],
  );
  return Number(row!.seq);
}

/** Documents per statement when many are put at once. */
const PUT_BATCH = 500;

/**
 * Many documents, in order, each with its own next sequence number: as many `putDocument`s, in few statements.
 * Profiles take their learner's center.
 */
export async function putDocuments(sql: Sql, table: Collection, docs: readonly { uuid: string }[]): Promise<void> {
  const withCenter = table === 'learner_profiles' || table === 'conflicts';
  for (let start = 0; start < docs.length; start += PUT_BATCH) {
    const batch = docs.slice(start, start + PUT_BATCH);
    await sql.query(
      `INSERT INTO ${table} (uuid, doc${withCenter ? ', center_id' : ''})
       SELECT item.doc->>'uuid', item.doc
              ${withCenter ? `, (SELECT l.center_id FROM learners l WHERE l.uuid = item.doc->>'learner_id')` : ''}
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS item(doc, n)
       ORDER BY item.n
       ON CONFLICT (uuid) DO UPDATE SET doc = excluded.doc, seq = excluded.seq${withCenter ? ', center_id = excluded.center_id' : ''}`,
      [JSON.stringify(batch)],
    );
  }
}

async function audit(sql: Sql, writer: Writer | undefined, collection: Collection, ids: readonly string[]): Promise<void> {
  if (!writer || ids.length === 0) return;
  await sql.query(
    `INSERT INTO audit_log (token, operation, collection, record_id) SELECT $1, $2, $3, unnest($4::text[])`,
    [writer.token, writer.operation, collection, ids],
  );
}

/** A 64-bit advisory lock id for any key, hashed here because keys may hold text PostgreSQL refuses (NUL). */
const lockId = (key: string) => createHash('sha256').update(key).digest().readBigInt64BE().toString();

/**
 * One document put with what goes with it, in one statement: the center it takes from its learner (profiles and
 * conflict log entries, `centerOf`), its audit entry, and, for a learner, the center it had before (to follow a
 * move). A write holds its learner's lock until it commits: every round trip saved is time other writes of that
 * learner do not wait.
 */
async function putOne(
  sql: Sql,
  table: Collection,
  doc: { uuid: string },
  writer: Writer | undefined,
  centerOf?: string,
): Promise<{ seq: number; before: string | null }> {
  const params: unknown[] = [doc.uuid, JSON.stringify(doc)];
  let center = '';
  if (centerOf !== undefined) {
    params.push(centerOf);
    center = `, (SELECT l.center_id FROM learners l WHERE l.uuid = $${params.length})`;
  }
  let logged = '';
  if (writer) {
    params.push(writer.token, writer.operation);
    logged = `, logged AS (INSERT INTO audit_log (token, operation, collection, record_id) VALUES ($${params.length - 1}, $${params.length}, '${table}', $1))`;
  }
  // The main query reads the table as it was before the statement's own insert.
  const before = table === 'learners' ? '(SELECT l.center_id FROM learners l WHERE l.uuid = $1)' : 'NULL::text';
  const [row] = await sql.query<{ seq: string; before: string | null }>(
    `WITH put AS (
       INSERT INTO ${table} (uuid, doc${center ? ', center_id' : ''}) VALUES ($1, $2::jsonb${center})
       ON CONFLICT (uuid) DO UPDATE SET doc = excluded.doc, seq = excluded.seq${center ? ', center_id = excluded.center_id' : ''}
       RETURNING seq
     )${logged}
     SELECT put.seq, ${before} AS before FROM put`,
    params,
  );
  return { seq: Number(row!.seq), before: row!.before };
}

/**
 * A learner changed center: their profile and conflict log entries follow (new seqs, so the new center's devices
 * receive them), and each leaves a record for the old center's devices, which purge their copies.
 */
async function followMove(sql: Sql, learnerId: string, from: string, to: string | null, learnerSeq: number): Promise<void> {
  await sql.query(`INSERT INTO scope_exits (collection, uuid, seq, old_center) VALUES ('learners', $1, $2, $3)`, [learnerId, learnerSeq, from]);
  for (const table of ['learner_profiles', 'conflicts'] as const) {
    const owner = table === 'learner_profiles' ? `doc->>'learner_id'` : 'learner_id';
    const moved = await sql.query<{ uuid: string; doc: unknown }>(`SELECT uuid, doc FROM ${table} WHERE ${owner} = $1`, [learnerId]);
    for (const row of moved) {
      const seq = await putDocument(sql, table, row.uuid, row.doc, to);
      await sql.query(`INSERT INTO scope_exits (collection, uuid, seq, old_center) VALUES ($1, $2, $3, $4)`, [table, row.uuid, seq, from]);
    }
  }
}

/** The server's own stores beside the contract's: the conflict log, for sync pushes (./sync/rules.ts). */
export interface ServerWriteStore extends WriteStore {
  getConflict(uuid: string): Promise<StoredConflict | undefined>;
  putConflict(doc: StoredConflict): Promise<void>;
}

function writes(transaction: Sql, scope: Scope | undefined, writer: Writer | undefined, touched: Set<Collection>): ServerWriteStore {
  const locks: PendingLocks = { ids: [] };
  const takeLocks = async () => {
    // One at a time and in order: callers take several in a fixed order, which is what keeps them from deadlocking.
    while (locks.ids.length > 0) await transaction.query('SELECT pg_advisory_xact_lock($1::bigint)', [locks.ids.shift()]);
  };
  const sql: Sql = {
    async query(text, params) {
      await takeLocks();
      return transaction.query(text, params);
    },
    async exec(text) {
      await takeLocks();
      await transaction.exec(text);
    },
  };
  const ahead: ProfileAhead = {};
  // What this transaction writes is announced once it commits (`createPostgresRepository`).
  const write = <A extends unknown[]>(table: Collection, put: (...args: A) => Promise<void>) => (...args: A) => {
    ahead.current = undefined;
    touched.add(table);
    return put(...args);
  };
  const signed = <T extends object>(doc: T): T => (writer ? { ...doc, modified_by: writer.token } : doc);
  // Every learner on the server has a center, or no device token would ever see it. The services place each one;
  // a write that names none (the server's own code, with no token) goes to the first center, `default`.
  let firstCenter: string | undefined;
  const placed = async (doc: StoredLearner): Promise<StoredLearner> => {
    if (doc.center_id !== undefined) return doc;
    firstCenter ??= (await sql.query<{ id: string }>('SELECT id FROM centers ORDER BY created_time, id LIMIT 1'))[0]?.id;
    return firstCenter === undefined ? doc : { ...doc, center_id: firstCenter };
  };
  const putLearner = async (doc: StoredLearner) => {
    const stored = signed(await placed(doc));
    const { seq, before } = await putOne(sql, 'learners', stored, writer);
    const after = (stored as { center_id?: string }).center_id ?? null;
    if (before !== null && before !== after) {
      touched.add('learner_profiles').add('conflicts');
      await followMove(sql, doc.uuid, before, after, seq);
    }
  };
  return {
    ...reads(sql, scope, ahead, locks),
    async lock(key) {
      locks.ids.push(lockId(key));
    },
    putLearner: write('learners', putLearner),
    putProfile: write('learner_profiles', async (doc: StoredProfile) => {
      await putOne(sql, 'learner_profiles', signed(doc), writer, doc.learner_id);
    }),
    putAchievement: write('achievements', async (doc: StoredAchievement) => {
      await putOne(sql, 'achievements', doc, writer);
    }),
    putLearners: write('learners', async (docs: StoredLearner[]) => {
      // Many at once (imports) are new learners: no moves to follow.
      await putDocuments(sql, 'learners', (await Promise.all(docs.map(placed))).map(signed));
      await audit(sql, writer, 'learners', docs.map((doc) => doc.uuid));
    }),
    putProfiles: write('learner_profiles', async (docs: StoredProfile[]) => {
      await putDocuments(sql, 'learner_profiles', docs.map(signed));
      await audit(sql, writer, 'learner_profiles', docs.map((doc) => doc.uuid));
    }),
    putAchievements: write('achievements', async (docs: StoredAchievement[]) => {
      await putDocuments(sql, 'achievements', docs);
      await audit(sql, writer, 'achievements', docs.map((doc) => doc.uuid));
    }),
    getConflict: async (uuid) =>
      storable(uuid) ? (await sql.query<DocRow<StoredConflict>>(`SELECT doc FROM conflicts WHERE uuid = $1`, [uuid]))[0]?.doc : undefined,
    putConflict: write('conflicts', async (doc: StoredConflict) => {
      await putOne(sql, 'conflicts', doc, writer, doc.learner_id);
    }),
  };
}

export interface RepositoryOptions {
  /** Every write of a learner or profile is a dated edit (the REST API: a person's change); without, documents are
   * stored as given (sync pushes, whose devices dated their own edits). */
  editor?: EditClock;
  /** The caller's centers (its token's). Without, every center (the server's own tasks, tests). */
  scope?: Scope;
  /** Who writes: recorded on each document and in the audit log. */
  writer?: Writer;
}

export function createPostgresRepository(db: Database, options: RepositoryOptions = {}): Repository {
  const { editor, scope, writer } = options;
  return {
    ...reads(db, scope),
    scope,
    async transaction(work) {
      const touched = new Set<Collection>();
      const result = await db.transaction((sql) => {
        // A retried transaction starts over: only what its last attempt wrote is announced.
        touched.clear();
        const store = writes(sql, scope, writer, touched);
        return work(editor ? stampingStore(store, editor) : store);
      });
      for (const table of touched) db.announce(syncChannel(table));
      return result;
    },
    close: () => db.close(),
  };
}
