// Reading a collection's changes by checkpoint: what `pull` answers and what the stream feed sends.
//
// Checkpoint semantics. Writers do not queue on anything shared: every write of a document takes the next number
// of its collection's sequence (`seq`) and records the transaction that made it (`xid`, PostgreSQL's 64-bit
// `pg_current_xact_id()`, set by a trigger: ../db/migrations.ts). Changes are ordered by their position
// `(xid, seq)`, and a read returns only positions whose transaction is below the horizon of its own snapshot,
// `pg_snapshot_xmin(pg_current_snapshot())`: every transaction with an id below it has ended (committed, or rolled
// back and left nothing), while every transaction that can still commit has an id at or above it, whether it
// already holds one (it is in progress) or gets one later (ids are handed out in increasing order). So once a
// reader has returned the positions up to P below its horizon, no write can later commit at a position below P:
// a client that pages on from the last position it got never skips a change.
//
// Ordering by seq alone, as in commit order, would not be safe without a lock: a sequence number is taken when the
// row is written, not when it commits, so a transaction holding seq 10 can commit after one holding seq 11 was
// read; and the transaction id cannot simply filter a seq order either, since the transaction that took seq 11 may
// have the lower id (it got its id first and its seq later). Position order has neither problem: a transaction's
// rows sit together at its id, and the horizon moves past an id only when that transaction has ended.
//
// A document keeps only the position of its latest write, so "positions after c, in order" is exactly the set of
// documents changed since checkpoint c, each once and in its latest state. A document changed again while a client
// pages moves to a later position (a transaction that commits after a reader's snapshot has an id at or above its
// horizon, so at or above every position that reader handed out) and comes again later, newer. Deletion is the
// `is_deleted` field, an ordinary change, so nothing ever leaves the history a client pages through, and the
// checkpoint `{seq: 0}` (or none) replays all of it. Rows written before transaction ids were recorded carry id 0:
// they come first, in seq order, and a checkpoint without an id (`{seq: n}`, issued then) is the position (0, n).
//
// Rows that committed but are still above the horizon (a transaction that began before theirs has not ended yet)
// are held back; a read says so (`held`), and pull waits a little for them, the feed reads again shortly after.
// The horizon spans every database of the PostgreSQL server, so a long transaction anywhere on it holds changes
// back while it runs: they are late, never lost.
// Client clocks play no part: `last_modified_time` is data, kept as the client sent it, never an order.
import type { ChangeBatch, SyncCheckpoint, SyncCollection } from '../../shared/sync-protocol';
import { toWireDocument } from '../../shared/sync-protocol';
import type { Scope } from '../../shared/repository';
import type { Sql } from '../db/database';
import { currentHistory, type History } from './epoch';

/** Which collections keep a center per row (the catalog is everyone's). */
const centered = (collection: SyncCollection) => collection !== 'achievements';

/** A place in a collection's history: the writing transaction's id, then the write's seq. */
export interface Position {
  xid: number;
  seq: number;
}

/** Before every change. */
export const ORIGIN: Position = { xid: 0, seq: 0 };

export const positionOf = (checkpoint: { seq: number; xid?: number }): Position => ({ xid: checkpoint.xid ?? 0, seq: checkpoint.seq });

/** One change: a document's new state, or its leaving the reader's centers (to be purged there). */
export interface ChangeRow extends Position {
  uuid: string;
  doc: Record<string, unknown> | null;
  /** The row's center; for a leaving, the center it left. */
  center: string | null;
}

export interface ChangeRows {
  /** Committed changes below the horizon, in position order. */
  rows: ChangeRow[];
  /** Committed changes after these exist, held back until older transactions end. */
  held: boolean;
}

type Row = { uuid: string; doc: Record<string, unknown> | null; seq: string; xid: string; center: string | null; released: boolean };

