// The service's repository over PostgreSQL (or PGlite): documents as jsonb, one row per document, and each write
// numbered from its collection's sequence inside the writing transaction, so sync checkpoints follow commit order.
import { createHash } from 'node:crypto';
import { stampingStore, type EditClock } from '../shared/edits';
import type { Page, Repository, ReadStore, WriteStore } from '../shared/repository';
import type { StoredAchievement } from '../shared/schemas/achievement';
import type { StoredConflict } from '../shared/schemas/conflict';
import type { StoredLearner } from '../shared/schemas/learner';
import type { StoredProfile } from '../shared/schemas/profile';
import type { AchievementListQuery, LearnerListQuery, ProfileListQuery } from '../shared/schemas/queries';
import type { Database, Sql } from './db/database';
import type { Collection } from './db/migrations';

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

function reads(sql: Sql): ReadStore {
  const docs = async <T>(text: string, params: unknown[]) =>
    (await sql.query<DocRow<T>>(text, params)).map((row) => row.doc);
  const byUuid = async <T>(table: Collection, uuid: string) =>
    storable(uuid) ? (await docs<T>(`SELECT doc FROM ${table} WHERE uuid = $1`, [uuid]))[0] : undefined;
  const byUuids = <T>(table: Collection, uuids: readonly string[]) =>
    docs<T>(`SELECT doc FROM ${table} WHERE uuid = ANY($1::text[])`, [uuids.filter(storable)]);
  /** A page of `SELECT doc ... FROM table WHERE filter ORDER BY ...`, and the count of every match. */
  const page = async <T>(table: Collection, filter: string, order: string, params: unknown[], skip: number, limit: number): Promise<Page<T>> => {
    const [counted] = await sql.query<{ total: string }>(`SELECT count(*) AS total FROM ${table} WHERE ${filter}`, params);
    const n = params.length;
    const records = await docs<T>(
      `SELECT doc FROM ${table} WHERE ${filter} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, limit, skip],
    );
    return { records, total: Number(counted?.total ?? 0) };
  };

  return {
    getLearner: (uuid) => byUuid<StoredLearner>('learners', uuid),
    getLearners: (uuids) => byUuids<StoredLearner>('learners', uuids),
    findLearnersByEmail: (email) =>
      docs(`SELECT doc FROM learners WHERE email = $1 AND NOT is_deleted ORDER BY created_time, uuid`, [email]),
    findLearnersByEmails: (emails) =>
      docs(`SELECT doc FROM learners WHERE email = ANY($1::text[]) AND NOT is_deleted ORDER BY created_time, uuid`, [emails]),
    findLearnersByFirstName: (firstName) =>
      docs(`SELECT doc FROM learners WHERE first_name = $1 AND NOT is_deleted ORDER BY created_time, uuid`, [firstName]),
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
    getProfile: (uuid) => byUuid<StoredProfile>('learner_profiles', uuid),
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

/** Inserts or replaces a document, taking its collection's next sequence number (a row lock held to commit). */
export async function putDocument(sql: Sql, table: Collection, uuid: string, doc: unknown): Promise<void> {
  await sql.query(
    `WITH next AS (UPDATE collection_seq SET value = value + 1 WHERE collection = $1 RETURNING value)
     INSERT INTO ${table} (uuid, doc, seq) VALUES ($2, $3::jsonb, (SELECT value FROM next))
     ON CONFLICT (uuid) DO UPDATE SET doc = excluded.doc, seq = excluded.seq`,
    [table, uuid, JSON.stringify(doc)],
  );
}

/** Documents per statement when many are put at once. */
const PUT_BATCH = 500;

/** Many documents, in order, each with its own next sequence number: as many `putDocument`s, in few statements. */
export async function putDocuments(sql: Sql, table: Collection, docs: readonly { uuid: string }[]): Promise<void> {
  for (let start = 0; start < docs.length; start += PUT_BATCH) {
    const batch = docs.slice(start, start + PUT_BATCH);
    await sql.query(
      `WITH next AS (UPDATE collection_seq SET value = value + $2 WHERE collection = $1 RETURNING value)
       INSERT INTO ${table} (uuid, doc, seq)
       SELECT item.doc->>'uuid', item.doc, (SELECT value FROM next) - $2 + item.n
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS item(doc, n)
       ON CONFLICT (uuid) DO UPDATE SET doc = excluded.doc, seq = excluded.seq`,
      [table, batch.length, JSON.stringify(batch)],
    );
  }
}

/** A 64-bit advisory lock id for any key, hashed here because keys may hold text PostgreSQL refuses (NUL). */
const lockId = (key: string) => createHash('sha256').update(key).digest().readBigInt64BE().toString();

function writes(sql: Sql): WriteStore {
  return {
    ...reads(sql),
    async lock(key) {
      await sql.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockId(key)]);
    },
    putLearner: (doc) => putDocument(sql, 'learners', doc.uuid, doc),
    putProfile: (doc) => putDocument(sql, 'learner_profiles', doc.uuid, doc),
    putAchievement: (doc) => putDocument(sql, 'achievements', doc.uuid, doc),
    putLearners: (docs) => putDocuments(sql, 'learners', docs),
    putProfiles: (docs) => putDocuments(sql, 'learner_profiles', docs),
    putAchievements: (docs) => putDocuments(sql, 'achievements', docs),
    // The conflict log, for sync pushes (./sync/rules.ts).
    getConflict: async (uuid: string) =>
      storable(uuid) ? (await sql.query<DocRow<StoredConflict>>(`SELECT doc FROM conflicts WHERE uuid = $1`, [uuid]))[0]?.doc : undefined,
    putConflict: (doc: StoredConflict) => putDocument(sql, 'conflicts', doc.uuid, doc),
  } as WriteStore;
}

/**
 * With an `editor`, every write of a learner or profile is a dated edit (the REST API: a person's change); without,
 * documents are stored as given (sync pushes, whose devices dated their own edits).
 */
export function createPostgresRepository(db: Database, editor?: EditClock): Repository {
  return {
    ...reads(db),
    transaction: (work) => db.transaction((sql) => work(editor ? stampingStore(writes(sql), editor) : writes(sql))),
    close: () => db.close(),
  };
}
