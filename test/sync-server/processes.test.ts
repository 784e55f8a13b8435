// Several server processes on one PostgreSQL: a stream hears writes made through any of them.
import { registerAccess } from '../../server/access';
import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../../shared/ids';
import { RESYNC } from '../../shared/sync-protocol';
import { buildApp } from '../../server/app';
import { openPostgres, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';
import { registerSync } from '../../server/sync/routes';
import { createToken, createTokenVerifier } from '../../server/tokens';
import { freshPostgresUrl } from '../support/backends';
import { httpHost } from '../support/hosts';
import { startScript } from '../support/processes';
import { uniqueEmail } from '../contract/cases';
import { insertRow, learnerDoc, nextBatch, openStream, syncClient, type SyncClient } from './support';

describe('sync across server processes on PostgreSQL', { timeout: 120_000 }, () => {
  let url: string;
  let host: Awaited<ReturnType<typeof httpHost>>;
  let sync: SyncClient;
  beforeAll(async () => {
    url = await freshPostgresUrl();
    const db = openPostgres(url);
    await migrate(db);
    host = await httpHost(db);
    sync = syncClient(host.baseUrl, host.token);
  });
  afterAll(() => host?.close());

  it('streams, from a second app on its own connections, what the first one wrote', async () => {
    const db: Database = openPostgres(url);
    const second = await buildApp({ db });
    await second.listen({ port: 0, host: '127.0.0.1' });
    const address = second.server.address();
    const secondUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    try {
      const stream = await openStream(`${secondUrl}/sync/v1/learners/stream`, host.token);
      try {
        expect(await stream.next()).toBe(RESYNC);
        const doc = learnerDoc();
        await sync.push('learners', [insertRow(doc)]);
        expect((await nextBatch(stream)).documents.map((d) => d.uuid)).toEqual([doc.uuid]);
        const created = await host.call('learner.create', { first_name: 'Other', last_name: 'App', email_address: uniqueEmail() });
        expect((await nextBatch(stream)).documents.map((d) => d.uuid)).toEqual([(created.body.data as { uuid: string }).uuid]);
      } finally {
        stream.close();
      }
    } finally {
      await second.close();
      await db.close();
    }
  });

  it('streams, from a separate server process, what this one wrote; and that process stops cleanly with streams open', async () => {
    const token = await createToken(host.db, `process-${randomId()}`);
    const child = startScript('server/cli.ts', [], { DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'warn' }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    try {
      const [, childUrl] = await child.match;
      const stream = await openStream(`${childUrl}/sync/v1/learner_profiles/stream`, token);
      expect(await stream.next()).toBe(RESYNC);
      const created = await host.call('learner.create', { first_name: 'Cross', last_name: 'Process', email_address: uniqueEmail() });
      const learnerId = (created.body.data as { uuid: string }).uuid;
      await host.call('learnerProfile.create', learnerId, {});
      expect((await nextBatch(stream)).documents).toEqual([expect.objectContaining({ learner_id: learnerId, _deleted: false })]);

      // And the other way round: a push to the child reaches a stream here.
      const here = await sync.stream('learners');
      expect(await here.next()).toBe(RESYNC);
      const doc = learnerDoc();
      expect((await syncClient(childUrl!, token).push('learners', [insertRow(doc)])).body).toEqual({ conflicts: [], rejected: [] });
      expect((await nextBatch(here)).documents.map((d) => d.uuid)).toEqual([doc.uuid]);
      here.close();

      child.child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      await stream.ended;
    } finally {
      child.child.kill('SIGKILL');
    }
  });

  it('catches up after its LISTEN connection is cut', async () => {
    const db: Database = openPostgres(url);
    const app = Fastify();
    const tokens = await createTokenVerifier(db);
    await registerAccess(app, tokens);
    app.addHook('onClose', () => tokens.close());
    await registerSync(app, db, tokens, { checkMs: 200 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const appUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const stream = await openStream(`${appUrl}/sync/v1/learners/stream`, host.token);
      expect(await stream.next()).toBe(RESYNC);
      const cut = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "sync_learners"' AND pid <> pg_backend_pid()`,
      );
      expect(cut.rowCount).toBeGreaterThan(0);
      // Written while that process may not be listening: the change still arrives, once.
      const docs = [learnerDoc(), learnerDoc()];
      await sync.push('learners', [insertRow(docs[0]!)]);
      await sync.push('learners', [insertRow(docs[1]!)]);
      const streamed: string[] = [];
      while (streamed.length < 2) streamed.push(...(await nextBatch(stream)).documents.map((d) => d.uuid as string));
      expect(streamed).toEqual(docs.map((d) => d.uuid));
      stream.close();
    } finally {
      await admin.end();
      await app.close();
      await db.close();
    }
  });
});
