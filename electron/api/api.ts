// The desktop API: the one handler table that IPC and the browser bridge both serve. Every call answers
// `{status, body}`; an unexpected error is logged and becomes the 500 envelope, never a rejected promise.
import { apiOperationIds, checkArgs, desktopContract, isOperationId, type ApiOperationId, type DesktopOperationId } from '../../shared/contract';
import { messages } from '../../shared/messages';
import { invoke } from '../../shared/operations';
import type { ProgressReporter } from '../../shared/progress';
import type { Repository } from '../../shared/repository';
import { fail, internalError, type Result } from '../../shared/result';
import type { KioskGate } from '../kiosk/kiosk-gate';
import type { AppLock } from '../lock/app-lock';
import type { Log } from '../log';

export type DesktopHandlers = { [Id in DesktopOperationId]: (...args: unknown[]) => Promise<Result> };

export interface Api {
  readonly ids: readonly ApiOperationId[];
  handle(id: string, args: unknown): Promise<Result>;
}

const known = new Set<string>(apiOperationIds);

/**
 * The gates that refuse calls before anything runs: the app lock (locked: only the lock screen), then kiosk mode
 * (only the kiosk's allow-list). `report` hears the progress of long operations (imports) and may yield the event
 * loop between their chunks.
 */
export function createApi(repo: Repository, desktop: DesktopHandlers, gates: { lock: AppLock; kiosk: KioskGate }, log: Log, report?: ProgressReporter): Api {
  const { kiosk } = gates;
  const run = async (id: ApiOperationId, args: unknown): Promise<Result> => {
    if (isOperationId(id)) return invoke(repo, id, args, report);
    const desktopId = id as DesktopOperationId;
    const bad = checkArgs(desktopContract[desktopId].args, args);
    if (bad) return bad;
    return desktop[desktopId](...(args as unknown[]));
  };
  return {
    ids: apiOperationIds,
    async handle(id, args) {
      if (!known.has(id)) return fail(404, messages.notFound);
      const operation = id as ApiOperationId;
      // Before anything is parsed or read: a refused call learns nothing, not even whether its arguments were valid.
      const refusal = gates.lock.admit(operation) ?? kiosk.admit(operation, args);
      if (refusal) return refusal;
      try {
        const result = await run(operation, kiosk.argsFor(operation, args));
        kiosk.settle(operation, result);
        return result;
      } catch (error) {
        log.error('operation failed', { operation: id, error: error instanceof Error ? error.stack : String(error) });
        return internalError();
      }
    },
  };
}
