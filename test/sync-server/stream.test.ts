// `GET /sync/v1/{collection}/stream`: RESYNC first, then every committed write, from any connection and any path.
import { registerAccess } from '../../server/access';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../../shared/ids';
import { HEARTBEAT, RESYNC } from '../../shared/sync-protocol';
import type { Database } from '../../server/db/database';
import { registerSync, type SyncOptions } from '../../server/sync/routes';
import type { SyncStreams } from '../../server/sync/streams';
import { createToken, revokeToken, createTokenVerifier } from '../../server/tokens';
import { backends } from '../support/backends';
import { uniqueEmail } from '../contract/cases';
import { edited, insertRow, isAfter, learnerDoc, nextBatch, openStream, stored, syncClient, updateRow, useSyncHost } from './support';

/** The sync routes alone, with short timers, so heartbeats and token checks can be watched. */
async function bareSyncServer(db: Database, options: SyncOptions) {
  const app: FastifyInstance = Fastify();
  const tokens = await createTokenVerifier(db);
  await registerAccess(app, tokens);
  app.addHook('onClose', () => tokens.close());
  const streams: SyncStreams = await registerSync(app, db, tokens, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { app, streams, baseUrl, tokens };
}

for (const backend of backends) {
  describe(`sync stream on ${backend.name}`, () => {
    const context = useSyncHost(backend);

    it('opens as an event stream that starts with RESYNC', async () => {
      const stream = await context.sync.stream('learners');
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(stream.headers.get('cache-control')).toBe('no-cache');
        expect(stream.headers.get('connection')).toBe('close');
        expect(await stream.next()).toBe(RESYNC);
      } finally {
        stream.close();
      }
    });

    it('sends a push made on another connection as a batch with its checkpoint', async () => {
      const stream = await context.sync.stream('learners');
      try {
        expect(await stream.next()).toBe(RESYNC);
        const doc = learnerDoc();
        const other = syncClient(context.host.baseUrl, context.host.token);
        await other.push('learners', [insertRow(doc)]);
        const batch = await nextBatch(stream);
        expect(batch.documents).toEqual([{ ...doc, _deleted: false }]);
        // Just before the batch's position: the same transaction, the seq before.
        const pulled = await context.sync.pullAll('learners', { ...batch.checkpoint, seq: batch.checkpoint.seq - 1 });
        expect(pulled.documents.map((d) => d.uuid)).toEqual([doc.uuid]);
        expect(pulled.checkpoint).toEqual(batch.checkpoint);

        const next = edited(doc, { first_name: 'Streamed' });
        await other.push('learners', [updateRow(doc, next)]);
        const second = await nextBatch(stream);
        expect(second.documents.map((d) => stored(d))).toEqual([next]);
        expect(isAfter(second.checkpoint, batch.checkpoint)).toBe(true);
      } finally {
        stream.close();
      }
    });

    it('sends writes made through the REST API, and only to streams of their collection', async () => {
      const learners = await context.sync.stream('learners');
      const profiles = await context.sync.stream('learner_profiles');
      const achievements = await context.sync.stream('achievements');
      try {
        for (const stream of [learners, profiles, achievements]) expect(await stream.next()).toBe(RESYNC);
        const created = await context.host.call('learner.create', { first_name: 'Rest', last_name: 'Stream', email_address: uniqueEmail() });
        const learnerId = (created.body.data as { uuid: string }).uuid;
        expect((await nextBatch(learners)).documents).toEqual([expect.objectContaining({ uuid: learnerId, _deleted: false })]);

        await context.host.call('learnerProfile.create', learnerId, { personal_goals: 'Stream' });
        expect((await nextBatch(profiles)).documents).toEqual([
          expect.objectContaining({ learner_id: learnerId, personal_goals: 'Stream', _deleted: false }),
        ]);
        // Archiving the learner changes both documents in one transaction: one batch on each stream.
        await context.host.call('learner.update', learnerId, { is_archived: true });
        expect((await nextBatch(learners)).documents).toEqual([expect.objectContaining({ uuid: learnerId, is_archived: true })]);
        expect((await nextBatch(profiles)).documents).toEqual([expect.objectContaining({ learner_id: learnerId, is_archived: true })]);

        const achievement = await context.host.addAchievement({ type: 'competency', name: 'Streams' });
        expect((await nextBatch(achievements)).documents).toEqual([expect.objectContaining({ uuid: achievement })]);
      } finally {
        for (const stream of [learners, profiles, achievements]) stream.close();
      }
    });

    it('hands every change to a live client, in order and without gaps, however writes interleave', async () => {
      const stream = await context.sync.stream('learners');
      try {
        expect(await stream.next()).toBe(RESYNC);
        const from = (await context.sync.pullAll('learners')).checkpoint;
        const docs = Array.from({ length: 30 }, () => learnerDoc());
        await Promise.all(docs.map((doc) => context.sync.push('learners', [insertRow(doc)])));
        const pulled = await context.sync.pullAll('learners', from);

        const streamed: string[] = [];
        let checkpoint = from;
        while (isAfter(pulled.checkpoint, checkpoint)) {
          const batch = await nextBatch(stream);
          expect(isAfter(batch.checkpoint, checkpoint)).toBe(true);
          checkpoint = batch.checkpoint;
          streamed.push(...batch.documents.map((d) => d.uuid as string));
        }
        expect(streamed).toEqual(pulled.documents.map((d) => d.uuid));
        expect(new Set(streamed)).toEqual(new Set(docs.map((d) => d.uuid)));
      } finally {
        stream.close();
      }
    });

    it('answers 404 for an unknown collection and 401 without a valid token, as envelopes', async () => {
      const unknown = await openStream(`${context.host.baseUrl}/sync/v1/students/stream`, context.host.token);
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
      const anonymous = await openStream(`${context.host.baseUrl}/sync/v1/learners/stream`, undefined);
      expect(anonymous.status).toBe(401);
      const wrong = await openStream(`${context.host.baseUrl}/sync/v1/learners/stream`, 'lpt_nope');
      expect(wrong.status).toBe(401);
      const json = await fetch(`${context.host.baseUrl}/sync/v1/students/stream`, { headers: { authorization: `Bearer ${context.host.token}` } });
      expect(await json.json()).toEqual({ success: false, message: 'Not Found', data: null });
      const head = await fetch(`${context.host.baseUrl}/sync/v1/learners/stream`, { method: 'HEAD', headers: { authorization: `Bearer ${context.host.token}` } });
      expect(head.status).toBe(404);
    });

    describe('with short timers', () => {
      let server: Awaited<ReturnType<typeof bareSyncServer>>;
      beforeAll(async () => {
        server = await bareSyncServer(context.host.db, { heartbeatMs: 30, checkMs: 30 });
      });
      afterAll(() => server?.app.close());

      it('sends heartbeats while idle', async () => {
        const stream = await openStream(`${server.baseUrl}/sync/v1/learners/stream`, context.host.token);
        try {
          expect(await stream.next()).toBe(RESYNC);
          expect(await stream.next()).toBe(HEARTBEAT);
          expect(await stream.next()).toBe(HEARTBEAT);
        } finally {
          stream.close();
        }
      });

      it('forgets a client that disconnects', async () => {
        // The previous test's client has gone too; its server side may take a moment to notice.
        await expect.poll(() => server.streams.openStreams, { timeout: 10_000 }).toBe(0);
        const stream = await openStream(`${server.baseUrl}/sync/v1/learners/stream`, context.host.token);
        expect(await stream.next()).toBe(RESYNC);
        expect(server.streams.openStreams).toBe(1);
        stream.close();
        await expect.poll(() => server.streams.openStreams, { timeout: 10_000 }).toBe(0);
        // Writes after the client left reach nobody and break nothing.
        await context.sync.push('learners', [insertRow(learnerDoc())]);
        const still = await openStream(`${server.baseUrl}/sync/v1/learners/stream`, context.host.token);
        try {
          expect(await still.next()).toBe(RESYNC);
        } finally {
          still.close();
        }
      });

      it('ends the stream of a token revoked while it is open', async () => {
        const name = `stream-${randomId()}`;
        const token = await createToken(context.host.db, name);
        await server.tokens.refresh();
        const doomed = await openStream(`${server.baseUrl}/sync/v1/learners/stream`, token);
        const kept = await openStream(`${server.baseUrl}/sync/v1/learners/stream`, context.host.token);
        try {
          expect(await doomed.next()).toBe(RESYNC);
          expect(await kept.next()).toBe(RESYNC);
          await revokeToken(context.host.db, name);
          await doomed.ended;
          const doc = learnerDoc();
          await context.sync.push('learners', [insertRow(doc)]);
          expect((await nextBatch(kept)).documents.map((d) => d.uuid)).toEqual([doc.uuid]);
        } finally {
          doomed.close();
          kept.close();
        }
      });
    });

    it('ends open streams when the server closes, so closing does not hang', async () => {
      const server = await bareSyncServer(context.host.db, {});
      const stream = await openStream(`${server.baseUrl}/sync/v1/learner_profiles/stream`, context.host.token);
      expect(await stream.next()).toBe(RESYNC);
      await server.app.close();
      await stream.ended;
      expect(server.streams.openStreams).toBe(0);
    });
  });
}
