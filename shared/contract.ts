// The contract of every operation (../spec/api.md and the desktop's own): its id, its positional arguments and, for
// the REST contract, its route. Data only: the preload and the renderer build their clients from this file without
// carrying a line of the service (`operations.ts` holds the handlers).
import { MAX_NESTING, TOO_DEEP_MESSAGE, valueTooDeep } from './nesting';
import { messages } from './messages';
import { invalid, type ErrorDetail, type Location, type Result } from './result';

/** The largest import file: thousands of records at once (the reference allows 2 MB). */
export const IMPORT_MAX_BYTES = 16 * 1024 * 1024;

export interface ArgSpec {
  name: string;
  in: Location;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The body arrives as this multipart file field holding JSON (the reference's imports), not as the JSON body. */
  upload?: string;
}

export interface ContractEntry {
  /** Positional arguments: path parameters are strings; the query and the body are parsed by the handler. */
  args: readonly ArgSpec[];
  /** The REST route, for operations of the learner-profile contract; the desktop's own operations have none. */
  rest?: RestRoute;
  /** The catalog is authored on the central server only: the desktop does not serve these. */
  serverOnly?: true;
}

const path = (name: string): ArgSpec => ({ name, in: 'path' });
const query: ArgSpec = { name: 'query', in: 'query' };
const body: ArgSpec = { name: 'body', in: 'body' };

/** The learner-profile contract: served by the REST server and, but for `serverOnly`, by the desktop. */
export const restContract = {
  'learner.create': { args: [body], rest: { method: 'POST', path: '/learner' } },
  'learner.get': { args: [path('uuid')], rest: { method: 'GET', path: '/learner/:uuid' } },
  'learner.update': { args: [path('uuid'), body], rest: { method: 'PUT', path: '/learner/:uuid' } },
  'learner.delete': { args: [path('uuid')], rest: { method: 'DELETE', path: '/learner/:uuid' } },
  'learner.list': { args: [query], rest: { method: 'GET', path: '/learners' } },
  'learner.search': { args: [query], rest: { method: 'GET', path: '/learner/search' } },
  'learner.import': { args: [body], rest: { method: 'POST', path: '/learner/import/json', upload: 'json_file' } },
  'learnerProfile.create': {
    args: [path('learner_id'), body],
    rest: { method: 'POST', path: '/learner/:learner_id/learner-profile' },
  },
  'learnerProfile.get': {
    args: [path('learner_id'), path('uuid')],
    rest: { method: 'GET', path: '/learner/:learner_id/learner-profile/:uuid' },
  },
  'learnerProfile.update': {
    args: [path('learner_id'), path('uuid'), body],
    rest: { method: 'PUT', path: '/learner/:learner_id/learner-profile/:uuid' },
  },
  'learnerProfile.getByLearner': {
    args: [path('learner_id')],
    rest: { method: 'GET', path: '/learner/:learner_id/learner-profile' },
  },
  'learnerProfile.updateByLearner': {
    args: [path('learner_id'), body],
    rest: { method: 'PUT', path: '/learner/:learner_id/learner-profile' },
  },
  'learnerProfile.delete': {
    args: [path('learner_id')],
    rest: { method: 'DELETE', path: '/learner/:learner_id/learner-profile' },
  },
  'learnerProfile.list': { args: [query], rest: { method: 'GET', path: '/learner-profile' } },
  'learnerProfile.search': { args: [query], rest: { method: 'GET', path: '/learner-profile/search' } },
  'learnerProfile.import': {
    args: [body],
    rest: { method: 'POST', path: '/learner-profile/import/json', upload: 'json_file' },
  },
  'achievement.create': { args: [body], rest: { method: 'POST', path: '/achievement' }, serverOnly: true },
  'achievement.get': { args: [path('uuid')], rest: { method: 'GET', path: '/achievement/:uuid' } },
  'achievement.update': { args: [path('uuid'), body], rest: { method: 'PUT', path: '/achievement/:uuid' }, serverOnly: true },
  'achievement.delete': { args: [path('uuid')], rest: { method: 'DELETE', path: '/achievement/:uuid' }, serverOnly: true },
  'achievement.list': { args: [query], rest: { method: 'GET', path: '/achievements' } },
  'achievement.search': { args: [query], rest: { method: 'GET', path: '/achievement/search' } },
  'achievement.import': {
    args: [body],
    rest: { method: 'POST', path: '/achievement/import/json', upload: 'json_file' },
    serverOnly: true,
  },
} as const satisfies Record<string, ContractEntry & { rest: RestRoute }>;

/** The desktop's own operations (../spec/sync.md "Desktop operations for sync", and what the screens need). */
export const desktopContract = {
  'settings.get': { args: [] },
  'settings.update': { args: [body] },
  'sync.status': { args: [] },
  'sync.now': { args: [] },
  'sync.conflicts': { args: [] },
  'sync.resolveConflict': { args: [path('id'), { name: 'choice', in: 'body' }] },
  'sync.allowDeletes': { args: [] },
  'learner.browse': { args: [query] },
  'learnerProfile.browse': { args: [query] },
  'learner.syncStates': { args: [{ name: 'ids', in: 'body' }] },
  'learner.accessCode': { args: [path('uuid')] },
  // Counselors' figures and files (never at a kiosk's public screens: not in `kioskAccess`).
  'dashboard.figures': { args: [query] },
  'report.exportLearners': { args: [body] },
  'report.exportDashboard': { args: [body] },
  'report.profileSheet': { args: [path('uuid')] },
  'report.profilePdf': { args: [path('uuid')] },
  'app.backup': { args: [] },
  'app.listBackups': { args: [] },
  'app.restoreBackup': { args: [body] },
  'app.info': { args: [] },
  'app.lockState': { args: [] },
  'app.unlock': { args: [body] },
  'app.createPassphrase': { args: [body] },
  'app.lock': { args: [] },
  'app.touch': { args: [] },
  'app.session': { args: [] },
  'kiosk.identify': { args: [body] },
  'kiosk.done': { args: [] },
  'kiosk.unlock': { args: [{ name: 'pin', in: 'body' }] },
  'kiosk.lock': { args: [] },
  'kiosk.touch': { args: [] },
  'kiosk.setPin': { args: [body] },
  'kiosk.exit': { args: [] },
} as const satisfies Record<string, ContractEntry>;

export type OperationId = keyof typeof restContract;
export type DesktopOperationId = keyof typeof desktopContract;

type ServerOnly = { [Id in OperationId]: (typeof restContract)[Id] extends { serverOnly: true } ? Id : never }[OperationId];
/** Every operation the desktop serves: the IPC channels, the bridge's routes, the preload's functions. */
export type ApiOperationId = Exclude<OperationId, ServerOnly> | DesktopOperationId;

export const operationIds = Object.keys(restContract) as OperationId[];
export const isOperationId = (id: string): id is OperationId => Object.hasOwn(restContract, id);

export const apiOperationIds: readonly ApiOperationId[] = [
  ...operationIds.filter((id) => !('serverOnly' in restContract[id])),
  ...(Object.keys(desktopContract) as DesktopOperationId[]),
] as ApiOperationId[];

/**
 * What a member of the public may call at a kiosk (../spec/trust.md "Kiosk mode"); an unlocked staff session may call
 * everything. An operation missing here is refused in kiosk mode: new operations stay closed until someone decides.
 * - `anyone`: needs no identity (drawing the kiosk screens, proving who you are, the staff unlock);
 * - `register`: creates the session's learner, once per kiosk session;
 * - `self`: only for the session's own learner, named by the first path argument.
 */
export type KioskAccess = 'anyone' | 'register' | 'self';
export const kioskAccess: Readonly<Partial<Record<ApiOperationId, KioskAccess>>> = {
  'app.session': 'anyone',
  // The app lock's screen: a kiosk is locked only at start (the passphrase) or when staff lock it that way.
  'app.lockState': 'anyone',
  'app.unlock': 'anyone',
  'kiosk.identify': 'anyone',
  'kiosk.done': 'anyone',
  'kiosk.unlock': 'anyone',
  'kiosk.lock': 'anyone',
  'kiosk.touch': 'anyone',
  'achievement.get': 'anyone',
  'achievement.list': 'anyone',
  'achievement.search': 'anyone',
  'learner.create': 'register',
  'learner.get': 'self',
  'learner.update': 'self',
  'learnerProfile.create': 'self',
  'learnerProfile.get': 'self',
  'learnerProfile.getByLearner': 'self',
  'learnerProfile.update': 'self',
  'learnerProfile.updateByLearner': 'self',
};

/** The operations whose input is a file's records (the imports): their calls may be as large as the file. */
export const importOperationIds: readonly ApiOperationId[] = apiOperationIds.filter(
  (id) => isOperationId(id) && (restContract[id].rest as RestRoute).upload !== undefined,
);

export function argSpecs(id: ApiOperationId): readonly ArgSpec[] {
  return isOperationId(id) ? restContract[id].args : desktopContract[id as DesktopOperationId].args;
}

/**
 * Checks an untrusted argument list (IPC, the browser bridge) against an operation's argument specs: it must be an
 * array, each path parameter a string, and no more arguments than the operation takes. Queries and bodies are
 * parsed by the handlers themselves. Undefined means the list is fine.
 */
export function checkArgs(specs: readonly ArgSpec[], args: unknown): Result | undefined {
  if (!Array.isArray(args)) {
    return invalid([{ loc: ['body'], msg: 'the arguments must be a JSON array', type: 'type_error.list' }]);
  }
  // Before any validator recurses into them (the list itself is one level).
  if (valueTooDeep(args, MAX_NESTING + 1)) return invalid([{ loc: ['body'], msg: TOO_DEEP_MESSAGE, type: 'value_error.depth' }]);
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
