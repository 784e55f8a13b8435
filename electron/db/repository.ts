// The service's repository over the local RxDB database.
//
// Transactions run one at a time in this process (rules such as one profile per learner need no more). Sync writes
// pulled documents concurrently, outside that queue, so a transaction's writes are applied as per-document patches
// of the fields it changed, each atomically on the latest stored version (RxDB's incrementalModify): a field changed
// here wins, a field changed by a pull meanwhile is kept. A transaction that writes several documents first records
// its patches in a local document and clears it after; if the process dies in between, the patches are applied again
// when the database opens, so a cascade is never left half done.
import isEqual from 'fast-deep-equal';
import type { RxCollection } from 'rxdb';
import type { ReadStore, Repository, WriteStore } from '../../shared/repository';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { LearnerListQuery, ProfileListQuery } from '../../shared/schemas/queries';
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

function reads(db: AppDatabase): ReadStore {
  const all = async <T>(collection: AnyCollection, query: Parameters<AnyCollection['find']>[0]) =>
    (await collection.find(query).exec()).map((doc) => doc.toMutableJSON(false) as T);
  const learners = db.learners as unknown as AnyCollection;
  const profiles = db.learner_profiles as unknown as AnyCollection;
  const achievements = db.achievements as unknown as AnyCollection;

  return {
    getLearner: async (uuid) => plain(await db.learners.findOne(uuid).exec()),
    findLearnersByEmail: (email) =>
      all(learners, { selector: { email_address: email, is_deleted: false }, sort: [{ created_time: 'asc' }] }),
    findLearnersByFirstName: (firstName) =>
      all(learners, { selector: { is_deleted: false, first_name: firstName }, sort: [{ created_time: 'asc' }] }),
    listLearners: (query: LearnerListQuery) => {
      const direction = query.sort_order === 'ascending' ? 'asc' : 'desc';
      return all<StoredLearner>(learners, {
        selector: { is_deleted: false, ...(query.fetch_archive === undefined ? {} : { is_archived: query.fetch_archive }) },
        sort: [{ [query.sort_by]: direction }, { uuid: direction }],
        skip: query.skip,
        limit: query.limit,
      });
    },
    getProfile: async (uuid) => plain(await db.learner_profiles.findOne(uuid).exec()),
    listProfiles: (query: ProfileListQuery) =>
      all(profiles, {
        selector: {
          is_deleted: false,
          ...(query.fetch_archive === undefined ? {} : { is_archived: query.fetch_archive }),
          ...(query.learning_goal === undefined ? {} : { learning_goals: { $elemMatch: { $eq: query.learning_goal } } }),
        },
        sort: [{ created_time: 'desc' }, { uuid: 'desc' }],
        skip: query.skip,
        limit: query.limit,
      }),
    getAchievement: async (uuid) => plain(await db.achievements.findOne(uuid).exec()),
    listAchievements: (query) =>
      all(achievements, {
        selector: { is_deleted: false },
        sort: [{ created_time: 'desc' }, { uuid: 'desc' }],
        skip: query.skip,
        limit: query.limit,
      }),
  };
}

/** Applies one write to the latest stored version. Idempotent, so a recovered write may run twice. */
async function apply(db: AppDatabase, write: Write): Promise<void> {
  const collection = db[write.collection] as unknown as AnyCollection;
  const current = await collection.findOne(write.uuid).exec();
  if (current) {
    const changes = write.patch ?? write.insert!;
    await current.incrementalModify((latest) => ({ ...latest, ...changes }));
  } else {
    await collection.insert({ ...(write.insert ?? write.patch) });
  }
}

/** Told of every write to a replicated collection before it is applied (sync's outbox). */
export type BeforeWrite = (changes: { collection: 'learners' | 'learner_profiles'; uuid: string; last_modified_time: string }[]) => Promise<void>;

async function applyAll(db: AppDatabase, writes: Write[], beforeWrite?: BeforeWrite): Promise<void> {
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
  if (writes.length === 1) return apply(db, writes[0]!);
  await db.upsertLocal(PENDING_WRITES, { writes });
  for (const write of writes) await apply(db, write);
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
    const key = `${collection}/${doc.uuid}`;
    if (!this.written.has(key) && !this.seen.has(key)) {
      const read = { learners: this.committed.getLearner, learner_profiles: this.committed.getProfile, achievements: this.committed.getAchievement }[collection];
      this.seen.set(key, (await read(doc.uuid)) as Record<string, unknown> | undefined);
    }
    this.written.set(key, { collection, doc: structuredClone(doc) as unknown as Record<string, unknown> });
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
  findLearnersByEmail = (email: string) => this.committed.findLearnersByEmail(email);
  findLearnersByFirstName = (firstName: string) => this.committed.findLearnersByFirstName(firstName);
  listLearners = (query: LearnerListQuery) => this.committed.listLearners(query);
  listProfiles = (query: ProfileListQuery) => this.committed.listProfiles(query);
  listAchievements = (query: { skip: number; limit: number }) => this.committed.listAchievements(query);
  putLearner = (doc: { uuid: string }) => this.put('learners', doc);
  putProfile = (doc: { uuid: string }) => this.put('learner_profiles', doc);
  putAchievement = (doc: { uuid: string }) => this.put('achievements', doc);
}

export interface LocalRepository extends Repository {
  /** Finishes a multi-document transaction that a crash interrupted. Run once when the database opens. */
  recover(): Promise<boolean>;
}

export function createRxRepository(db: AppDatabase, beforeWrite?: BeforeWrite): LocalRepository {
  const committed = reads(db);
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  };

  return {
    ...committed,
    transaction: (work) =>
      exclusive(async () => {
        const tx = new Transaction(committed);
        const result = await work(tx);
        await applyAll(db, tx.writes(), beforeWrite);
        return result;
      }),
    recover: () =>
      exclusive(async () => {
        const pending = await db.getLocal<{ writes: Write[] }>(PENDING_WRITES);
        if (!pending) return false;
        const { writes } = pending.toJSON().data;
        for (const write of writes) await apply(db, write);
        await pending.remove();
        return true;
      }),
    close: async () => {
      await db.close();
    },
  };
}
