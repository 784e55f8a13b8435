// The one table of operations (../spec/api.md): id → arguments → REST route → handler. Every host serves from it:
// the REST server, the desktop's IPC, and the browser bridge.
import { messages } from './messages';
import type { Repository } from './repository';
import { invalid, type ErrorDetail, type Location, type Result } from './result';
import { createAchievement, getAchievement, listAchievements } from './service/achievements';
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

export interface ArgSpec {
  name: string;
  in: Location;
}

export interface Operation {
  /** Positional arguments: path parameters are strings; the query and the body are parsed by the handler. */
  args: readonly ArgSpec[];
  rest: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string };
  /** The catalog is authored on the central server only. */
  serverOnly?: boolean;
  run(repo: Repository, ...args: never[]): Promise<Result>;
}

const path = (name: string): ArgSpec => ({ name, in: 'path' });
const query: ArgSpec = { name: 'query', in: 'query' };
const body: ArgSpec = { name: 'body', in: 'body' };

export const operations = {
  'learner.create': {
    args: [body],
    rest: { method: 'POST', path: '/learner' },
    run: (repo, body: unknown) => createLearner(repo, body),
  },
  'learner.get': {
    args: [path('uuid')],
    rest: { method: 'GET', path: '/learner/:uuid' },
    run: (repo, uuid: string) => getLearner(repo, uuid),
  },
  'learner.update': {
    args: [path('uuid'), body],
    rest: { method: 'PUT', path: '/learner/:uuid' },
    run: (repo, uuid: string, body: unknown) => updateLearner(repo, uuid, body),
  },
  'learner.delete': {
    args: [path('uuid')],
    rest: { method: 'DELETE', path: '/learner/:uuid' },
    run: (repo, uuid: string) => deleteLearner(repo, uuid),
  },
  'learner.list': {
    args: [query],
    rest: { method: 'GET', path: '/learners' },
    run: (repo, query: unknown) => listLearners(repo, query),
  },
  'learner.search': {
    args: [query],
    rest: { method: 'GET', path: '/learner/search' },
    run: (repo, query: unknown) => searchLearners(repo, query),
  },
  'learnerProfile.create': {
    args: [path('learner_id'), body],
    rest: { method: 'POST', path: '/learner/:learner_id/learner-profile' },
    run: (repo, learnerId: string, body: unknown) => createProfile(repo, learnerId, body),
  },
  'learnerProfile.get': {
    args: [path('learner_id'), path('uuid')],
    rest: { method: 'GET', path: '/learner/:learner_id/learner-profile/:uuid' },
    run: (repo, learnerId: string, uuid: string) => getProfile(repo, learnerId, uuid),
  },
  'learnerProfile.update': {
    args: [path('learner_id'), path('uuid'), body],
    rest: { method: 'PUT', path: '/learner/:learner_id/learner-profile/:uuid' },
    run: (repo, learnerId: string, uuid: string, body: unknown) => updateProfile(repo, learnerId, uuid, body),
  },
  'learnerProfile.getByLearner': {
    args: [path('learner_id')],
    rest: { method: 'GET', path: '/learner/:learner_id/learner-profile' },
    run: (repo, learnerId: string) => getProfileByLearner(repo, learnerId),
  },
  'learnerProfile.updateByLearner': {
    args: [path('learner_id'), body],
    rest: { method: 'PUT', path: '/learner/:learner_id/learner-profile' },
    run: (repo, learnerId: string, body: unknown) => updateProfileByLearner(repo, learnerId, body),
  },
  'learnerProfile.delete': {
    args: [path('learner_id')],
    rest: { method: 'DELETE', path: '/learner/:learner_id/learner-profile' },
    run: (repo, learnerId: string) => deleteProfile(repo, learnerId),
  },
  'learnerProfile.list': {
    args: [query],
    rest: { method: 'GET', path: '/learner-profile' },
    run: (repo, query: unknown) => listProfiles(repo, query),
  },
  'learnerProfile.search': {
    args: [query],
    rest: { method: 'GET', path: '/learner-profile/search' },
    run: (repo, query: unknown) => searchProfiles(repo, query),
  },
  'achievement.create': {
    args: [body],
    rest: { method: 'POST', path: '/achievement' },
    serverOnly: true,
    run: (repo, body: unknown) => createAchievement(repo, body),
  },
  'achievement.get': {
    args: [path('uuid')],
    rest: { method: 'GET', path: '/achievement/:uuid' },
    run: (repo, uuid: string) => getAchievement(repo, uuid),
  },
  'achievement.list': {
    args: [query],
    rest: { method: 'GET', path: '/achievements' },
    run: (repo, query: unknown) => listAchievements(repo, query),
  },
} as const satisfies Record<string, Operation>;

export type OperationId = keyof typeof operations;
export const operationIds = Object.keys(operations) as OperationId[];

/** The typed signature of each operation, for clients. */
export type OperationArgs<Id extends OperationId> = (typeof operations)[Id]['run'] extends (
  repo: Repository,
  ...args: infer A
) => Promise<Result>
  ? A
  : never;

export const isOperationId = (id: string): id is OperationId => Object.hasOwn(operations, id);

/**
 * Checks an untrusted argument list (IPC, the browser bridge) against an operation's argument specs: it must be an
 * array, each path parameter a string, and no more arguments than the operation takes. Queries and bodies are
 * parsed by the handlers themselves. Undefined means the list is fine.
 */
export function checkArgs(specs: readonly ArgSpec[], args: unknown): Result | undefined {
  if (!Array.isArray(args)) {
    return invalid([{ loc: ['body'], msg: 'the arguments must be a JSON array', type: 'type_error.list' }]);
  }
  const problems: ErrorDetail[] = specs.flatMap((spec, index): ErrorDetail[] => {
    const value: unknown = args[index];
    if (spec.in !== 'path') return [];
    if (value === undefined || value === null) return [{ loc: ['path', spec.name], msg: messages.fieldRequired, type: 'value_error.missing' }];
    if (typeof value !== 'string') return [{ loc: ['path', spec.name], msg: 'must be a string', type: 'type_error.str' }];
    return [];
  });
  for (let index = specs.length; index < args.length; index++) {
    problems.push({ loc: ['body', index], msg: messages.extraField, type: 'value_error.extra' });
  }
  return problems.length > 0 ? invalid(problems) : undefined;
}

/** Runs a contract operation from an untrusted argument list. */
export async function invoke(repo: Repository, id: OperationId, args: unknown): Promise<Result> {
  const operation: Operation = operations[id];
  const bad = checkArgs(operation.args, args);
  if (bad) return bad;
  const run = operation.run as (repo: Repository, ...args: unknown[]) => Promise<Result>;
  return run(repo, ...operation.args.map((_, index) => (args as unknown[])[index]));
}
