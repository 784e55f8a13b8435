// The service's repository over the local RxDB database.
//
// Transactions run one at a time in this process (rules such as one profile per learner need no more). Sync writes
// pulled documents concurrently, outside that queue, so a transaction's writes are applied as per-document patches
// of the fields it changed, each atomically on the latest stored version (RxDB's incrementalModify): a field changed
// here wins, a field changed by a pull meanwhile is kept. A transaction that writes several documents first records
// its patches in a local document and clears it after; if the process dies in between, the patches are applied again
// when the database opens, so a cascade (or an import) is never left half done. Large transactions are written in
// chunks of bulk writes, reporting after each, so the main process is never held for long.
import isEqual from 'fast-deep-equal';
import { applyPatch, stampingStore, type EditClock } from '../../shared/edits';
import type { RxCollection } from 'rxdb';
import type { Page, ReadStore, Repository, TransactionOptions, WriteStore } from '../../shared/repository';
import type { StoredAchievement } from '../../shared/schemas/achievement';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import type { AchievementListQuery, LearnerListQuery, ProfileListQuery } from '../../shared/schemas/queries';
import type { AppDatabase, CollectionName } from './database';

const PENDING_WRITES = 'pending-writes';

interface Write {
  collection: CollectionName;
  uuid: string;
  /** The whole document when it is new; otherwise only the fields that changed. */
  insert?: Record<string, unknown>;
  patch?: Record<string, unknown>;
}

type AnyCollection = RxCollection<Record<string, unknown>>;

const plain = <T>(doc: { toMutableJSON(withMeta?: false): unknown } | null | undefined) =>
  (doc ? doc.toMutableJSON(false) : undefined) as T | undefined;

type Query = Parameters<AnyCollection['find']>[0] & { selector: Record<string, unknown> };

function reads(db: AppDatabase): ReadStore {
  const all = async <T>(collection: AnyCollection, query: Query) =>
    (await collection.find(query).exec()).map((doc) => doc.toMutableJSON(false) as T);
  const byIds = async <T>(collection: AnyCollection, uuids: readonly string[]) =>
    [...(await collection.findByIds([...new Set(uuids)]).exec()).values()].map((doc) => doc.toMutableJSON(false) as T);
  const page = async <T>(collection: AnyCollection, query: Query & { skip: number; limit: number }): Promise<Page<T>> => {
    const [records, total] = await Promise.all([all<T>(collection, query), collection.count({ selector: query.selector }).exec()]);
    return { records, total };
  };
  const archived = (fetchArchive: boolean | undefined) => (fetchArchive === undefined ? {} : { is_archived: fetchArchive });
  const learners = db.learners as unknown as AnyCollection;
  const profiles = db.learner_profiles as unknown as AnyCollection;
  const achievements = db.achievements as unknown as AnyCollection;

  return {
    getLearner: async (uuid) => plain(await db.learners.findOne(uuid).exec()),
    getLearners: (uuids) => byIds<StoredLearner>(learners, uuids),
    findLearnersByEmail: (email) =>
      all(learners, { selector: { email_address: email, is_deleted: false }, sort: [{ created_time: 'asc' }] }),
    findLearnersByEmails: (emails) =>
      all(learners, { selector: { email_address: { $in: [...emails] }, is_deleted: false }, sort: [{ created_time: 'asc' }] }),
    findLearnersByFirstName: (firstName) =>
      all(learners, { selector: { is_deleted: false, first_name: firstName }, sort: [{ created_time: 'asc' }] }),
    listLearners: (query: LearnerListQuery) => {
      const direction = query.sort_order === 'ascending' ? 'asc' : 'desc';
      return page<StoredLearner>(learners, {
        selector: { is_deleted: false, ...archived(query.fetch_archive) },
        sort: [{ [query.sort_by]: direction }, { uuid: direction }],
        skip: query.skip,
        limit: query.limit,
      });
    },
    getProfile: async (uuid) => plain(await db.learner_profiles.findOne(uuid).exec()),
    getProfiles: (uuids) => byIds<StoredProfile>(profiles, uuids),
    listProfiles: (query: ProfileListQuery) =>
      page<StoredProfile>(profiles, {
        selector: {
          is_deleted: false,
          ...archived(query.fetch_archive),
          ...(query.learning_goal === undefined ? {} : { learning_goals: { $elemMatch: { $eq: query.learning_goal } } }),
        },
        sort: [{ created_time: 'desc' }, { uuid: 'desc' }],
        skip: query.skip,
        limit: query.limit,
      }),
    findProfilesWithAchievement: (achievementId) =>
      all(profiles, { selector: { is_deleted: false, achievements: { $elemMatch: { $eq: achievementId } } }, sort: [{ uuid: 'asc' }] }),
    getAchievement: async (uuid) => plain(await db.achievements.findOne(uuid).exec()),
    getAchievements: (uuids) => byIds<StoredAchievement>(achievements, uuids),
    listAchievements: (query: AchievementListQuery) =>
      page<StoredAchievement>(achievements, {
        selector: {
          is_deleted: false,
          ...archived(query.fetch_archive),
          ...(query.name === undefined ? {} : { name: query.name }),
          ...(query.achievement_type === undefined ? {} : { type: query.achievement_type }),
          ...(query.tag === undefined ? {} : { tags: { $elemMatch: { $eq: query.tag } } }),
        },
        sort: [{ created_time: 'desc' }, { uuid: 'desc' }],
        skip: query.skip,
        limit: query.limit,
      }),
    findAchievementsByType: (type) =>
      all(achievements, { selector: { is_deleted: false, type }, sort: [{ created_time: 'desc' }, { uuid: 'desc' }] }),
  };
}

