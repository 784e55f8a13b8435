// The typed client of the desktop API (`window.api`), built from the operation tables over any transport:
// IPC in Electron, HTTP in the browser preview.
// Only the contract's data and types are imported: the preload carries this file, and no line of the service.
import { apiOperationIds, type ApiOperationId, type DesktopOperationId, type OperationId } from './contract';
import type { DashboardQuery } from './dashboard';
import type {
  ChangeEvent,
  ConflictChoice,
  DashboardExportRequest,
  KioskIdentity,
  LearnerBrowseQuery,
  LearnerExportRequest,
  NewPassphrase,
  ProfileBrowseQuery,
  RestoreRequest,
  SettingsUpdate,
  UnlockRequest,
} from './desktop';
import type { OperationArgs } from './operations';
import type { Result } from './result';

export { apiOperationIds, type ApiOperationId };

interface DesktopArgs {
  'settings.get': [];
  'settings.update': [SettingsUpdate];
  'sync.status': [];
  'sync.now': [];
  'sync.conflicts': [];
  'sync.resolveConflict': [id: string, choice: ConflictChoice];
  'sync.allowDeletes': [];
  'learner.browse': [query?: Partial<LearnerBrowseQuery> & { text?: string }];
  'learnerProfile.browse': [query?: Partial<ProfileBrowseQuery>];
  'learner.syncStates': [ids: string[]];
  'learner.accessCode': [uuid: string];
  'dashboard.figures': [query?: Partial<DashboardQuery>];
  'report.exportLearners': [request: { format: LearnerExportRequest['format']; query: Partial<LearnerExportRequest['query']> }];
  'report.exportDashboard': [request: { format: DashboardExportRequest['format']; query: Partial<DashboardQuery> }];
  'report.profileSheet': [uuid: string];
  'report.profilePdf': [uuid: string];
  'app.backup': [];
  'app.listBackups': [];
  'app.restoreBackup': [body: RestoreRequest];
  'app.info': [];
  'app.lockState': [];
  'app.unlock': [body: UnlockRequest];
  'app.createPassphrase': [body: NewPassphrase];
  'app.lock': [];
  'app.touch': [];
  'app.session': [];
  'kiosk.identify': [identity: KioskIdentity];
  'kiosk.done': [];
  'kiosk.unlock': [pin: string];
  'kiosk.lock': [];
  'kiosk.touch': [];
  'kiosk.setPin': [body: { pin: string }];
  'kiosk.exit': [];
}

export type ArgsOf<Id extends ApiOperationId> = Id extends OperationId
  ? OperationArgs<Id>
  : Id extends DesktopOperationId
    ? DesktopArgs[Id]
    : never;

type Namespace<Id extends string> = Id extends `${infer N}.${string}` ? N : never;
type Method<Id extends string, N extends string> = Id extends `${N}.${infer M}` ? M : never;

export type ApiClient = {
  [N in Namespace<ApiOperationId>]: {
    [M in Method<ApiOperationId, N>]: (...args: ArgsOf<Extract<`${N}.${M}`, ApiOperationId>>) => Promise<Result>;
  };
} & {
  /** Change events pushed by the main process; returns the unsubscribe function. */
  subscribe(listener: (events: ChangeEvent[]) => void): () => void;
};

export type Invoke = (id: ApiOperationId, args: unknown[]) => Promise<Result>;

export function buildClient(invoke: Invoke, subscribe: ApiClient['subscribe']): ApiClient {
  const client: Record<string, Record<string, (...args: unknown[]) => Promise<Result>>> = {};
  for (const id of apiOperationIds) {
    const [namespace, method] = id.split('.') as [string, string];
    client[namespace] ??= {};
    client[namespace][method] = (...args: unknown[]) => invoke(id, args);
  }
  return { ...client, subscribe } as unknown as ApiClient;
}
