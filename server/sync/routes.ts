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
  WHOAMI_PATH,
  type WhoAmI,
} from '../../shared/sync-protocol';
import { parseInput, toErrorDetails } from '../../shared/validation';
import type { Database } from '../db/database';
import { createPostgresRepository } from '../repository';
import { z } from 'zod';
import { pullChanges } from './changes';
import { isLegacyPull, legacyBatch, readEpoch } from './legacy-checkpoint';
import { bucketDocuments, DigestCache } from './digest';
import { countStart } from './epoch';
import { applyPush } from './push';
import { MAX_STREAMS_PER_TOKEN, SyncStreams, TooManyStreams, type StreamOptions } from './streams';
import type { TokenVerifier } from '../tokens';

export type SyncOptions = StreamOptions;

/** `GET bucket?b=<first character of the ids>`. */
const bucketQuery = z.object({ b: z.string().regex(/^[A-Za-z0-9]$/, 'a bucket is one letter or digit') });

const send = (reply: FastifyReply, result: Result) => reply.code(result.status).send(result.body);
const notFound = fail(404, messages.notFound);

const collectionParam = (request: FastifyRequest) => (request.params as { collection: string }).collection;

/** The request passed the auth hook, so its header holds a live token. */
const bearerToken = (request: FastifyRequest) => (request.headers.authorization ?? '').slice('Bearer '.length).trim();

export async function registerSync(app: FastifyInstance, db: Database, tokens: TokenVerifier, options: SyncOptions = {}): Promise<SyncStreams> {
  const streams = new SyncStreams(db, app.log, tokens, options);
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
      const { checkpoint: seq, generation, limit } = query.value;
      const named = readEpoch(query.value.epoch);
      const batch = await pullChanges(db, collection, { seq, xid: named.xid ?? query.value.xid, epoch: named.epoch, generation }, limit, request.identity);
      return reply.send(isLegacyPull(request.query) ? legacyBatch(batch) : batch);
    });

    scope.get(`${SYNC_BASE}/:collection/digest`, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isSyncCollection(collection)) return send(reply, notFound);
      return reply.send(await digests.digest(db, collection, request.identity));
    });

    scope.get(`${SYNC_BASE}/:collection/bucket`, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isSyncCollection(collection)) return send(reply, notFound);
      const query = parseInput(bucketQuery, request.query, 'query');
      if (!query.ok) return send(reply, query.result);
      return reply.send({ documents: await bucketDocuments(db, collection, query.value.b, request.identity) });
    });

    scope.post(`${SYNC_BASE}/:collection/push`, { bodyLimit: PUSH_MAX_BYTES }, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isPushCollection(collection)) return send(reply, notFound);
      // Only the request's shape is checked here; each document is judged on its own row (a bad document is a
      // rejected row, not a failed push), which is why this is not `parseInput`, whose text check spans the body.
      const rows = pushRequest.safeParse(request.body, { reportInput: true });
      if (!rows.success) return send(reply, invalid(toErrorDetails(rows.error.issues, 'body')));
      // Stored as the device wrote its edits (not dated again), signed with the token's name, in the audit log.
      const repo = createPostgresRepository(db, { writer: { token: request.identity.name, operation: 'sync.push' } });
      return reply.send(await applyPush(repo, collection, rows.data, request.identity));
    });

    // No HEAD twin: a HEAD request would open a stream that can never carry a byte.
    scope.get(`${SYNC_BASE}/:collection/stream`, { sse: 'manual', exposeHeadRoute: false }, async (request, reply) => {
      const collection = collectionParam(request);
      if (!isSyncCollection(collection)) return send(reply, notFound);
      try {
        await streams.open(collection, bearerToken(request), request.identity, reply);
      } catch (error) {
        if (error instanceof TooManyStreams) return send(reply, fail(429, `Too many open streams for this token (${MAX_STREAMS_PER_TOKEN} at most)`));
        throw error;
      }
    });

    // Who this device is to the server: its token's name, and the centers it serves (the device shows them).
    scope.get(WHOAMI_PATH, async (request, reply) => {
      const { name, admin, centers } = request.identity;
      const named = await db.query<{ id: string; name: string }>(
        admin ? 'SELECT id, name FROM centers ORDER BY name' : 'SELECT id, name FROM centers WHERE id = ANY($1::text[]) ORDER BY name',
        admin ? [] : [[...centers]],
      );
      return reply.send({ name, admin, centers: named } satisfies WhoAmI);
    });
  });
  return streams;
}
