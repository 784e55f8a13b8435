// The service's repository over the local RxDB database.
//
// Transactions run one at a time in this process (rules such as one profile per learner need no more). Sync writes
// pulled documents concurrently, outside that queue, so a transaction's writes are applied as per-document patches
// of the fields it changed, on the latest stored version: a field changed here wins, a field changed by a pull
// meanwhile is kept. On the SQLite storage a transaction's documents, and their sync outbox entries, are written in
// one SQLite transaction with one fsync, made from the versions just read and refused as a whole if any of them
// changed since (then read and patched again): a cascade is never left half done, and a change is never stored
// without its outbox entry. A large transaction (an import) is written a chunk at a time, each chunk so, reporting
// after each; it first records its patches in a local document, so a stop midway is finished when the database opens.
import isEqual from 'fast-deep-equal';
import { applyPatch, stampingStore, type EditClock } from '../../shared/edits';
import { createRevision, fillObjectDataBeforeInsert, now } from 'rxdb';
import type { BulkWriteRow, RxCollection, RxDocumentData } from 'rxdb';
import type { Page, ReadStore, Repository, Scope, TransactionOptions, WriteStore } from '../../shared/repository';
import type { StoredAchievement } from '../../shared/schemas/achievement';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import type { AchievementListQuery, LearnerListQuery, ProfileListQuery } from '../../shared/schemas/queries';
import { bulkWriteAcrossCollections, sqliteInstanceOf } from '../storage';
import type { OutboxEntry } from '../sync/state-schemas';
import type { AppDatabase, CollectionName } from './database';
import { LearnerIndex } from './learner-index';

const PENDING_WRITES = 'pending-writes';
/** A write refused because a pull changed one of its documents meanwhile is read and patched again, this often. */
const MAX_ATTEMPTS = 20;

interface Write {
  collection: CollectionName;
  uuid: string;
  /** The whole document when it is new; otherwise only the fields that changed. */
  insert?: Record<string, unknown>;
  patch?: Record<string, unknown>;
}

type AnyCollection = RxCollection<Record<string, unknown>>;

/** A stored document as the repository hands it out: RxDB's own fields left out, as `toJSON(false)` does. */
function withoutMeta(doc: Record<string, unknown>): Record<string, unknown> {
  const { _rev, _attachments, _deleted, _meta, ...data } = doc;
  return data;
}

type Query = Parameters<AnyCollection['find']>[0] & { selector: Record<string, unknown> };