/** Applies one write to the latest stored version. Idempotent, so a recovered write may run twice. */
async function apply(db: AppDatabase, write: Write): Promise<void> {
  const collection = db[write.collection] as unknown as AnyCollection;
  const current = await collection.findOne(write.uuid).exec();
  if (current) {
    const changes = write.patch ?? write.insert!;
    await current.incrementalModify((latest) => applyPatch(latest, changes));
  } else {
    await collection.insert({ ...(write.insert ?? write.patch) });
  }
}

/** Writes per bulk call: large enough to be quick, small enough that the main process answers in between. */
const APPLY_CHUNK = 250;

/** Applies writes a chunk at a time: new documents in one bulk insert per chunk, the others one by one. */
async function applyChunked(db: AppDatabase, writes: Write[], onWrite?: TransactionOptions['onWrite']): Promise<void> {
  for (let start = 0; start < writes.length; start += APPLY_CHUNK) {
    const chunk = writes.slice(start, start + APPLY_CHUNK);
    for (const name of ['learners', 'learner_profiles', 'achievements'] as const) {
      const mine = chunk.filter((write) => write.collection === name);
      if (mine.length === 0) continue;
      const collection = db[name] as unknown as AnyCollection;
      const present = await collection.findByIds(mine.map((write) => write.uuid)).exec();
      const inserts = mine.filter((write) => !present.has(write.uuid) && write.insert);
      const { error } = inserts.length > 0 ? await collection.bulkInsert(inserts.map((write) => ({ ...write.insert! }))) : { error: [] };
      // A document that appeared meanwhile (a pull) is merged like any other write.
      const failed = new Set(error.map((e) => e.documentId));
      for (const write of mine) if (present.has(write.uuid) || !write.insert || failed.has(write.uuid)) await apply(db, write);
    }
    await onWrite?.(Math.min(start + APPLY_CHUNK, writes.length), writes.length);
  }
}

/** Told of every write to a replicated collection before it is applied (sync's outbox). */
export type BeforeWrite = (changes: { collection: 'learners' | 'learner_profiles'; uuid: string; last_modified_time: string }[]) => Promise<void>;

async function applyAll(db: AppDatabase, writes: Write[], beforeWrite?: BeforeWrite, onWrite?: TransactionOptions['onWrite']): Promise<void> {
  if (writes.length === 0) return;
  if (beforeWrite) {
    await beforeWrite(
      writes.flatMap((write) =>
        write.collection === 'achievements'
          ? []
          : [{ collection: write.collection, uuid: write.uuid, last_modified_time: String((write.insert ?? write.patch)!.last_modified_time) }],
      ),
    );
  }
  if (writes.length === 1) {
    await apply(db, writes[0]!);
    return void (await onWrite?.(1, 1));
  }
  await db.upsertLocal(PENDING_WRITES, { writes });
  await applyChunked(db, writes, onWrite);
  await (await db.getLocal(PENDING_WRITES))?.remove();
}

class Transaction implements WriteStore {
  /** What each document looked like when this transaction first saw it (undefined: it did not exist). */
  private readonly seen = new Map<string, Record<string, unknown> | undefined>();
  private readonly written = new Map<string, { collection: CollectionName; doc: Record<string, unknown> }>();
  private readonly committed: ReadStore;

  constructor(committed: ReadStore) {
    this.committed = committed;
  }

  private async get<T>(collection: CollectionName, uuid: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    const key = `${collection}/${uuid}`;
    const own = this.written.get(key);
    if (own) return structuredClone(own.doc) as T;
    const doc = await read();
    if (!this.seen.has(key)) this.seen.set(key, doc as Record<string, unknown> | undefined);
    return doc;
  }

  private async put(collection: CollectionName, doc: { uuid: string }): Promise<void> {
    await this.putMany(collection, [doc]);
  }

