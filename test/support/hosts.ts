// Ways to call the contract's operations, so one set of cases runs against every host.
import type { FastifyInstance } from 'fastify';
import { restContract, type ApiOperationId, type OperationId } from '../../shared/contract';
import { invoke } from '../../shared/operations';
import type { Result } from '../../shared/result';
import { buildApp, API_BASE } from '../../server/app';
import type { Database } from '../../server/db/database';
import { createPostgresRepository } from '../../server/repository';
import { createToken } from '../../server/tokens';

export interface ContractHost {
  call(id: OperationId | ApiOperationId, ...args: unknown[]): Promise<Result>;
  /** The catalog is authored on the server; each host gets entries its own way. */
  addAchievement(body: { type: string; name: string; description?: string }): Promise<string>;
  close(): Promise<void>;
}

export function serviceHost(db: Database): ContractHost {
  const repo = createPostgresRepository(db);
  return {
    call: (id, ...args) => invoke(repo, id as OperationId, args),
    async addAchievement(body) {
      const result = await invoke(repo, 'achievement.create', [body]);
      return (result.body.data as { uuid: string }).uuid;
    },
    close: () => db.close(),
  };
}

/**
 * An operation's REST request: path parameters in the URL, the query as a query string, the body as JSON (or, for
 * the imports, as the JSON file of a multipart form, as the reference's clients send it).
 */
export function restRequest(baseUrl: string, id: OperationId, args: unknown[]) {
  const operation = restContract[id];
  const upload = (operation.rest as { upload?: string }).upload;
  let path: string = operation.rest.path;
  let query = '';
  let body: string | FormData | undefined;
  (operation.args as readonly { name: string; in: string }[]).forEach((spec, index) => {
    const value = args[index];
    if (spec.in === 'path') path = path.replace(`:${spec.name}`, encodeURIComponent(String(value)));
    else if (spec.in === 'query' && value) {
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      query = `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`;
    } else if (spec.in === 'body') body = upload ? jsonFile(upload, value) : JSON.stringify(value);
  });
  return { url: `${baseUrl}${API_BASE}${path}${query}`, method: operation.rest.method, body };
}

/** A multipart form holding `value` as a JSON file in `field`. */
export function jsonFile(field: string, value: unknown, filename = 'records.json'): FormData {
  const form = new FormData();
  form.append(field, new Blob([JSON.stringify(value)], { type: 'application/json' }), filename);
  return form;
}

export async function httpHost(
  db: Database,
): Promise<ContractHost & { app: FastifyInstance; db: Database; baseUrl: string; token: string }> {
  const app = await buildApp({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const token = await createToken(db, `test-${Math.random().toString(36).slice(2)}`, { admin: true });
  await app.tokens.refresh();
  const call = async (id: OperationId | ApiOperationId, ...args: unknown[]): Promise<Result> => {
    const request = restRequest(baseUrl, id as OperationId, args);
    const response = await fetch(request.url, {
      method: request.method,
      headers: { authorization: `Bearer ${token}`, ...(typeof request.body === 'string' ? { 'content-type': 'application/json' } : {}) },
      body: request.body,
    });
    return { status: response.status, body: await response.json() };
  };
  return {
    app,
    db,
    baseUrl,
    token,
    call,
    async addAchievement(body) {
      const result = await call('achievement.create', body);
      return (result.body.data as { uuid: string }).uuid;
    },
    async close() {
      await app.close();
      await db.close();
    },
  };
}
