// The browser preview's HTTP side: the same handler table as IPC (`POST /api/<operation id>` with the argument list
// as a JSON array, answering `{status, body}`), the change feed as Server-Sent Events, and the built renderer.
// Local pages of other sites must not reach it: it answers only requests addressed to its own host and origin, and
// calls must be JSON (which a cross-site form cannot send without a CORS preflight that is never granted). Other
// local processes must not either: every request needs this launch's secret, which only the address printed at
// start carries; opening that address once sets it as an HttpOnly, SameSite=Strict cookie.
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import fastifySse from '@fastify/sse';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { IMPORT_MAX_BYTES, importOperationIds } from '../shared/contract';
import { fail, invalid, type Result } from '../shared/result';
import type { Api } from './api/api';
import { SECURITY_HEADERS } from './app-protocol';
import { DOWNLOAD_PATH, type OutgoingFile } from './reports/deliveries';
import type { EventFeed } from './runtime';

export interface PreviewOptions {
  rendererDir: string;
  /** This launch's secret: printed in the start line's address, then kept by the browser as a cookie. */
  secret: string;
  logger?: boolean;
}

export const NO_KEY_MESSAGE = 'Open the address the preview printed when it started: it carries this launch’s key.';

function sameSecret(given: string | undefined, secret: string): boolean {
  const a = Buffer.from(given ?? '', 'utf8');
  const b = Buffer.from(secret, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

const badJson: Result = invalid([{ loc: ['body'], msg: 'the arguments must be a JSON array', type: 'value_error.jsondecode' }]);

export interface PreviewHost {
  api: Api;
  events: EventFeed;
  /** The report behind a download link, once; a refusal while the app is locked. Without it no link works. */
  takeDownload?(token: string): OutgoingFile | Result | undefined;
}

export async function createPreviewServer(host: PreviewHost, options: PreviewOptions): Promise<FastifyInstance> {
  // Open event streams must not hold up a shutdown.
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  let allowedHosts = new Set<string>();
  // Cookies are shared by every port of a host: the name keeps two previews apart.
  let cookieName = 'preview_key';
  app.server.on('listening', () => {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    cookieName = `preview_key_${port}`;
  });

  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? '';
    const origin = request.headers.origin;
    if (!allowedHosts.has(host) || (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, '')))) {
      return reply.code(403).send(fail(403, 'Forbidden'));
    }
    const url = new URL(request.url, 'http://preview.invalid');
    const key = url.searchParams.get('key');
    if (request.method === 'GET' && key !== null) {
      if (!sameSecret(key, options.secret)) return reply.code(401).send(fail(401, NO_KEY_MESSAGE));
      // The address without its key, so the secret leaves the address bar and the history.
      return reply
        .header('set-cookie', `${cookieName}=${options.secret}; HttpOnly; SameSite=Strict; Path=/`)
        .redirect(url.pathname, 303);
    }
    if (!sameSecret(cookie(request.headers.cookie, cookieName), options.secret)) {
      return reply.code(401).send(fail(401, NO_KEY_MESSAGE));
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
    const unsubscribe = host.events.subscribe((events) => {
      if (reply.sse.isConnected) void reply.sse.send({ data: events });
    });
    reply.sse.onClose(unsubscribe);
    await reply.sse.send({ event: 'ready', data: { ok: true } });
  });

  const call = (id: string, body: unknown) => host.api.handle(id, body);
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
    const file = host.takeDownload?.(request.params.token);
    if (file && 'status' in file) return reply.code(file.status).send(file);
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
