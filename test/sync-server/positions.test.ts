// Change positions across a database's life (../../server/sync/changes.ts): rows and checkpoints from before
// positions carried a transaction id keep their order after the upgrade, and a database copied into another
// PostgreSQL cluster, whose ids may be ahead of that cluster's, is taken as a new history rather than frozen.
import { describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';
import { putDocument } from '../../server/repository';
import { currentHistory } from '../../server/sync/epoch';
import { pullChanges } from '../../server/sync/changes';
import { freshPostgresUrl } from '../support/backends';
import { learnerDoc } from './support';

const openers: [string, () => Promise<Database>][] = [
  ['pglite', () => openPglite()],
  ['postgres', async () => openPostgres(await freshPostgresUrl())],
];

const ids = (batch: { documents: Record<string, unknown>[] }) => batch.documents.map((doc) => doc.uuid);

for (const [name, open] of openers) {
  describe(`change positions on ${name}`, () => {
    it('keeps the order of rows written before the upgrade, and the meaning of checkpoints issued then', async () => {
      const db = await open();
      try {
        await migrate(db, 9);
        // Written as the server wrote before: each write takes the next value of the collection's counter row.
        const before = [learnerDoc(), learnerDoc(), learnerDoc()];
        const seqs: number[] = [];
        for (const doc of before) {
          const [row] = await db.query<{ seq: string }>(
            `WITH next AS (UPDATE collection_seq SET value = value + 1 WHERE collection = 'learners' RETURNING value)
             INSERT INTO learners (uuid, doc, seq) VALUES ($1, $2::jsonb, (SELECT value FROM next)) RETURNING seq`,
            [doc.uuid, JSON.stringify(doc)],
          );
          seqs.push(Number(row!.seq));
        }
        await migrate(db);
        const history = await currentHistory(db);

        const after = learnerDoc();
        const seq = await db.transaction((sql) => putDocument(sql, 'learners', after.uuid, after));
        expect(seq).toBe(seqs[2]! + 1);

        // A device's checkpoint from before the upgrade names a seq only: it goes on where it stood.
        const resumed = await pullChanges(db, 'learners', { seq: seqs[1]!, ...history }, 100);
        expect(resumed.restarted).toBeUndefined();
        expect(ids(resumed)).toEqual([before[2]!.uuid, after.uuid]);
        const all = await pullChanges(db, 'learners', { seq: 0, generation: history.generation }, 100);
        expect(ids(all)).toEqual([...before, after].map((doc) => doc.uuid));
        expect(all.checkpoint).toMatchObject({ seq, xid: expect.any(Number) });
        expect(all.checkpoint.xid).toBeGreaterThan(0);
      } finally {
        await db.close();
      }
    });

    it('takes rows whose transaction ids this cluster has not reached as history, under a new epoch', async () => {
      const db = await open();
      try {
        await migrate(db);
        const copied = [learnerDoc(), learnerDoc()];
        for (const doc of copied) await db.transaction((sql) => putDocument(sql, 'learners', doc.uuid, doc));
        const old = await currentHistory(db);
        const held = await pullChanges(db, 'learners', { seq: 0, ...old }, 100);
        expect(ids(held)).toEqual(copied.map((doc) => doc.uuid));
        // As a dump restored into another cluster leaves them: ids far ahead of this cluster's.
        const ahead = 2 ** 40;
        await db.query(`UPDATE learners SET xid = (xid::text::bigint + $1)::text::xid8`, [ahead]);
        await db.query(`UPDATE scope_exits SET xid = (xid::text::bigint + $1)::text::xid8`, [ahead]);

        await migrate(db); // as every server start does
        const renewed = await currentHistory(db);
        expect(renewed.epoch).not.toBe(old.epoch);
        const [row] = await db.query<{ max: string }>(`SELECT max(xid)::text AS max FROM learners`);
        expect(row!.max).toBe('0');

        // A device that synced with the original is sent back to the start, and gets everything.
        const restarted = await pullChanges(db, 'learners', { ...held.checkpoint, generation: held.checkpoint.generation ?? 0 }, 100);
        expect(restarted.restarted).toBe(true);
        expect(ids(restarted)).toEqual(copied.map((doc) => doc.uuid));
        // New writes come after them.
        const next = learnerDoc();
        await db.transaction((sql) => putDocument(sql, 'learners', next.uuid, next));
        const more = await pullChanges(db, 'learners', { ...restarted.checkpoint, generation: restarted.checkpoint.generation ?? 0 }, 100);
        expect(ids(more)).toEqual([next.uuid]);
      } finally {
        await db.close();
      }
    });
  });
}
