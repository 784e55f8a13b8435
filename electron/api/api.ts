// The desktop API: the one handler table that IPC and the browser bridge both serve. Every call answers
// `{status, body}`; an unexpected error is logged and becomes the 500 envelope, never a rejected promise.
import { apiOperationIds, checkArgs, desktopContract, isOperationId, type ApiOperationId, type DesktopOperationId } from '../../shared/contract';
import { messages } from '../../shared/messages';
import { invoke } from '../../shared/operations';
import type { ProgressReporter } from '../../shared/progress';
import type { Repository } from '../../shared/repository';
import { fail, internalError, type Result } from '../../shared/result';
import type { Log } from '../log';

export type DesktopHandlers = { [Id in DesktopOperationId]: (...args: unknown[]) => Promise<Result> };

export interface Api {
  readonly ids: readonly ApiOperationId[];
  handle(id: string, args: unknown): Promise<Result>;
}

const known = new Set<string>(apiOperationIds);

/** `report` hears the progress of long operations (imports) and may yield the event loop between their chunks. */
export function createApi(repo: Repository, desktop: DesktopHandlers, log: Log, report?: ProgressReporter): Api {
  return {
    ids: apiOperationIds,
    async handle(id, args) {
      if (!known.has(id)) return fail(404, messages.notFound);
      try {
        if (isOperationId(id)) return await invoke(repo, id, args, report);
        const desktopId = id as DesktopOperationId;
        const bad = checkArgs(desktopContract[desktopId].args, args);
        if (bad) return bad;
        return await desktop[desktopId](...(args as unknown[]));
      } catch (error) {
        log.error('operation failed', { operation: id, error: error instanceof Error ? error.stack : String(error) });
        return internalError();
      }
    },
  };
}