// bigint and xid8 arrive as strings. Seqs stay far below 2^53 (one per write); so do transaction ids (2^53 of them
// at a million a second take 285 years).
const toRows = (rows: Row[]): ChangeRows => {
  const released = rows.findIndex((row) => !row.released);
  const kept = released < 0 ? rows : rows.slice(0, released);
  return {
    rows: kept.map((row) => ({ uuid: row.uuid, seq: Number(row.seq), xid: Number(row.xid), doc: row.doc, center: row.center })),
    held: released >= 0,
  };
};

// Rows are read past the horizon too, in the same statement (so against the same snapshot), to tell whether some
// are held back; they sort after every row below it, so what is returned is the prefix below it.
const HORIZON = `(SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)`;
const AFTER = (table: string, first: number) => `(${table}.xid, ${table}.seq) > ($${first}::xid8, $${first + 1}::bigint)`;

/**
 * The changes after `after`, in position order, at most `limit`: for a scope of centers, that scope's documents and
 * the documents that left it (moved to a center outside it); for an administrator (no scope), everything. Each
 * center is read along its own (center, xid, seq) index and the streams merged, so a pull costs what its centers
 * hold, not what the server holds.
 */
export async function readChangeRows(sql: Sql, collection: SyncCollection, after: Position, limit: number, scope?: Scope): Promise<ChangeRows> {
  const centerColumn = centered(collection) ? 'd.center_id' : 'NULL::text';
  const from = [String(after.xid), after.seq];
  if (!scope || scope.admin || !centered(collection)) {
    return toRows(
      await sql.query<Row>(
        `SELECT d.uuid, CASE WHEN d.xid < h.horizon THEN d.doc END AS doc, d.seq, d.xid, ${centerColumn} AS center, d.xid < h.horizon AS released
         FROM ${collection} d, ${HORIZON} h
         WHERE ${AFTER('d', 1)} ORDER BY d.xid, d.seq LIMIT $3`,
        [...from, limit],
      ),
    );
  }
  const centers = [...scope.centers];
  const params: unknown[] = [...from, limit, centers];
  const branches = centers.map((center) => {
    params.push(center);
    return `(SELECT d.uuid, d.doc, d.seq, d.xid, d.center_id AS center FROM ${collection} d
             WHERE d.center_id = $${params.length} AND ${AFTER('d', 1)} ORDER BY d.xid, d.seq LIMIT $3)`;
  });
  branches.push(
    `(SELECT e.uuid, NULL::jsonb AS doc, e.seq, e.xid, e.old_center AS center FROM scope_exits e
      WHERE e.collection = '${collection}' AND e.old_center = ANY($4::text[]) AND ${AFTER('e', 1)}
        AND NOT EXISTS (SELECT 1 FROM ${collection} d WHERE d.uuid = e.uuid AND d.center_id = ANY($4::text[]))
      ORDER BY e.xid, e.seq LIMIT $3)`,
  );
  return toRows(
    await sql.query<Row>(
      `SELECT c.uuid, CASE WHEN c.xid < h.horizon THEN c.doc END AS doc, c.seq, c.xid, c.center, c.xid < h.horizon AS released
       FROM (${branches.join(' UNION ALL ')}) AS c, ${HORIZON} h
       ORDER BY c.xid, c.seq LIMIT $3`,
      params,
    ),
  );
}

/** The documents of a collection that left a center with a write in (from, to]. */
export async function readExits(sql: Sql, collection: SyncCollection, from: Position, to: Position): Promise<{ uuid: string; center: string }[]> {
  if (!centered(collection)) return [];
  return sql.query<{ uuid: string; center: string }>(
    `SELECT e.uuid, e.old_center AS center FROM scope_exits e
     WHERE e.collection = $1 AND ${AFTER('e', 2)} AND (e.xid, e.seq) <= ($4::xid8, $5::bigint)`,
    [collection, String(from.xid), from.seq, String(to.xid), to.seq],
  );
}

/**
 * Where a collection's history stands for a reader starting now: the last position below the horizon (`ORIGIN`
 * before the first change), and whether committed changes after it are held back.
 */