function reads(db: AppDatabase, index: LearnerIndex): ReadStore {
  const all = async <T>(collection: AnyCollection, query: Query) =>
    (await collection.find(query).exec()).map((doc) => doc.toMutableJSON(false) as T);
  // Straight from the storage, one request per call: RxDB's findByIds/findOne go through its query cache, which
  // reads a document twice where it checks a cached result, and an API call waits on each read.
  const byIds = async <T>(collection: AnyCollection, uuids: readonly string[]) =>
    (await collection.storageInstance.findDocumentsById([...new Set(uuids)], false)).map((doc) => withoutMeta(doc) as T);
  const byId = async <T>(collection: AnyCollection, uuid: string) => (await byIds<T>(collection, [uuid]))[0];
  const page = async <T>(collection: AnyCollection, query: Query & { skip: number; limit: number }): Promise<Page<T>> => {
    const [records, total] = await Promise.all([all<T>(collection, query), collection.count({ selector: query.selector }).exec()]);
    return { records, total };
  };
  const archived = (fetchArchive: boolean | undefined) => (fetchArchive === undefined ? {} : { is_archived: fetchArchive });
  const learners = db.learners as unknown as AnyCollection;
  const profiles = db.learner_profiles as unknown as AnyCollection;
  const achievements = db.achievements as unknown as AnyCollection;
  // Names and emails are not indexed in the database: the in-memory index names the learners, the documents are
  // read by id and checked again, oldest first as the server answers.
  const oldestFirst = (a: StoredLearner, b: StoredLearner) =>
    a.created_time < b.created_time ? -1 : a.created_time > b.created_time ? 1 : a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
  const liveLearners = async (uuids: string[], matches: (learner: StoredLearner) => boolean) =>
    (await byIds<StoredLearner>(learners, uuids)).filter((learner) => !learner.is_deleted && matches(learner)).sort(oldestFirst);

  return {
    getLearner: (uuid) => byId<StoredLearner>(learners, uuid),
    getLearners: (uuids) => byIds<StoredLearner>(learners, uuids),
    findLearnersByEmail: async (email) => liveLearners(await index.withEmails([email]), (learner) => learner.email_address === email),
    findLearnersByEmails: async (emails) => {
      const wanted = new Set(emails);
      return liveLearners(await index.withEmails(emails), (learner) => wanted.has(learner.email_address));
    },
    // A device holds its own centers' learners only; the server checks every center when the change reaches it.
    emailOwners: async (emails) => {
      const wanted = new Set(emails);
      const owners = await liveLearners(await index.withEmails(emails), (learner) => wanted.has(learner.email_address));
      return owners.map((learner) => ({ uuid: learner.uuid, email: learner.email_address }));
    },
    findLearnersByFirstName: async (firstName) =>
      liveLearners(await index.withFirstName(firstName), (learner) => learner.first_name === firstName),
    listLearners: async (query: LearnerListQuery) => {
      const { total, uuids } = await index.list(query);
      const found = new Map((await byIds<StoredLearner>(learners, uuids)).map((learner) => [learner.uuid, learner]));
      return { records: uuids.flatMap((uuid) => found.get(uuid) ?? []), total };
    },
    getProfile: (uuid) => byId<StoredProfile>(profiles, uuid),
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
    getAchievement: (uuid) => byId<StoredAchievement>(achievements, uuid),
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

export type OutboxChange = { collection: 'learners' | 'learner_profiles'; uuid: string; last_modified_time: string };
/** The sync outbox entries for changes to replicated collections, written in the same transaction as the changes. */
export type OutboxEntriesOf = (changes: OutboxChange[]) => OutboxEntry[];

type Target = {
  collection: AnyCollection;
  uuid: string;
  /** The fields to write, given the stored live version (or none). */
  make: (stored: RxDocumentData<Record<string, unknown>> | undefined) => Record<string, unknown>;
  /** The new document is exactly what make() returns (an upsert), rather than the stored one patched with it. */
  replace?: boolean;
};

/** The write row that turns the stored version (or nothing) into the new one, with RxDB's revision and time. */
function rowFor(db: AppDatabase, target: Target, stored: RxDocumentData<Record<string, unknown>> | undefined, time: number): BulkWriteRow<Record<string, unknown>> {
  const live = stored && !stored._deleted ? stored : undefined;
  const data = target.make(live);
  const document = {
    ...(live && !target.replace ? applyPatch(live, data) : fillObjectDataBeforeInsert(target.collection.schema, data)),
    _deleted: false,
    _attachments: live?._attachments ?? {},
    _rev: createRevision(db.token, stored),
    // Other _meta fields are kept, as RxDB's own writes keep them.
    _meta: { ...(live && !target.replace ? live._meta : {}), lwt: time },
  } as RxDocumentData<Record<string, unknown>>;
  // A tombstone is written over, as RxDB does when a deleted document is inserted again.
  return stored ? { previous: stored, document } : { document };
}

/**
 * One SQLite transaction for every target: read the latest versions, make the rows, write them all or nothing.
 * Refused (a pull changed a document between the read and the write): read and try again.
 */
async function writeAtomically(db: AppDatabase, targets: Target[]): Promise<void> {
  const byCollection = new Map<AnyCollection, Target[]>();
  for (const target of targets) byCollection.set(target.collection, [...(byCollection.get(target.collection) ?? []), target]);
  for (let attempt = 1; ; attempt++) {
    const time = now();
    const writes = await Promise.all(
      [...byCollection].map(async ([collection, group]) => {
        const stored = await collection.storageInstance.findDocumentsById(group.map((t) => t.uuid), true);
        const byId = new Map(stored.map((doc) => [doc[collection.schema.primaryPath] as string, doc]));
        return { instance: collection.storageInstance, rows: group.map((t) => rowFor(db, t, byId.get(t.uuid), time)) };
      }),
    );
    const result = await bulkWriteAcrossCollections(writes, 'repository-transaction');
    if (result.written) return;
    const refused = result.errors.flat();
    if (refused.some((error) => error.status !== 409) || attempt === MAX_ATTEMPTS) {
      throw new Error(`the write was refused (${refused.map((error) => error.status).join(', ')}) after ${attempt} attempts`);
    }
  }
}

/** Writes per chunk of a large transaction: large enough to be quick, small enough that the app answers in between. */
const APPLY_CHUNK = 250;

/** The targets of some writes and of their outbox entries: patches on the latest versions, entries whole. */
function targetsOf(db: AppDatabase, writes: Write[], entries: OutboxEntry[]): Target[] {
  const outbox = db.sync_outbox as unknown as AnyCollection;
  return [
    ...entries.map((entry): Target => ({ collection: outbox, uuid: entry.key, make: () => ({ ...entry }), replace: true })),
    ...writes.map((write): Target => ({
      collection: db[write.collection] as unknown as AnyCollection,
      uuid: write.uuid,
      // A patch on the latest stored version; a document created here whole (or again, if it was removed meanwhile).
      make: (stored) => (stored ? { ...(write.patch ?? write.insert!) } : { ...(write.insert ?? write.patch) }),
    })),
  ];
}

/** Applies writes a chunk at a time (each chunk atomically on SQLite), reporting after each. */
async function applyChunked(db: AppDatabase, writes: Write[], outboxEntriesOf?: OutboxEntriesOf, onWrite?: TransactionOptions['onWrite']): Promise<void> {
  for (let start = 0; start < writes.length; start += APPLY_CHUNK) {
    const chunk = writes.slice(start, start + APPLY_CHUNK);
    const entries = outboxEntriesOf ? outboxEntriesOf(outboxChanges(chunk)) : [];
    if (sqliteInstanceOf(db.sync_outbox.storageInstance)) {
      await writeAtomically(db, targetsOf(db, chunk, entries));
    } else {
      // Other storages (RxDB's memory storage in tests): one document at a time, the outbox entries first, so a
      // stop in between errs on the side of "pending".
      if (entries.length > 0) await db.sync_outbox.bulkUpsert(entries);
      for (const write of chunk) await apply(db, write);
    }
    await onWrite?.(Math.min(start + APPLY_CHUNK, writes.length), writes.length);
  }
}

const outboxChanges = (writes: Write[]) =>
  writes.flatMap((write): OutboxChange[] =>
    write.collection === 'achievements'
      ? []
      : [{ collection: write.collection, uuid: write.uuid, last_modified_time: String((write.insert ?? write.patch)!.last_modified_time) }],
  );

async function applyAll(db: AppDatabase, writes: Write[], outboxEntriesOf?: OutboxEntriesOf, onWrite?: TransactionOptions['onWrite']): Promise<void> {
  if (writes.length === 0) return;
  if (writes.length <= APPLY_CHUNK) return applyChunked(db, writes, outboxEntriesOf, onWrite);
  // Larger than one transaction should be: recorded first, so a stop between chunks is finished at the next start.
  await db.upsertLocal(PENDING_WRITES, { writes });
  await applyChunked(db, writes, outboxEntriesOf, onWrite);
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
  emailOwners = (emails: readonly string[]) => this.committed.emailOwners(emails);
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
  /** The learners' names and emails in memory: lookups and sorts by them, and the screens' list. */
  readonly learners: LearnerIndex;
}

/** With an `editor`, every write of a learner or profile is a dated edit of this device (sync merges by those dates). */
export function createRxRepository(db: AppDatabase, outboxEntriesOf?: OutboxEntriesOf, editor?: EditClock, scope?: () => Scope | undefined): LocalRepository {
  const learners = new LearnerIndex(db);
  const committed = reads(db, learners);
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  };

  return {
    ...committed,
    get scope() {
      return scope?.();
    },
    learners,
    transaction: (work, options = {}) =>
      exclusive(async () => {
        const tx = new Transaction(committed);
        const result = await work(editor ? stampingStore(tx, editor) : tx);
        await applyAll(db, tx.writes(), outboxEntriesOf, options.onWrite);
        return result;
      }),
    recover: () =>
      exclusive(async () => {
        const pending = await db.getLocal<{ writes: Write[] }>(PENDING_WRITES);
        if (!pending) return false;
        const { writes } = pending.toJSON().data;
        await applyChunked(db, writes as Write[], outboxEntriesOf);
        await pending.remove();
        return true;
      }),
    close: async () => {
      learners.close();
      await db.close();
    },
  };
}
