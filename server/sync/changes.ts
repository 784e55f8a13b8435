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
import type { Sql } from '../db/database';
import { currentHistory, type History } from './epoch';

/** At most `limit` documents changed after `after`, oldest change first. */
export async function readChanges(sql: Sql, collection: SyncCollection, after: number, limit: number, history?: History): Promise<ChangeBatch> {
  const rows = await sql.query<{ doc: Record<string, unknown>; seq: string }>(
    `SELECT doc, seq FROM ${collection} WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [after, limit],
  );
  const last = rows.at(-1);
  return {
    documents: rows.map((row) => toWireDocument(row.doc)),
    // bigint arrives as a string; seqs stay far below 2^53 (one per write).
    checkpoint: { seq: last ? Number(last.seq) : after, ...history },
  };
}

/**
 * A pull from a client's checkpoint. A checkpoint from another history (./epoch.ts) is answered from the start,
 * marked `restarted`: the client merges what it pulls by field time and sends what this database lacks.
 */
export async function pullChanges(sql: Sql, collection: SyncCollection, from: { seq: number; epoch?: string; generation: number }, limit: number): Promise<ChangeBatch> {
  const history = await currentHistory(sql);
  const foreign =
    (from.epoch !== undefined && from.epoch !== history.epoch) ||
    from.generation > history.generation ||
    (from.seq > 0 && from.seq > (await latestSeq(sql, collection)));
  const batch = await readChanges(sql, collection, foreign ? 0 : from.seq, limit, history);
  return foreign ? { ...batch, restarted: true } : batch;
}

/** The seq of the collection's latest committed change (0 before the first). */
export async function latestSeq(sql: Sql, collection: SyncCollection): Promise<number> {
  const [row] = await sql.query<{ seq: string | null }>(`SELECT max(seq) AS seq FROM ${collection}`);
  return Number(row?.seq ?? 0);
}