export async function releasedEnd(sql: Sql, collection: SyncCollection): Promise<{ position: Position; held: boolean }> {
  const [row] = await sql.query<{ xid: string | null; seq: string | null; held: boolean }>(
    `SELECT l.xid, l.seq, EXISTS (SELECT 1 FROM ${collection} d WHERE d.xid >= h.horizon) AS held
     FROM ${HORIZON} h
     LEFT JOIN LATERAL (SELECT d.xid, d.seq FROM ${collection} d WHERE d.xid < h.horizon ORDER BY d.xid DESC, d.seq DESC LIMIT 1) l ON true`,
  );
  const position = row?.seq == null ? ORIGIN : { xid: Number(row.xid), seq: Number(row.seq) };
  return { position, held: row?.held ?? false };
}

/** Documents as the wire carries them: a document's state, or `{uuid, _deleted: true}` for one that left. */
export const wireChanges = (rows: ChangeRow[]) =>
  rows.map((row) => (row.doc ? toWireDocument(row.doc) : { uuid: row.uuid, _deleted: true }));

/** The checkpoint a client keeps for a position. */
export const checkpointAt = (position: Position, history?: History): SyncCheckpoint => ({ seq: position.seq, xid: position.xid, ...history });

/** At most `limit` changes after `after`, in position order, for this scope. */
export async function readChanges(sql: Sql, collection: SyncCollection, after: Position, limit: number, history?: History, scope?: Scope): Promise<ChangeBatch & { held: boolean }> {
  const { rows, held } = await readChangeRows(sql, collection, after, limit, scope);
  const last = rows.at(-1);
  return { documents: wireChanges(rows), checkpoint: checkpointAt(last ?? after, history), held };
}

/**
 * How long a pull waits, at most, for changes held back by older transactions that have not ended yet. Writes take
 * milliseconds, so a device that pulls right after a write (its own push, say) normally gets it; a transaction that
 * runs longer only delays the changes behind it, which the stream then delivers.
 */
export const PULL_WAIT_MS = 1_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A pull from a client's checkpoint. A checkpoint from another history (./epoch.ts) is answered from the start,
 * marked `restarted`: the client merges what it pulls by field time and sends what this database lacks.
 */
export async function pullChanges(
  sql: Sql,
  collection: SyncCollection,
  from: { seq: number; xid?: number; epoch?: string; generation: number },
  limit: number,
  scope?: Scope,
  waitMs = PULL_WAIT_MS,
): Promise<ChangeBatch> {
  const history = await currentHistory(sql);
  const foreign =
    (from.epoch !== undefined && from.epoch !== history.epoch) ||
    from.generation > history.generation ||
    ((from.seq > 0 || (from.xid ?? 0) > 0) && (await beyondHistory(sql, collection, positionOf(from))));
  const start = foreign ? ORIGIN : positionOf(from);
  let batch = await readChanges(sql, collection, start, limit, history, scope);
  for (let waited = 0, step = 2; batch.held && batch.documents.length < limit && waited < waitMs; waited += step, step = Math.min(step * 2, 100)) {
    await pause(step);
    batch = await readChanges(sql, collection, start, limit, history, scope);
  }
  const { held: _held, ...answer } = batch;
  return foreign ? { ...answer, restarted: true } : answer;
}

/**
 * Whether a position is past anything this database has handed out: past the last seq its sequence issued, or at
 * a transaction later than any of its rows'. A client holding one learned it from another history (a newer copy of
 * a database restored from an older backup).
 */
async function beyondHistory(sql: Sql, collection: SyncCollection, position: Position): Promise<boolean> {
  const [row] = await sql.query<{ seq: string | null; xid: string | null }>(
    `SELECT pg_sequence_last_value('${collection}_seq') AS seq, (SELECT xid FROM ${collection} ORDER BY xid DESC LIMIT 1) AS xid`,
  );
  return position.seq > Number(row?.seq ?? 0) || position.xid > Number(row?.xid ?? 0);
}
