import type { StoredAchievement } from './schemas/achievement';
import type { StoredLearner } from './schemas/learner';
import type { StoredProfile } from './schemas/profile';
import type { LearnerListQuery, PageQuery, ProfileListQuery } from './schemas/queries';

/** What the service reads. Lists and finds return live (not deleted) documents only; gets return any. */
export interface ReadStore {
  getLearner(uuid: string): Promise<StoredLearner | undefined>;
  findLearnersByEmail(email: string): Promise<StoredLearner[]>;
  findLearnersByFirstName(firstName: string): Promise<StoredLearner[]>;
  listLearners(query: LearnerListQuery): Promise<StoredLearner[]>;
  getProfile(uuid: string): Promise<StoredProfile | undefined>;
  /** Newest `created_time` first. */
  listProfiles(query: ProfileListQuery): Promise<StoredProfile[]>;
  getAchievement(uuid: string): Promise<StoredAchievement | undefined>;
  /** Newest `created_time` first. */
  listAchievements(query: PageQuery): Promise<StoredAchievement[]>;
}

/** Inside a transaction: gets see the transaction's own writes; puts insert or replace whole documents. */
export interface WriteStore extends ReadStore {
  /** Serializes transactions that take the same key until they end (learner ids, emails). */
  lock(key: string): Promise<void>;
  putLearner(doc: StoredLearner): Promise<void>;
  putProfile(doc: StoredProfile): Promise<void>;
  putAchievement(doc: StoredAchievement): Promise<void>;
}

export interface Repository extends ReadStore {
  /** All or nothing: rules that span a read and a write run in one. */
  transaction<T>(work: (tx: WriteStore) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
