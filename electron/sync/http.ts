// Requests to the central server's sync endpoints, with the device token and a timeout, failures sorted by what
// sync must do about them: stop (unauthorized), or retry later (offline, server trouble).
import { SERVER_TIME_HEADER } from '../../shared/sync-protocol';

// Named, because RxDB hands handler errors on as plain JSON: the name is what survives.
export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}
export class ServerError extends Error {
  override name = 'ServerError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const TIMEOUT_MS = 30_000;

export interface SyncHttp {
  readonly baseUrl: string;
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
  /** The token's header, for the event stream. */
  readonly headers: Record<string, string>;
}

/** `onServerTime` hears the server's clock from each answer, with the request's round trip. */
export function createSyncHttp(baseUrl: string, token: string, onServerTime?: (serverMillis: number, roundTripMs: number) => void): SyncHttp {
  const root = baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${token}` };
  const request = async (path: string, init: RequestInit = {}) => {
    let response: Response;
    const sent = performance.now();
    try {
      response = await fetch(`${root}${path}`, { ...init, headers: { ...headers, ...init.headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new UnreachableError(`the server at ${root} cannot be reached (${error instanceof Error ? error.message : String(error)})`);
    }
    const serverTime = Number(response.headers.get(SERVER_TIME_HEADER));
    if (serverTime > 0) onServerTime?.(serverTime, performance.now() - sent);
    const text = await response.text();
    if (response.status === 401) throw new UnauthorizedError('the server refused this device’s token');
    if (!response.ok) {
      let message = text.slice(0, 200);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // Not the envelope: keep the text.
      }
      throw new ServerError(response.status, `the server answered ${response.status}: ${message}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ServerError(response.status, 'the server answered with something that is not JSON');
    }
  };
  return {
    baseUrl: root,
    headers,
    get: (path) => request(path),
    post: (path, body) => request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  };
}
