// Post-sync verification (../../../shared/spec/sync.md "When sync runs"), as CommCare does with its case-state hash:
// after a full cycle, this device and the server compare a digest of the records (ids, deletion flags, edit times)
// bucket by bucket. Where a bucket differs, the device fetches the server's documents of that bucket and repairs:
// what the server holds newer is applied here as a pull would apply it; what this device holds newer, or the server
// lacks, is sent again.
import type { RxCollection } from 'rxdb';
import { mergeByFieldTime, type SyncedDoc } from '../../shared/merge';
import { BucketDigest, bucketOf, differingBuckets, fingerprint } from '../../shared/sync-digest';
import { changeBatch, SYNC_BASE, type SyncCollection } from '../../shared/sync-protocol';
import type { SyncHttp } from './http';

type Doc = Record<string, unknown> & { uuid: string; last_modified_time: string };

export interface VerifyTarget {
  name: SyncCollection;
  collection: RxCollection;
  /** Applies the server's documents here, as a pull would (merged by edit time). */
  apply(documents: Doc[]): Promise<void>;
  /** Sends this device's copies of these documents again. */
  resend(ids: string[]): Promise<void>;
}

export interface VerifyOutcome {
  /** Buckets whose digests differed. */
  buckets: number;
  /** Documents repaired: applied from the server or sent again. */
  repaired: number;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

export async function verifyCollection(http: SyncHttp, target: VerifyTarget, repair: boolean): Promise<VerifyOutcome> {
  const local = new Map<string, Doc>();
  const digest = new BucketDigest();
  for (const doc of await target.collection.find().exec()) {
    const data = doc.toJSON() as Doc;
    local.set(data.uuid, data);
    digest.add(data);
  }
  const server = (await http.get(`${SYNC_BASE}/${target.name}/digest`)) as { buckets: Record<string, string> };
  const differing = differingBuckets(digest.buckets(), server.buckets ?? {});
  if (!repair || differing.length === 0) return { buckets: differing.length, repaired: 0 };

  let repaired = 0;
  for (const bucket of differing) {
    const answer = changeBatch.pick({ documents: true }).parse(await http.get(`${SYNC_BASE}/${target.name}/bucket?b=${encodeURIComponent(bucket)}`));
    const theirs = new Map(answer.documents.map((doc) => [doc.uuid, doc as unknown as Doc]));
    const apply: Doc[] = [];
    const resend: string[] = [];
    for (const [uuid, doc] of theirs) {
      const mine = local.get(uuid);
      if (mine && sameBytes(fingerprint(mine), fingerprint(doc))) continue;
      if (!mine || !(mine as unknown as SyncedDoc).sync) {
        apply.push(doc);
        continue;
      }
      const merged = mergeByFieldTime(undefined, mine as unknown as SyncedDoc, doc as unknown as SyncedDoc).merged;
      const mineNewer = JSON.stringify(merged.sync) !== JSON.stringify((doc as unknown as SyncedDoc).sync);
      const theirsNewer = JSON.stringify(merged.sync) !== JSON.stringify((mine as unknown as SyncedDoc).sync);
      if (theirsNewer) apply.push(doc);
      else if (mineNewer) resend.push(uuid);
    }
    for (const [uuid] of local) if (bucketOf(uuid) === bucket && !theirs.has(uuid)) resend.push(uuid);
    if (apply.length > 0) await target.apply(apply);
    if (resend.length > 0) await target.resend(resend);
    repaired += apply.length + resend.length;
  }
  return { buckets: differing.length, repaired };
}
