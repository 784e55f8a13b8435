// The browser preview's HTTP side: the same handler table as IPC (`POST /api/<operation id>` with the argument list
// as a JSON array, answering `{status, body}`), the change feed as Server-Sent Events, and the built renderer.
// Local pages of other sites must not reach it: it answers only requests addressed to its own host and origin, and
// calls must be JSON (which a cross-site form cannot send without a CORS preflight that is never granted).
import { existsSync } from 'node:fs';
import fastifySse from '@fastify/sse';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { IMPORT_MAX_BYTES, importOperationIds } from '../shared/contract';
import { fail, invalid, type Result } from '../shared/result';
import { SECURITY_HEADERS } from './app-protocol';
import { DOWNLOAD_PATH } from './reports/deliveries';
import type { Services } from './services';

export interface PreviewOptions {
  rendererDir: string;
  logger?: boolean;
}

const badJson: Result = invalid([{ loc: ['body'], msg: 'the arguments must be a JSON array', type: 'value_error.jsondecode' }]);

export async function createPreviewServer(services: Services, options: PreviewOptions): Promise<FastifyInstance> {
  // Open event streams must not hold up a shutdown.
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  let allowedHosts = new Set<string>();
  app.server.on('listening', () => {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  });

  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? '';
    const origin = request.headers.origin;
    if (!allowedHosts.has(host) || (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, '')))) {
      return reply.code(403).send(fail(403, 'Forbidden'));
    }
  });

  // The same headers as the app's own scheme: the policy, and no framing by any page.
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send(fail(413, 'Request body too large'));
    if (status === 415) return reply.code(415).send(fail(415, 'Calls must be sent as application/json'));
    if (status < 500) return reply.code(422).send(badJson);
    request.log.error(error);
    return reply.code(500).send(fail(500, 'Internal Server Error'));
  });

  await app.register(fastifySse, { heartbeatInterval: 15_000 });
  app.get('/api/events', { sse: 'only' }, async (request, reply) => {
    reply.sse.keepAlive();
    const unsubscribe = services.changes.subscribe((all) => {
      const events = services.kiosk.visibleEvents(all);
      if (events.length > 0 && reply.sse.isConnected) void reply.sse.send({ data: events });
    });
    reply.sse.onClose(unsubscribe);
    await reply.sse.send({ event: 'ready', data: { ok: true } });
  });

  const call = (id: string, body: unknown) => services.api.handle(id, body);
  app.post<{ Params: { id: string } }>('/api/:id', async (request, reply) => {
    if (request.body === undefined) return reply.code(422).send(badJson);
    const result = await call(request.params.id, request.body);
    return reply.code(result.status).send(result);
  });
  // An import's records are a whole file: its call may be as large as the largest file (with room for the JSON).
  for (const id of importOperationIds) {
    app.post(`/api/${id}`, { bodyLimit: IMPORT_MAX_BYTES + 1024 * 1024 }, async (request, reply) => {
      if (request.body === undefined) return reply.code(422).send(badJson);
      const result = await call(id, request.body);
      return reply.code(result.status).send(result);
    });
  }

  // A report made for this page: its link works once (the file is then forgotten), and for a few minutes at most.
  app.get<{ Params: { token: string } }>(`${DOWNLOAD_PATH}:token`, async (request, reply) => {
    const file = services.downloads.take(request.params.token);
    if (!file) return reply.code(404).send(fail(404, 'This file is no longer available: make it again'));
    return reply
      .header('content-type', file.type)
      .header('content-disposition', `attachment; filename="${file.name}"`)
      .header('cache-control', 'no-store')
      // A view of the same memory: a copy of a 25 MB file would hold the event loop.
      .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  });

  if (existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, wildcard: false });
    // The renderer routes in the browser: any other path is the app shell.
    app.setNotFoundHandler((request, reply) =>
      request.url.startsWith('/api/') ? reply.code(404).send(fail(404, 'Not Found')) : reply.sendFile('index.html'),
    );
  }
  return app;
}
