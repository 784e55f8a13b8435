// The handlers of the learner-profile contract (`contract.ts`): the shared service over any repository. Every host
// serves from them: the REST server, the desktop's IPC, and the browser bridge.
import { checkArgs, restContract, type OperationId } from './contract';
import { noProgress, type ProgressReporter } from './progress';
import type { Repository } from './repository';
import type { Result } from './result';
import {
  createAchievement,
  deleteAchievement,
  getAchievement,
  listAchievements,
  searchAchievements,
  updateAchievement,
} from './service/achievements';
import { importAchievements, importLearners, importProfiles } from './service/imports';
import {
  createLearner,
  deleteLearner,
  getLearner,
  listLearners,
  searchLearners,
  updateLearner,
} from './service/learners';
import {
  createProfile,
  deleteProfile,
  getProfile,
  getProfileByLearner,
  listProfiles,
  searchProfiles,
  updateProfile,
  updateProfileByLearner,
} from './service/profiles';

/** What a handler works with besides its arguments: the store, and where long work reports its progress. */
export interface OperationContext {
  repo: Repository;
  report: ProgressReporter;
}

type Handler = (context: OperationContext, ...args: never[]) => Promise<Result>;

export const handlers = {
  'learner.create': ({ repo }, body: unknown) => createLearner(repo, body),
  'learner.get': ({ repo }, uuid: string) => getLearner(repo, uuid),
  'learner.update': ({ repo }, uuid: string, body: unknown) => updateLearner(repo, uuid, body),
  'learner.delete': ({ repo }, uuid: string) => deleteLearner(repo, uuid),
  'learner.list': ({ repo }, query: unknown) => listLearners(repo, query),
  'learner.search': ({ repo }, query: unknown) => searchLearners(repo, query),
  'learner.import': ({ repo, report }, records: unknown) => importLearners(repo, records, report),
  'learnerProfile.create': ({ repo }, learnerId: string, body: unknown) => createProfile(repo, learnerId, body),
  'learnerProfile.get': ({ repo }, learnerId: string, uuid: string) => getProfile(repo, learnerId, uuid),
  'learnerProfile.update': ({ repo }, learnerId: string, uuid: string, body: unknown) => updateProfile(repo, learnerId, uuid, body),
  'learnerProfile.getByLearner': ({ repo }, learnerId: string) => getProfileByLearner(repo, learnerId),
  'learnerProfile.updateByLearner': ({ repo }, learnerId: string, body: unknown) => updateProfileByLearner(repo, learnerId, body),
  'learnerProfile.delete': ({ repo }, learnerId: string) => deleteProfile(repo, learnerId),
  'learnerProfile.list': ({ repo }, query: unknown) => listProfiles(repo, query),
  'learnerProfile.search': ({ repo }, query: unknown) => searchProfiles(repo, query),
  'learnerProfile.import': ({ repo, report }, records: unknown) => importProfiles(repo, records, report),
  'achievement.create': ({ repo }, body: unknown) => createAchievement(repo, body),
  'achievement.get': ({ repo }, uuid: string) => getAchievement(repo, uuid),
  'achievement.update': ({ repo }, uuid: string, body: unknown) => updateAchievement(repo, uuid, body),
  'achievement.delete': ({ repo }, uuid: string) => deleteAchievement(repo, uuid),
  'achievement.list': ({ repo }, query: unknown) => listAchievements(repo, query),
  'achievement.search': ({ repo }, query: unknown) => searchAchievements(repo, query),
  'achievement.import': ({ repo, report }, records: unknown) => importAchievements(repo, records, report),
} as const satisfies Record<OperationId, Handler>;

/** The typed signature of each operation, for clients. */
export type OperationArgs<Id extends OperationId> = (typeof handlers)[Id] extends (context: OperationContext, ...args: infer A) => Promise<Result>
  ? A
  : never;

/** Runs a contract operation from an untrusted argument list. */
export async function invoke(repo: Repository, id: OperationId, args: unknown, report: ProgressReporter = noProgress): Promise<Result> {
  const specs = restContract[id].args;
  const bad = checkArgs(specs, args);
  if (bad) return bad;
  const run = handlers[id] as (context: OperationContext, ...args: unknown[]) => Promise<Result>;
  return run({ repo, report }, ...specs.map((_, index) => (args as unknown[])[index]));
}
