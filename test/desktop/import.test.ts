// A large import on the desktop (SQLite storage, through the browser bridge): written in chunks, with progress
// events on the change feed for the screens, and all or nothing like every other host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../shared/desktop';
import type { Progress } from '../../shared/progress';
import { bridgeHost } from '../support/bridge-host';
import { uniqueEmail } from '../contract/cases';

describe('desktop import', () => {
  let host: Awaited<ReturnType<typeof bridgeHost>>;
  beforeAll(async () => {
    host = await bridgeHost();
  });
  afterAll(() => host?.close());

  const total = async () => (await host.call('learner.list', { limit: 1 })).body.data as { total_count: number };

  it('imports 3000 learners in chunks, reporting checking and saving progress on the change feed', async () => {
    const progress: Progress[] = [];
    const unsubscribe = host.services.changes.subscribe((events: ChangeEvent[]) => {
      for (const event of events) if (event.collection === 'progress' && event.progress) progress.push(event.progress);
    });
    try {
      const records = Array.from({ length: 3000 }, (_, i) => ({ first_name: `Many${i}`, last_name: 'Imported', email_address: uniqueEmail() }));
      const result = await host.call('learner.import', records);
      expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBe(200);
      expect(result.body.data).toHaveLength(3000);
      expect((await total()).total_count).toBe(3000);
      await expect.poll(() => progress.some((p) => p.phase === 'saving' && p.done === 3000)).toBe(true);
      expect(progress.every((p) => p.operation === 'learner.import' && p.total === 3000)).toBe(true);
      expect(progress.some((p) => p.phase === 'checking')).toBe(true);
      const saving = progress.filter((p) => p.phase === 'saving').map((p) => p.done);
      expect(saving).toEqual([...saving].sort((a, b) => a - b));
    } finally {
      unsubscribe();
    }
  });

  it('creates nothing when the last of many records is bad', async () => {
    const before = (await total()).total_count;
    const records = Array.from({ length: 600 }, (_, i) => ({ first_name: `Almost${i}`, last_name: 'Imported', email_address: uniqueEmail() }));
    records.push({ first_name: 'Bad', last_name: 'Record', email_address: 'nope' });
    const result = await host.call('learner.import', records);
    expect(result.status).toBe(422);
    expect((result.body.data as { loc: unknown[] }[])[0]!.loc).toEqual(['body', 600, 'email_address']);
    expect((await total()).total_count).toBe(before);
  });
});