  /** Records what each new document replaces (one read for all of them), then the documents themselves. */
  private async putMany(collection: CollectionName, docs: readonly { uuid: string }[]): Promise<void> {
    const key = (uuid: string) => `${collection}/${uuid}`;
    const unseen = docs.map((doc) => doc.uuid).filter((uuid) => !this.written.has(key(uuid)) && !this.seen.has(key(uuid)));
    if (unseen.length > 0) {
      const read = { learners: this.committed.getLearners, learner_profiles: this.committed.getProfiles, achievements: this.committed.getAchievements }[collection];
      const found = new Map((await read(unseen)).map((doc) => [doc.uuid, doc as Record<string, unknown>]));
      for (const uuid of unseen) this.seen.set(key(uuid), found.get(uuid));
    }
    for (const doc of docs) this.written.set(key(doc.uuid), { collection, doc: structuredClone(doc) as unknown as Record<string, unknown> });
  }

  /** Many gets at once: this transaction's own writes, else what is stored. */
  private async getMany<T extends { uuid: string }>(collection: CollectionName, uuids: readonly string[], read: (uuids: readonly string[]) => Promise<T[]>): Promise<T[]> {
    const key = (uuid: string) => `${collection}/${uuid}`;
    const own = uuids.flatMap((uuid) => {
      const written = this.written.get(key(uuid));
      return written ? [structuredClone(written.doc) as unknown as T] : [];
    });
    const stored = await read(uuids.filter((uuid) => !this.written.has(key(uuid))));
    for (const doc of stored) if (!this.seen.has(key(doc.uuid))) this.seen.set(key(doc.uuid), structuredClone(doc) as unknown as Record<string, unknown>);
    return [...own, ...stored];
  }

  writes(): Write[] {
    return [...this.written.entries()].map(([key, { collection, doc }]) => {
      const before = this.seen.get(key);
      const uuid = doc.uuid as string;
      if (!before) return { collection, uuid, insert: doc };
      const patch = Object.fromEntries(Object.entries(doc).filter(([field, value]) => !isEqual(before[field], value)));
      return { collection, uuid, patch };
    });
  }

  // Transactions already run one at a time in this process: there is nothing to lock.
  lock = async () => {};
  getLearner = (uuid: string) => this.get('learners', uuid, () => this.committed.getLearner(uuid));
  getProfile = (uuid: string) => this.get('learner_profiles', uuid, () => this.committed.getProfile(uuid));
  getAchievement = (uuid: string) => this.get('achievements', uuid, () => this.committed.getAchievement(uuid));
  getLearners = (uuids: readonly string[]) => this.getMany('learners', uuids, this.committed.getLearners);
  getProfiles = (uuids: readonly string[]) => this.getMany('learner_profiles', uuids, this.committed.getProfiles);
  getAchievements = (uuids: readonly string[]) => this.getMany('achievements', uuids, this.committed.getAchievements);
  findLearnersByEmail = (email: string) => this.committed.findLearnersByEmail(email);
  findLearnersByEmails = (emails: readonly string[]) => this.committed.findLearnersByEmails(emails);
  findLearnersByFirstName = (firstName: string) => this.committed.findLearnersByFirstName(firstName);
  listLearners = (query: LearnerListQuery) => this.committed.listLearners(query);
  listProfiles = (query: ProfileListQuery) => this.committed.listProfiles(query);
  findProfilesWithAchievement = (achievementId: string) => this.committed.findProfilesWithAchievement(achievementId);
  listAchievements = (query: AchievementListQuery) => this.committed.listAchievements(query);
  findAchievementsByType = (type: StoredAchievement['type']) => this.committed.findAchievementsByType(type);
  putLearner = (doc: { uuid: string }) => this.put('learners', doc);
  putProfile = (doc: { uuid: string }) => this.put('learner_profiles', doc);
  putAchievement = (doc: { uuid: string }) => this.put('achievements', doc);
  putLearners = (docs: readonly { uuid: string }[]) => this.putMany('learners', docs);
  putProfiles = (docs: readonly { uuid: string }[]) => this.putMany('learner_profiles', docs);
  putAchievements = (docs: readonly { uuid: string }[]) => this.putMany('achievements', docs);
}

export interface LocalRepository extends Repository {
  /** Finishes a multi-document transaction that a crash interrupted. Run once when the database opens. */
  recover(): Promise<boolean>;
}

/** With an `editor`, every write of a learner or profile is a dated edit of this device (sync merges by those dates). */
export function createRxRepository(db: AppDatabase, beforeWrite?: BeforeWrite, editor?: EditClock): LocalRepository {
  const committed = reads(db);
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  };

  return {
    ...committed,
    transaction: (work, options = {}) =>
      exclusive(async () => {
        const tx = new Transaction(committed);
        const result = await work(editor ? stampingStore(tx, editor) : tx);
        await applyAll(db, tx.writes(), beforeWrite, options.onWrite);
        return result;
      }),
    recover: () =>
      exclusive(async () => {
        const pending = await db.getLocal<{ writes: Write[] }>(PENDING_WRITES);
        if (!pending) return false;
        const { writes } = pending.toJSON().data;
        await applyChunked(db, writes as Write[]);
        await pending.remove();
        return true;
      }),
    close: async () => {
      await db.close();
    },
  };
}
