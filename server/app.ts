// The central server's HTTP surface: the contract's REST routes from the shared operation table, bearer-token auth,
// and every failure in the contract's envelope (there is no 400: bad requests are 422).
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { messages } from '../shared/messages';
import { operationIds, restContract } from '../shared/contract';
import { handlers } from '../shared/operations';
import { fail, internalError, invalid, type Result } from '../shared/result';
import type { Database } from './db/database';
import { createPostgresRepository } from './repository';
import { registerSync } from './sync/routes';
import { createTokenVerifier } from './tokens';

export const API_BASE = '/learner-profile-service/api/v1';
export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  db: Database;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
}

const send = (reply: FastifyReply, result: Result) => reply.code(result.status).send(result.body);

const notJson = invalid([{ loc: ['body'], msg: 'the body is not valid JSON', type: 'value_error.jsondecode' }]);
const missingBody = invalid([{ loc: ['body'], msg: messages.fieldRequired, type: 'value_error.missing' }]);

export async function buildApp({ db, logger = false, bodyLimit = BODY_LIMIT }: AppOptions): Promise<FastifyInstance> {
  const repo = createPostgresRepository(db);
  const app = Fastify({
    logger,
    bodyLimit,
    // Malformed URLs (bad percent-encoding) are the caller's fault: 422 like any other bad input. A path parameter
    // longer than any id names nothing: 404.
    frameworkErrors: (error, request, reply) => {
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return send(reply as FastifyReply, fail(404, messages.notFound));
      if (error.statusCode === 400) {
        return send(reply as FastifyReply, invalid([{ loc: ['path'], msg: 'the URL is malformed', type: 'value_error.url' }]));
      }
      request.log.error({ err: error }, 'request failed before routing');
      return send(reply as FastifyReply, internalError());
    },
  });

  // Every body is read as JSON, whatever its content type says; Fastify's parser also refuses prototype poisoning.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return send(reply, fail(413, messages.bodyTooLarge));
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return send(reply, missingBody);
    if (status === 400 || status === 415) return send(reply, notJson);
    if (status < 500) return send(reply, fail(status, error.message));
    request.log.error({ err: error }, 'request failed');
    return send(reply, internalError());
  });

  app.setNotFoundHandler((_request, reply) => send(reply, fail(404, messages.notFound)));

  const tokens = await createTokenVerifier(db);
  app.addHook('onClose', () => tokens.close());
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    const name = token ? await tokens.verify(token) : undefined;
    if (!name) return send(reply, fail(401, messages.unauthorized));
    request.log.debug({ token: name }, 'authenticated');
  });

  app.get('/health', async () => {
    await db.query('SELECT 1');
    return { success: true, message: 'ok', data: { database: db.kind } };
  });

  await registerSync(app, db);

  for (const id of operationIds) {
    const operation = restContract[id];
    const run = handlers[id] as (repo: unknown, ...args: unknown[]) => Promise<Result>;
    app.route({
      method: operation.rest.method,
      url: API_BASE + operation.rest.path,
      handler: async (request, reply) => {
        const params = request.params as Record<string, string>;
        const args = operation.args.map((arg) =>
          arg.in === 'path' ? params[arg.name] : arg.in === 'query' ? request.query : request.body,
        );
        return send(reply, await run(repo, ...args));
      },
    });
  }

  return app;
}
