import type { StoredAchievement } from './schemas/achievement';
import type { StoredLearner } from './schemas/learner';
import type { StoredProfile } from './schemas/profile';
import type { AchievementListQuery, LearnerListQuery, ProfileListQuery } from './schemas/queries';

/** One page of a list, and how many documents match in all (before skip and limit). */
export interface Page<T> {
  records: T[];
  total: number;
}

/** What a caller may see and change: every center (an administrator), or these centers' learners only. */
export interface Scope {
  admin: boolean;
  centers: readonly string[];
}

/**
 * What the service reads. Lists and finds return live (not deleted) documents only; gets return any. A scoped store
 * sees only its centers' learners (and their profiles): anything else reads as absent.
 */
export interface ReadStore {
  getLearner(uuid: string): Promise<StoredLearner | undefined>;
  /** Those of these uuids that exist, in any state (imports check many at once). */
  getLearners(uuids: readonly string[]): Promise<StoredLearner[]>;
  findLearnersByEmail(email: string): Promise<StoredLearner[]>;
  findLearnersByEmails(emails: readonly string[]): Promise<StoredLearner[]>;
  /** Live learners holding these emails in any center (one learner, one email, across the whole server). */
  emailOwners(emails: readonly string[]): Promise<{ uuid: string; email: string }[]>;
  findLearnersByFirstName(firstName: string): Promise<StoredLearner[]>;
  listLearners(query: LearnerListQuery): Promise<Page<StoredLearner>>;
  getProfile(uuid: string): Promise<StoredProfile | undefined>;
  getProfiles(uuids: readonly string[]): Promise<StoredProfile[]>;
  /** Newest `created_time` first. */
  listProfiles(query: ProfileListQuery): Promise<Page<StoredProfile>>;
  findProfilesWithAchievement(achievementId: string): Promise<StoredProfile[]>;
  getAchievement(uuid: string): Promise<StoredAchievement | undefined>;
  getAchievements(uuids: readonly string[]): Promise<StoredAchievement[]>;
  /** Newest `created_time` first. */
  listAchievements(query: AchievementListQuery): Promise<Page<StoredAchievement>>;
  findAchievementsByType(type: StoredAchievement['type']): Promise<StoredAchievement[]>;
}

/** Inside a transaction: gets see the transaction's own writes; puts insert or replace whole documents. */
export interface WriteStore extends ReadStore {
  /** Serializes transactions that take the same key until they end (learner ids, emails). */
  lock(key: string): Promise<void>;
  putLearner(doc: StoredLearner): Promise<void>;
  putProfile(doc: StoredProfile): Promise<void>;
  putAchievement(doc: StoredAchievement): Promise<void>;
  /** Many documents at once (imports); the same as putting each in turn. */
  putLearners(docs: readonly StoredLearner[]): Promise<void>;
  putProfiles(docs: readonly StoredProfile[]): Promise<void>;
  putAchievements(docs: readonly StoredAchievement[]): Promise<void>;
}

export interface TransactionOptions {
  /**
   * Told how many of the transaction's documents are written, where a store writes them after the work (the
   * desktop's); the host may yield its event loop in it.
   */
  onWrite?(written: number, total: number): Promise<void>;
}

export interface Repository extends ReadStore {
  /** The caller's centers, where the host knows them (the server's tokens; a device of known centers). */
  readonly scope?: Scope;
  /** All or nothing: rules that span a read and a write run in one. */
  transaction<T>(work: (tx: WriteStore) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}
