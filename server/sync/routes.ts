// The sync endpoints, `/sync/v1/{collection}/pull|push|stream` (shapes in shared/sync-protocol.ts, checkpoints
// explained in ./changes.ts). The app's bearer-token hook guards them like every other route; failures use the
// contract's envelope: 404 for an unknown collection, and for `push` to achievements, which only the server
// writes (the endpoint does not exist for a pull-only collection); 422 for a bad query or body.
import fastifySSE from '@fastify/sse';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { messages } from '../../shared/messages';
import { fail, invalid, type Result } from '../../shared/result';
import {
  isPushCollection,
  isSyncCollection,
  pullQuery,
  PUSH_MAX_BYTES,
  pushRequest,
  SERVER_TIME_HEADER,
  SYNC_BASE,
} from '../../shared/sync-protocol';
import { parseInput, toErrorDetails } from '../../shared/validation';
import type { Database } from '../db/database';
import { createPostgresRepository } from '../repository';
import { z } from 'zod';
import { pullChanges } from './changes';
import { bucketDocuments, DigestCache } from './digest';
import { countStart } from './epoch';
import { applyPush } from './push';
import { SyncStreams, type StreamOptions } from './streams';

export type SyncOptions = StreamOptions;

/** `GET bucket?b=<first character of the ids>`. */
const bucketQuery = z.object({ b: z.string().regex(/^[A-Za-z0-9]$/, 'a bucket is one letter or digit') });

const send = (reply: FastifyReply, result: Result) => reply.code(result.status).send(result.body);
const notFound = fail(404, messages.notFound);

const collectionParam = (request: FastifyRequest) => (request.params as { collection: string }).collection;

/** The request passed the auth hook, so its header holds a live token. */
const bearerToken = (request: FastifyRequest) => (request.headers.authorization ?? '').slice('Bearer '.length).trim();

export async function registerSync(app: FastifyInstance, db: Database, options: SyncOptions = {}): Promise<SyncStreams> {
  const repo = createPostgresRepository(db);
  const streams = new SyncStreams(db, app.log, options);
  const digests = new DigestCache();
  await countStart(db);
  // Before the server waits for its connections to end: open streams never end by themselves.
  app.addHook('preClose', async () => streams.close());

  await app.register(async (scope) => {
    // HEARTBEAT events (./streams.ts) keep idle streams alive and tell devices the server is there.
    await scope.register(fastifySSE, { heartbeatInterval: 0 });

    // Every answer says what time it is here: devices compare it with their own clock.
    scope.addHook('onSend', async (_request, reply) => {
      reply.header(SERVER_TIME_HEADER, String(Date.now()));
    });

    scope.get(`${SYNC_BASE}/:collection/pull`, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isSyncCollection(collection)) return send(reply, notFound);
      const query = parseInput(pullQuery, request.query, 'query');
      if (!query.ok) return send(reply, query.result);
      const { checkpoint: seq, epoch, generation, limit } = query.value;
      return reply.send(await pullChanges(db, collection, { seq, epoch, generation }, limit));
    });

    scope.get(`${SYNC_BASE}/:collection/digest`, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isSyncCollection(collection)) return send(reply, notFound);
      return reply.send(await digests.digest(db, collection));
    });

    scope.get(`${SYNC_BASE}/:collection/bucket`, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isSyncCollection(collection)) return send(reply, notFound);
      const query = parseInput(bucketQuery, request.query, 'query');
      if (!query.ok) return send(reply, query.result);
      return reply.send({ documents: await bucketDocuments(db, collection, query.value.b) });
    });

    scope.post(`${SYNC_BASE}/:collection/push`, { bodyLimit: PUSH_MAX_BYTES }, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isPushCollection(collection)) return send(reply, notFound);
      // Only the request's shape is checked here; each document is judged on its own row (a bad document is a
      // rejected row, not a failed push), which is why this is not `parseInput`, whose text check spans the body.
      const rows = pushRequest.safeParse(request.body, { reportInput: true });
      if (!rows.success) return send(reply, invalid(toErrorDetails(rows.error.issues, 'body')));
      return reply.send(await applyPush(repo, collection, rows.data));
    });

    // No HEAD twin: a HEAD request would open a stream that can never carry a byte.
    scope.get(`${SYNC_BASE}/:collection/stream`, { sse: 'manual', exposeHeadRoute: false }, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isSyncCollection(collection)) return send(reply, notFound);
      await streams.open(collection, bearerToken(request), reply);
    });
  });
  return streams;
}
