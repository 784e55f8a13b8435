// Reading every live document a page at a time along the registration-time index: each document exactly once, even
// when many share one instant (a sync brings whole batches stamped alike), straddling pages or filling them.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../../shared/ids';
import type { StoredLearner } from '../../shared/schemas/learner';
import { createAppDatabase, type AppDatabase } from '../../electron/db/database';
import { readLive, type Pages } from '../../electron/reports/read-live';

const at = (second: number) => `2031-01-01 00:00:${String(second).padStart(2, '0')}.000000+00:00`;

let db: AppDatabase;
const expected: string[] = [];

beforeAll(async () => {
  db = await createAppDatabase(getRxStorageMemory(), `read-live-${process.pid}`);
  // Seconds 0..9: one document each at 0..4, 25 at 5 (more than a page), 7 at 6, one each at 7..9; and some deleted.
  const counts = [1, 1, 1, 1, 1, 25, 7, 1, 1, 1];
  const docs: StoredLearner[] = [];
  counts.forEach((count, second) => {
    for (let i = 0; i < count; i++) {
      const uuid = randomId();
      const deleted = i === 3;
      docs.push({ uuid, first_name: 'A', last_name: 'B', email_address: `${uuid.toLowerCase()}@example.org`, is_archived: false, is_deleted: deleted, sync: { times: {}, by: {} }, created_time: at(second), last_modified_time: at(second) });
      if (!deleted) expected.push(uuid);
    }
  });
  await db.learners.bulkInsert(docs);
});
afterAll(() => db?.close());

describe('reading every live document by pages', () => {
  for (const pageSize of [1, 2, 5, 8, 10, 1000]) {
    it(`takes each exactly once with pages of ${pageSize}`, async () => {
      const taken: string[] = [];
      await readLive<StoredLearner>(db.learners as unknown as Pages, (doc) => taken.push(doc.uuid), pageSize);
      expect(taken).toHaveLength(expected.length);
      expect(new Set(taken)).toEqual(new Set(expected));
    });
  }
});
