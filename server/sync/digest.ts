// The server's side of post-sync verification: each collection's bucket digests (../../shared/sync-digest.ts), kept
// current per process from the change history (a document's new version replaces its old fingerprint), and the
// documents of one bucket, for a device to repair what differs.
import { BucketDigest, bucketOf, fingerprint, type Fingerprinted } from '../../shared/sync-digest';
import { toWireDocument, type SyncCollection, type WireDocument } from '../../shared/sync-protocol';
import type { Scope } from '../../shared/repository';
import type { Sql } from '../db/database';
import { ORIGIN, type Position } from './changes';

interface CollectionDigest {
  digest: BucketDigest;
  prints: Map<string, Uint8Array>;
  /** Every change up to here is in the digest. */
  position: Position;
}

export class DigestCache {
  readonly #collections = new Map<SyncCollection, Promise<CollectionDigest>>();

  /** A scope's digest is made afresh from its centers' rows (a center is small); every center's is kept current. */
  async digest(sql: Sql, collection: SyncCollection, scope?: Scope): Promise<{ buckets: Record<string, string>; count: number }> {
    if (scope && !scope.admin && collection !== 'achievements') {
      const digest = new BucketDigest();
      const rows = await sql.query<{ uuid: string; is_deleted: boolean; last_modified_time: string; times: Record<string, string> | null }>(
        `SELECT uuid, is_deleted, doc->>'last_modified_time' AS last_modified_time, doc->'sync'->'times' AS times
         FROM ${collection} WHERE center_id = ANY($1::text[])`,
        [[...scope.centers]],
      );
      for (const row of rows) digest.add({ uuid: row.uuid, is_deleted: row.is_deleted, last_modified_time: row.last_modified_time, ...(row.times ? { sync: { times: row.times } } : {}) });
      return { buckets: digest.buckets(), count: digest.count };
    }
    let entry = this.#collections.get(collection);
    if (!entry) {
      entry = Promise.resolve({ digest: new BucketDigest(), prints: new Map(), position: ORIGIN });
      this.#collections.set(collection, entry);
    }
    // One catch-up at a time per collection: concurrent requests wait for the same one.
    const next = entry.then(async (current) => {
      for (;;) {
        // In the order pull reads changes, and as far as it would (./changes.ts): a change held back now is
        // read at a later catch-up, never passed over.
        const rows = await sql.query<{ seq: string; xid: string; uuid: string; is_deleted: boolean; last_modified_time: string; times: Record<string, string> | null }>(
          `SELECT d.seq, d.xid, d.uuid, d.is_deleted, d.doc->>'last_modified_time' AS last_modified_time, d.doc->'sync'->'times' AS times
           FROM ${collection} d, (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h
           WHERE (d.xid, d.seq) > ($1::xid8, $2::bigint) AND d.xid < h.horizon ORDER BY d.xid, d.seq LIMIT 5000`,
          [String(current.position.xid), current.position.seq],
        );
        for (const row of rows) {
          const old = current.prints.get(row.uuid);
          if (old) current.digest.toggle(row.uuid, old, -1);
          const doc: Fingerprinted = { uuid: row.uuid, is_deleted: row.is_deleted, last_modified_time: row.last_modified_time, ...(row.times ? { sync: { times: row.times } } : {}) };
          const print = fingerprint(doc);
          current.prints.set(row.uuid, print);
          current.digest.toggle(row.uuid, print, 1);
          current.position = { xid: Number(row.xid), seq: Number(row.seq) };
        }
        if (rows.length < 5000) return current;
      }
    });
    this.#collections.set(collection, next.catch(() => entry!));
    const done = await next;
    return { buckets: done.digest.buckets(), count: done.digest.count };
  }
}

/** Every document of a bucket (of the scope's centers), as pull sends them. */
export async function bucketDocuments(sql: Sql, collection: SyncCollection, bucket: string, scope?: Scope): Promise<WireDocument[]> {
  const scoped = scope && !scope.admin && collection !== 'achievements';
  const rows = await sql.query<{ doc: Record<string, unknown> }>(
    `SELECT doc FROM ${collection} WHERE left(uuid, 1) = $1${scoped ? ' AND center_id = ANY($2::text[])' : ''} ORDER BY uuid`,
    scoped ? [bucket, [...scope.centers]] : [bucket],
  );
  return rows.map((row) => toWireDocument(row.doc)).filter((doc) => bucketOf(String(doc.uuid)) === bucket);
}
