// Dating edits: every write a person makes (through the contract's operations, on the server or a device) gives the
// fields it changes a new edit time from the host's hybrid clock, and names the host. Sync merges by those times
// (./merge.ts). Writes that come from sync itself are not edits and are not dated again.
import isEqual from 'fast-deep-equal';
import type { HybridClock } from './hlc';
import { UNMERGED_FIELDS, type SyncAttribute } from './merge';
import type { WriteStore } from './repository';

export interface EditClock {
  /** A new edit time, later than every time this host issued or saw. */
  tick(): string;
  /** A time this editor has seen: its next edit comes after it. */
  observe(time: string | undefined): void;
  /** The node id in the times this clock issues. */
  readonly node: string;
  /** The name people know this editor by (a device's name, or an API token's). */
  readonly name: string;
  /** The API token's name its records are signed with (`modified_by`), where this editor has one. */
  readonly signature?: string;
}

/** The clock of one editor on a host whose hybrid clock many editors share (the server's API tokens). */
export const editorClock = (clock: HybridClock, node: string, name: string, signature?: string): EditClock => ({
  tick: () => clock.tick(node),
  observe: (time) => clock.observe(time),
  node,
  name,
  signature,
});

type Stamped = Record<string, unknown> & { sync?: SyncAttribute };

/** `next` with the fields that differ from `previous` dated `time` by this editor; unchanged fields keep theirs. */
export function stampEdit<T extends Stamped>(previous: T | undefined, next: T, time: string, clock: EditClock): T {
  const times: Record<string, string> = { ...(previous?.sync?.times ?? {}) };
  const fields = new Set([...Object.keys(next), ...Object.keys(previous ?? {})]);
  let changed = false;
  for (const field of fields) {
    if (UNMERGED_FIELDS.has(field)) continue;
    if (previous && isEqual(previous[field], next[field])) continue;
    times[field] = time;
    changed = true;
  }
  if (!changed && previous?.sync) return { ...next, sync: previous.sync };
  const nodes = new Set(Object.values(times).map((t) => t.slice(30)));
  const by: Record<string, string> = {};
  for (const [node, name] of Object.entries({ ...(previous?.sync?.by ?? {}), [clock.node]: clock.name })) if (nodes.has(node)) by[node] = name;
  return { ...next, sync: { times, by } };
}

/**
 * A transaction's store whose puts of learners and profiles are dated edits: each is compared with the version the
 * transaction read (or the stored one) and its changed fields get this editor's next time.
 */
export function stampingStore(tx: WriteStore, clock: EditClock): WriteStore {
  const seen = new Map<string, Stamped | undefined>();
  const remember = <T extends { uuid: string }>(kind: string, docs: T[]) => {
    for (const doc of docs) if (!seen.has(`${kind}:${doc.uuid}`)) seen.set(`${kind}:${doc.uuid}`, structuredClone(doc) as unknown as Stamped);
    return docs;
  };
  /** One document read by id; an absent one is remembered too, so that creating it reads nothing again. */
  const rememberedOne = <T extends { uuid: string }>(kind: string, uuid: string) => async (doc: T | undefined) => {
    if (doc) return remember(kind, [doc])[0];
    if (!seen.has(`${kind}:${uuid}`)) seen.set(`${kind}:${uuid}`, undefined);
    return doc;
  };
  async function dated<T extends { uuid: string }>(kind: string, docs: readonly T[], read: (uuids: string[]) => Promise<T[]>): Promise<T[]> {
    const unknown = docs.map((doc) => doc.uuid).filter((uuid) => !seen.has(`${kind}:${uuid}`));
    if (unknown.length > 0) {
      const found = new Map((await read(unknown)).map((doc) => [doc.uuid, doc]));
      for (const uuid of unknown) seen.set(`${kind}:${uuid}`, found.get(uuid) as unknown as Stamped | undefined);
    }
    // An edit is later than the version it replaces, even where another host (a server process, a device with a
    // clock slightly ahead) dated that version.
    for (const doc of docs) for (const time of Object.values(seen.get(`${kind}:${doc.uuid}`)?.sync?.times ?? {})) clock.observe(time);
    const time = clock.tick();
    return docs.map((doc) => {
      const stamped = stampEdit(seen.get(`${kind}:${doc.uuid}`), doc as unknown as Stamped, time, clock);
      // A learner or profile says who last wrote it.
      const next = (clock.signature === undefined ? stamped : { ...stamped, modified_by: clock.signature }) as unknown as T;
      seen.set(`${kind}:${doc.uuid}`, structuredClone(next) as unknown as Stamped);
      // The caller's own object becomes what is stored, so its answer shows the record as written (who signed it).
      Object.assign(doc, next);
      return next;
    });
  }
  const overrides: Partial<WriteStore> = {
    getLearner: (uuid: string) => tx.getLearner(uuid).then(rememberedOne('learner', uuid)),
    getLearners: async (uuids) => remember('learner', await tx.getLearners(uuids)),
    findLearnersByEmail: async (email) => remember('learner', await tx.findLearnersByEmail(email)),
    findLearnersByEmails: async (emails) => remember('learner', await tx.findLearnersByEmails(emails)),
    getProfile: (uuid) => tx.getProfile(uuid).then(rememberedOne('profile', uuid)),
    getProfiles: async (uuids) => remember('profile', await tx.getProfiles(uuids)),
    putLearner: async (doc) => tx.putLearner((await dated('learner', [doc], (uuids) => tx.getLearners(uuids)))[0]!),
    putLearners: async (docs) => tx.putLearners(await dated('learner', docs, (uuids) => tx.getLearners(uuids))),
    putProfile: async (doc) => tx.putProfile((await dated('profile', [doc], (uuids) => tx.getProfiles(uuids)))[0]!),
    putProfiles: async (docs) => tx.putProfiles(await dated('profile', docs, (uuids) => tx.getProfiles(uuids))),
  };
  // Everything else as the transaction's own (bound, whether its methods are fields or on its prototype).
  return new Proxy(tx, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof WriteStore];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A patch of some fields applied to the latest version of a document: their edit times come with them; every other
 * field keeps its own (a pull may have changed it since the patch was made).
 */
export function applyPatch<T extends Record<string, unknown>>(latest: T, patch: Record<string, unknown>): T {
  const next = { ...latest, ...patch } as T;
  const mine = patch.sync as SyncAttribute | undefined;
  const theirs = latest.sync as SyncAttribute | undefined;
  if (!mine || !theirs) return next;
  const times = { ...theirs.times };
  for (const field of Object.keys(patch)) if (field !== 'sync' && mine.times[field]) times[field] = mine.times[field];
  const nodes = new Set(Object.values(times).map((t) => t.slice(30)));
  const by: Record<string, string> = {};
  for (const [node, name] of Object.entries({ ...theirs.by, ...mine.by })) if (nodes.has(node)) by[node] = name;
  return { ...next, sync: { times, by } };
}
