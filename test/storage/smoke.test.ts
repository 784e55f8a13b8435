import { expect, test } from 'vitest';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { filledLearnerSchema, makeTempDirectory, newDocument, openInstance, prepared } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

test('smoke', async () => {
  const dir = makeTempDirectory();
  const storage = getRxStorageSqliteNode({ directory: dir.path });
  const instance = await openInstance<Learner>(storage, 'db', filledLearnerSchema);
  const res = await instance.bulkWrite([{ document: newDocument<Learner>({ id: 'a', name: 'x', age: 3, archived: false }) }], 'test');
  expect(res.error).toEqual([]);
  const q = await instance.query(prepared(filledLearnerSchema, { selector: { name: 'x' } }));
  expect(q.documents.length).toBe(1);
  await instance.close();
  dir.remove();
});
