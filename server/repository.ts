// The service's repository over PostgreSQL (or PGlite): documents as jsonb, one row per document, and each write
// numbered from its collection's sequence inside the writing transaction, so sync checkpoints follow commit order.
import { createHash } from 'node:crypto';
import type { Repository, ReadStore, WriteStore } from '../shared/repository';
import type { StoredAchievement } from '../shared/schemas/achievement';
import type { StoredLearner } from '../shared/schemas/learner';
import type { StoredProfile } from '../shared/schemas/profile';
import type { LearnerListQuery, PageQuery, ProfileListQuery } from '../shared/schemas/queries';
import type { Database, Sql } from './db/database';
import type { Collection } from './db/migrations';

type DocRow<T> = { doc: T };

const archivedFilter = (fetchArchive: boolean | undefined, params: unknown[]) => {
  if (fetchArchive === undefined) return '';
  params.push(String(fetchArchive));
  return ` AND doc->>'is_archived' = $${params.length}`;
};

const learnerOrder: Record<LearnerListQuery['sort_by'], string> = {
  first_name: `first_name COLLATE "C"`,
  last_name: `(doc->>'last_name') COLLATE "C"`,
  created_time: 'created_time',
};

function reads(sql: Sql): ReadStore {
  const docs = async <T>(text: string, params: unknown[]) =>
    (await sql.query<DocRow<T>>(text, params)).map((row) => row.doc);
  // An id PostgreSQL's text cannot hold (a NUL, an unpaired surrogate) names no document.
  const byUuid = async <T>(table: Collection, uuid: string) =>
    uuid.includes('\0') || !uuid.isWellFormed()
      ? undefined
      : (await docs<T>(`SELECT doc FROM ${table} WHERE uuid = $1`, [uuid]))[0];

  return {
    getLearner: (uuid) => byUuid<StoredLearner>('learners', uuid),
    findLearnersByEmail: (email) =>
      docs(`SELECT doc FROM learners WHERE email = $1 AND NOT is_deleted ORDER BY created_time, uuid`, [email]),
    findLearnersByFirstName: (firstName) =>
      docs(`SELECT doc FROM learners WHERE first_name = $1 AND NOT is_deleted ORDER BY created_time, uuid`, [firstName]),
    listLearners(query: LearnerListQuery) {
      const params: unknown[] = [query.limit, query.skip];
      const direction = query.sort_order === 'ascending' ? 'ASC' : 'DESC';
      return docs(
        `SELECT doc FROM learners WHERE NOT is_deleted${archivedFilter(query.fetch_archive, params)}
         ORDER BY ${learnerOrder[query.sort_by]} ${direction}, uuid ${direction} LIMIT $1 OFFSET $2`,
        params,
      );
    },
    getProfile: (uuid) => byUuid<StoredProfile>('learner_profiles', uuid),
    listProfiles(query: ProfileListQuery) {
      const params: unknown[] = [query.limit, query.skip];
      let goal = '';
      if (query.learning_goal !== undefined) {
        params.push(JSON.stringify([query.learning_goal]));
        goal = ` AND doc->'learning_goals' @> $${params.length}::jsonb`;
      }
      return docs(
        `SELECT doc FROM learner_profiles WHERE NOT is_deleted${archivedFilter(query.fetch_archive, params)}${goal}
         ORDER BY created_time DESC, uuid DESC LIMIT $1 OFFSET $2`,
        params,
      );
    },
    getAchievement: (uuid) => byUuid<StoredAchievement>('achievements', uuid),
    listAchievements: (query: PageQuery) =>
      docs(
        `SELECT doc FROM achievements WHERE NOT is_deleted ORDER BY created_time DESC, uuid DESC LIMIT $1 OFFSET $2`,
        [query.limit, query.skip],
      ),
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
  };
}

export function createPostgresRepository(db: Database): Repository {
  return {
    ...reads(db),
    transaction: (work) => db.transaction((sql) => work(writes(sql))),
    close: () => db.close(),
  };
}
