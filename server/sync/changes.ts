// Reading a collection's changes by checkpoint: what `pull` answers and what the stream feed sends.
//
// Checkpoint semantics. Every write of a document takes the next number of its collection's counter
// (`collection_seq`) inside the writing transaction and keeps that counter's row locked until it commits
// (`putDocument` in ../repository.ts), so seq order is commit order: once a reader sees seq N committed, every
// lower seq was committed before it. A document keeps only the seq of its latest write, so "rows with seq > c,
// by seq" is exactly the set of documents changed since checkpoint c, each once and in its latest state. A
// client that pages on with the last seq it got never skips a change; a document changed again while it pages
// moves to a higher seq and comes again later, newer, which is what the client wants. Deletion is the
// `is_deleted` field, an ordinary change, so nothing ever leaves the history a client pages through, and the
// checkpoint `{seq: 0}` (or none) replays all of it.
// Client clocks play no part: `last_modified_time` is data, kept as the client sent it, never an order.
import type { ChangeBatch, SyncCollection } from '../../shared/sync-protocol';
import { toWireDocument } from '../../shared/sync-protocol';
import type { Scope } from '../../shared/repository';
import type { Sql } from '../db/database';
import { currentHistory, type History } from './epoch';

/** Which collections keep a center per row (the catalog is everyone's). */
const centered = (collection: SyncCollection) => collection !== 'achievements';

/** One change: a document's new state, or its leaving the reader's centers (to be purged there). */
export interface ChangeRow {
  uuid: string;
  seq: number;
  doc: Record<string, unknown> | null;
  /** The row's center; for a leaving, the center it left. */
  center: string | null;
}

/**
 * The changes after `after`, oldest first, at most `limit`: for a scope of centers, that scope's documents and the
 * documents that left it (moved to a center outside it); for an administrator (no scope), everything. Each center
 * is read along its own (center, seq) index and the streams merged, so a pull costs what its centers hold, not
 * what the server holds.
 */
export async function readChangeRows(sql: Sql, collection: SyncCollection, after: number, limit: number, scope?: Scope): Promise<ChangeRow[]> {
  const centerColumn = centered(collection) ? 'center_id' : 'NULL::text';
  if (!scope || scope.admin || !centered(collection)) {
    const rows = await sql.query<{ uuid: string; doc: Record<string, unknown>; seq: string; center: string | null }>(
      `SELECT uuid, doc, seq, ${centerColumn} AS center FROM ${collection} WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, limit],
    );
    return rows.map((row) => ({ uuid: row.uuid, seq: Number(row.seq), doc: row.doc, center: row.center }));
  }
  const centers = [...scope.centers];
  const params: unknown[] = [after, limit, centers];
  const branches = centers.map((center) => {
    params.push(center);
    return `(SELECT uuid, doc, seq, center_id AS center FROM ${collection} WHERE center_id = $${params.length} AND seq > $1 ORDER BY seq LIMIT $2)`;
  });
  branches.push(
    `(SELECT e.uuid, NULL::jsonb AS doc, e.seq, e.old_center AS center FROM scope_exits e
      WHERE e.collection = '${collection}' AND e.old_center = ANY($3::text[]) AND e.seq > $1
        AND NOT EXISTS (SELECT 1 FROM ${collection} d WHERE d.uuid = e.uuid AND d.center_id = ANY($3::text[]))
      ORDER BY e.seq LIMIT $2)`,
  );
  const rows = await sql.query<{ uuid: string; doc: Record<string, unknown> | null; seq: string; center: string | null }>(
    `SELECT * FROM (${branches.join(' UNION ALL ')}) AS changes ORDER BY seq LIMIT $2`,
    params,
  );
  return rows.map((row) => ({ uuid: row.uuid, seq: Number(row.seq), doc: row.doc, center: row.center }));
}

/** The documents of a collection that left a center with a write in (from, to]. */
export async function readExits(sql: Sql, collection: SyncCollection, from: number, to: number): Promise<{ uuid: string; center: string }[]> {
  if (!centered(collection)) return [];
  return sql.query<{ uuid: string; center: string }>(
    `SELECT uuid, old_center AS center FROM scope_exits WHERE collection = $1 AND seq > $2 AND seq <= $3`,
    [collection, from, to],
  );
}

/** Documents as the wire carries them: a document's state, or `{uuid, _deleted: true}` for one that left. */
export const wireChanges = (rows: ChangeRow[]) =>
  rows.map((row) => (row.doc ? toWireDocument(row.doc) : { uuid: row.uuid, _deleted: true }));

/** At most `limit` changes after `after`, oldest first, for this scope. */
export async function readChanges(sql: Sql, collection: SyncCollection, after: number, limit: number, history?: History, scope?: Scope): Promise<ChangeBatch> {
  const rows = await readChangeRows(sql, collection, after, limit, scope);
  const last = rows.at(-1);
  return {
    documents: wireChanges(rows),
    // bigint arrives as a string; seqs stay far below 2^53 (one per write).
    checkpoint: { seq: last ? last.seq : after, ...history },
  };
}

/**
 * A pull from a client's checkpoint. A checkpoint from another history (./epoch.ts) is answered from the start,
 * marked `restarted`: the client merges what it pulls by field time and sends what this database lacks.
 */
export async function pullChanges(
  sql: Sql,
  collection: SyncCollection,
  from: { seq: number; epoch?: string; generation: number },
  limit: number,
  scope?: Scope,
): Promise<ChangeBatch> {
  const history = await currentHistory(sql);
  const foreign =
    (from.epoch !== undefined && from.epoch !== history.epoch) ||
    from.generation > history.generation ||
    (from.seq > 0 && from.seq > (await latestSeq(sql, collection)));
  const batch = await readChanges(sql, collection, foreign ? 0 : from.seq, limit, history, scope);
  return foreign ? { ...batch, restarted: true } : batch;
}

/** The seq of the collection's latest committed change (0 before the first). */
export async function latestSeq(sql: Sql, collection: SyncCollection): Promise<number> {
  const [row] = await sql.query<{ seq: string | null }>(`SELECT max(seq) AS seq FROM ${collection}`);
  return Number(row?.seq ?? 0);
}
