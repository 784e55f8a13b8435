// The central server's HTTP surface: the contract's REST routes from the shared operation table, bearer-token auth,
// and every failure in the contract's envelope (there is no 400: bad requests are 422).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { messages } from '../shared/messages';
import { jsonTextTooDeep, TOO_DEEP_MESSAGE } from '../shared/nesting';
import { IMPORT_MAX_BYTES, operationIds, restContract } from '../shared/contract';
import { handlers, type OperationContext } from '../shared/operations';
import type { ProgressReporter } from '../shared/progress';
import { fail, internalError, invalid, type Result } from '../shared/result';
import type { Database } from './db/database';
import { editorClock } from '../shared/edits';
import { createPostgresRepository } from './repository';
import { serverClock } from './server-clock';
import { registerSync } from './sync/routes';
import { DEFAULT_LIMITS, registerAccess, type AccessLimits } from './access';
import { createTokenVerifier, type TokenVerifier } from './tokens';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live tokens this server knows (the control channel and tests refresh them after a change here). */
    tokens: TokenVerifier;
  }
}

export const API_BASE = '/learner-profile-service/api/v1';
export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  db: Database;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  importFileLimit?: number;
  limits?: AccessLimits;
  /** A request whose body has not arrived in this long is closed. */
  requestTimeoutMs?: number;
}

const send = (reply: FastifyReply, result: Result) => reply.code(result.status).send(result.body);

const TOO_DEEP = 'LP_TOO_DEEP';
const tooDeep = (loc: string[]) => invalid([{ loc, msg: TOO_DEEP_MESSAGE, type: 'value_error.depth' }]);
const notJson = invalid([{ loc: ['body'], msg: 'the body is not valid JSON', type: 'value_error.jsondecode' }]);
const missingBody = invalid([{ loc: ['body'], msg: messages.fieldRequired, type: 'value_error.missing' }]);

// Long work (an import) yields between its chunks, so other requests are answered meanwhile.
const yieldBetweenChunks: ProgressReporter = () => new Promise((resolve) => setImmediate(resolve));

type Upload = { ok: true; body: unknown } | { ok: false; result: Result };

/**
 * The JSON held by a multipart file field (the reference's imports): the field missing is "field required", a file
 * not named .json, over the size limit or not JSON is refused with the reference's messages.
 */
async function readUpload(request: FastifyRequest, field: string): Promise<Upload> {
  const missing: Upload = { ok: false, result: invalid([{ loc: ['body', field], msg: messages.fieldRequired, type: 'value_error.missing' }]) };
  if (!request.isMultipart()) return missing;
  let found: { filename: string; content: Buffer } | undefined;
  for await (const part of request.parts()) {
    if (part.type !== 'file') continue;
    if (part.fieldname !== field || found) {
      part.file.resume();
      continue;
    }
    try {
      found = { filename: part.filename, content: await part.toBuffer() };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 413) return { ok: false, result: fail(413, messages.fileTooLarge(part.filename)) };
      throw error;
    }
  }
  if (!found) return missing;
  if (!found.filename.toLowerCase().endsWith('.json')) return { ok: false, result: fail(422, messages.notJsonFile) };
  const text = found.content.toString('utf8').replace(/^\uFEFF/, '');
  if (jsonTextTooDeep(text)) return { ok: false, result: tooDeep(['body', field]) };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (error) {
    const detail = { loc: ['body', field], msg: (error as Error).message, type: 'value_error.jsondecode' };
    return { ok: false, result: { status: 422, body: { success: false, message: messages.invalidJsonFile, data: [detail] } } };
  }
}

export async function buildApp({
  db,
  logger = false,
  bodyLimit = BODY_LIMIT,
  importFileLimit = IMPORT_MAX_BYTES,
  limits = DEFAULT_LIMITS,
  requestTimeoutMs = 30_000,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit,
    requestTimeout: requestTimeoutMs,
    // Node enforces the timeout only when its server is created with it (set afterwards, as the option above does,
    // it is never checked), and checks this often (30 s by default, which would double the timeout at worst).
    http: { requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1_000, requestTimeoutMs) },
    // One line per request, of the route's pattern, never its query string (searches carry emails and names).
    logController: new LogController({ disableRequestLogging: true }),
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
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (jsonTextTooDeep(body as string)) return done(Object.assign(new Error(TOO_DEEP_MESSAGE), { statusCode: 422, code: TOO_DEEP }), undefined);
    parseJson(request, body as string, done);
  });
  // Multipart bodies are read only by the import routes, one JSON file each.
  await app.register(fastifyMultipart, { limits: { fileSize: importFileLimit, files: 5, fields: 20, parts: 25 } });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return send(reply, fail(413, messages.bodyTooLarge));
    if (error.code === TOO_DEEP) return send(reply, tooDeep(['body']));
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return send(reply, missingBody);
    if (status === 400 || status === 415) return send(reply, notJson);
    if (status < 500) return send(reply, fail(status, error.message));
    request.log.error({ err: error }, 'request failed');
    return send(reply, internalError());
  });

  app.setNotFoundHandler((_request, reply) => send(reply, fail(404, messages.notFound)));

  // A connection a client opened ahead of need and never used would hold a closing server open until the headers
  // timeout: closing drops those (connections that carried a request end as Fastify and the streams decide).
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (request: IncomingMessage) => unused.delete(request.socket));
  app.addHook('preClose', async () => {
    for (const socket of unused) socket.destroy();
  });

  const tokens = await createTokenVerifier(db);
  app.decorate('tokens', tokens);
  app.addHook('onClose', () => tokens.close());
  await registerAccess(app, tokens, limits);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? '(none)', status: reply.statusCode, ms: Math.round(reply.elapsedTime), token: request.identity?.name },
      'request',
    );
  });

  app.get('/health', async () => {
    await db.query('SELECT 1');
    return { success: true, message: 'ok', data: { database: db.kind } };
  });

  await registerSync(app, db, tokens);

  // A change made through the API is an edit by the token that made it: its fields are dated by this server's clock
  // under the token's name, so sync can tell it from the devices' edits; it sees the token's centers only, and it is
  // recorded in the audit log.
  const contextFor = (request: FastifyRequest, operation: string): OperationContext => {
    const { name } = request.identity;
    return {
      repo: createPostgresRepository(db, { editor: editorClock(serverClock, name, name, name), scope: request.identity, writer: { token: name, operation } }),
      report: yieldBetweenChunks,
    };
  };
  for (const id of operationIds) {
    const operation = restContract[id];
    const rest: { method: string; path: string; upload?: string } = operation.rest;
    const run = handlers[id] as (context: OperationContext, ...args: unknown[]) => Promise<Result>;
    app.route({
      method: operation.rest.method,
      url: API_BASE + operation.rest.path,
      handler: async (request, reply) => {
        let body: unknown = request.body;
        if (rest.upload) {
          const upload = await readUpload(request, rest.upload);
          if (!upload.ok) return send(reply, upload.result);
          body = upload.body;
        }
        const params = request.params as Record<string, string>;
        const args = operation.args.map((arg) => (arg.in === 'path' ? params[arg.name] : arg.in === 'query' ? request.query : body));
        return send(reply, await run(contextFor(request, id), ...args));
      },
    });
  }

  return app;
}
