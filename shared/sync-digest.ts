// The digest a device and the server compare after a sync cycle (../spec/sync.md, post-sync verification): for each
// bucket of documents (by the first character of their id), the XOR of every document's fingerprint, where a
// fingerprint covers what sync must agree on: the id, the deletion flag and the edit times. XOR, so a digest can be
// kept current one document at a time, in any order.
import { sha256 } from '@noble/hashes/sha2.js';

export interface Fingerprinted {
  uuid: string;
  is_deleted?: unknown;
  last_modified_time?: unknown;
  sync?: { times?: Record<string, string> };
}

const encoder = new TextEncoder();
const FINGERPRINT_BYTES = 16;

/** Sorted keys, so every host writes the same text for the same times. */
const canonicalTimes = (times: Record<string, string> | undefined) =>
  JSON.stringify(Object.keys(times ?? {}).sort().map((field) => [field, times![field]]));

export function fingerprint(doc: Fingerprinted): Uint8Array {
  // Documents without edit times (the server-authored catalog) are told apart by their last change.
  const version = doc.sync?.times ? canonicalTimes(doc.sync.times) : String(doc.last_modified_time ?? '');
  return sha256(encoder.encode(`${doc.uuid}\n${doc.is_deleted === true}\n${version}`)).subarray(0, FINGERPRINT_BYTES);
}

export const bucketOf = (uuid: string) => uuid.slice(0, 1);

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Bucket → XOR of its documents' fingerprints (empty buckets left out), and how many documents in all. */
export class BucketDigest {
  readonly #buckets = new Map<string, Uint8Array>();
  #count = 0;

  toggle(uuid: string, print: Uint8Array, direction: 1 | -1): void {
    const key = bucketOf(uuid);
    const bucket = this.#buckets.get(key) ?? new Uint8Array(FINGERPRINT_BYTES);
    for (let i = 0; i < FINGERPRINT_BYTES; i++) bucket[i]! ^= print[i]!;
    this.#buckets.set(key, bucket);
    this.#count += direction;
  }

  add(doc: Fingerprinted): void {
    this.toggle(doc.uuid, fingerprint(doc), 1);
  }

  get count(): number {
    return this.#count;
  }

  buckets(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, bytes] of [...this.#buckets.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (bytes.some((b) => b !== 0)) out[key] = hex(bytes);
    }
    return out;
  }
}

/** The buckets whose digests differ between two sides. */
export function differingBuckets(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => a[key] !== b[key]).sort();
}
