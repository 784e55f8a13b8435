// The keys transactions lock (advisory locks on the server; the desktop runs its transactions one at a time). Keys
// fall into a fixed number of buckets, so a transaction that touches thousands of learners (an import) takes at most
// that many locks; two writers of different learners rarely share a bucket, and then merely wait for each other.
const BUCKETS = 256;

function bucket(key: string): number {
  // FNV-1a: cheap, stable on every host.
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % BUCKETS;
}

/** Every write of a learner or of their profile (creates, updates, the archive cascade, sync pushes). */
export const learnerLock = (learnerId: string) => `learner:${bucket(learnerId)}`;

/** Whoever makes a live learner take an email: creates, updates, imports, sync pushes. */
export const emailLock = (email: string) => `email:${bucket(email)}`;

/** The locks of many keys, each once, in one order for every taker (so two of them never wait on each other). */
export const locksFor = (keys: Iterable<string>) => [...new Set(keys)].sort();
