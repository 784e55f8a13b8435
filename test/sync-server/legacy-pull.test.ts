// Pulls from desktop builds that predate positions naming their transaction (server/sync/legacy-checkpoint.ts):
// they get checkpoints of the shape they accept, page through every change once, and an updated build carries on
// from such a checkpoint without starting over.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { legacyEpoch, readEpoch } from '../../server/sync/legacy-checkpoint';
import { backends } from '../support/backends';
import { insertRow, learnerDoc, legacyCheckpoint, useSyncHost } from './support';

describe('a legacy checkpoint epoch', () => {
  it('carries the epoch and the transaction id within 40 characters, and reads back the same', () => {
    for (const xid of [0, 1, 35, 36, 4_294_967_295, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) {
      for (const epoch of [randomBytes(16).toString('hex'), '0'.repeat(32), 'f'.repeat(32)]) {
        const carried = legacyEpoch(epoch, xid);
        expect(carried.length).toBeLessThanOrEqual(40);
        expect(readEpoch(carried)).toEqual({ epoch, xid });
      }
    }
  });

  it('leaves a plain epoch plain, and one it cannot read as it is (so it names no history)', () => {
    const epoch = randomBytes(16).toString('hex');
    expect(readEpoch(epoch)).toEqual({ epoch });
    expect(readEpoch(undefined)).toEqual({ epoch: undefined });
    for (const bad of ['~1', 'abc~', 'ABC~1', `${'z'.repeat(26)}~1`, 'abc~toolongforanxid']) expect(readEpoch(bad)).toEqual({ epoch: bad });
  });
});

for (const backend of backends) {
  describe(`pulls of builds before xid, on ${backend.name}`, () => {
    const context = useSyncHost(backend);

    it('answers in the shape those builds accept, and pages through every change once, in the current order', async () => {
      const docs = Array.from({ length: 13 }, () => learnerDoc());
      expect((await context.sync.push('learners', docs.map(insertRow))).body).toEqual({ conflicts: [], rejected: [] });
      const current = (await context.sync.pullAll('learners')).documents.map((doc) => doc.uuid);

      const seen: string[] = [];
      let checkpoint = { seq: 0 } as { seq: number; epoch?: string; generation?: number };
      for (;;) {
        const page = await context.sync.pullLegacy('learners', checkpoint, 4);
        expect(page.status).toBe(200);
        expect(legacyCheckpoint.parse(page.body.checkpoint)).toEqual(page.body.checkpoint);
        expect(page.body.restarted).toBeUndefined();
        checkpoint = page.body.checkpoint;
        if (page.body.documents.length === 0) break;
        seen.push(...page.body.documents.map((doc) => doc.uuid as string));
      }
      expect(seen).toEqual(current);
      expect(seen).toEqual(expect.arrayContaining(docs.map((doc) => doc.uuid)));

      // Written after: the legacy checkpoint hands out exactly these.
      const later = [learnerDoc(), learnerDoc()];
      await context.sync.push('learners', later.map(insertRow));
      expect((await context.sync.pullLegacy('learners', checkpoint, 100)).body.documents.map((doc) => doc.uuid)).toEqual(later.map((doc) => doc.uuid));

      // The same laptop, updated, sends the checkpoint it kept back with xid=0: it carries on, nothing again.
      const updated = await context.sync.request<{ documents: { uuid: string }[]; restarted?: boolean }>(
        'GET',
        `/sync/v1/learners/pull?${new URLSearchParams({ checkpoint: String(checkpoint.seq), xid: '0', epoch: checkpoint.epoch!, generation: String(checkpoint.generation) })}`,
      );
      expect(updated.body.restarted).toBeUndefined();
      expect(updated.body.documents.map((doc) => doc.uuid)).toEqual(later.map((doc) => doc.uuid));
    });

    it('answers a legacy checkpoint of another history from the start', async () => {
      const page = await context.sync.pullLegacy('learners', { seq: 1, epoch: legacyEpoch(randomBytes(16).toString('hex'), 5), generation: 1 }, 10);
      expect(page.body.restarted).toBe(true);
      expect(legacyCheckpoint.safeParse(page.body.checkpoint).success).toBe(true);
    });
  });
}
