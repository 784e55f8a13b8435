// The dashboard's figures against a data set worked out by hand (known-learners.ts), through the desktop's handler
// table on the real local database: counts by goal, the study-time histogram's bins, the other figures, the filters;
// figures that follow writes without a reload; and every number agreeing with the learner list it links to.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardFigures, LearnerFilter } from '../../shared/dashboard';
import type { Result } from '../../shared/result';
import { silentLog } from '../../electron/log';
import { memoryBox } from '../../electron/secrets';
import { startServices, type Services } from '../../electron/services';
import { TEST_DATA_KEY } from '../support/data-key';
import { ADVANCE, MONEY, NEW, restoreClock, seedKnownLearners } from './known-learners';

let services: Services;
let dataDir: string;
let ids: Record<string, string>;
const call = (id: string, ...args: unknown[]) => services.api.handle(id, args);
const figures = async (query: Record<string, unknown> = {}) => {
  const result = await call('dashboard.figures', query);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.data as DashboardFigures;
};
const counts = (list: { key: string; count: number }[]) => Object.fromEntries(list.map(({ key, count }) => [key, count]));
const names = async (query: Record<string, unknown>) => {
  const result: Result = await call('learner.browse', { limit: 500, sort_by: 'first_name', sort_order: 'ascending', ...query });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return (result.body.data as { records: { first_name: string }[] }).records.map((learner) => learner.first_name);
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lp-dashboard-'));
  services = await startServices({ dataDir, dataKey: TEST_DATA_KEY, secrets: memoryBox(), log: silentLog, version: 'test' });
  ids = await seedKnownLearners(call);
});
afterAll(async () => {
  await services?.close();
  restoreClock();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dashboard figures', () => {
  it('counts the active learners by every figure, as worked out by hand', async () => {
    const f = await figures();
    expect(f.query).toEqual({ status: 'active' });
    expect(f.month_start).toBe('2031-06-01');
    expect(f.totals).toEqual({ active: 8, archived: 1, new_this_month: 6 });
    expect(f.learners).toBe(8);
    expect(f.with_profile).toBe(7);
    expect(counts(f.profiles)).toEqual({ complete: 3, incomplete: 4, missing: 1 });
    // Most first; equal counts in the values' order.
    expect(f.goals).toEqual({ top: [{ key: MONEY, count: 3 }, { key: ADVANCE, count: 2 }, { key: NEW, count: 2 }], other_values: 0, other_learners: 0 });
    expect(counts(f.employment)).toEqual({ 'Full-time': 3, 'Part-time': 1, 'Seeking work': 1, Unemployed: 1, not_given: 1 });
    expect(f.study_time).toEqual([
      { key: '0', count: 1 },
      { key: '1-5', count: 2 },
      { key: '6-10', count: 1 },
      { key: '11-15', count: 1 },
      { key: '16-20', count: 0 },
      { key: '21-25', count: 0 },
      { key: '26-30', count: 1 },
      { key: 'not_given', count: 1 },
    ]);
    expect(f.careers.top).toEqual([{ key: 'Healthcare', count: 3 }, { key: 'Legal', count: 2 }, { key: 'Sales', count: 2 }]);
    expect(counts(f.progress)).toEqual({ none: 2, not_started: 1, in_progress: 2, completed: 2 });
    // No learner has a center yet: no center to choose.
    expect(f.centers).toEqual([]);
  });

  it('covers archived learners, or all, when asked', async () => {
    const archived = await figures({ status: 'archived' });
    expect(archived.learners).toBe(1);
    expect(archived.totals).toEqual({ active: 8, archived: 1, new_this_month: 6 });
    expect(archived.goals.top).toEqual([{ key: MONEY, count: 1 }]);
    expect(counts(archived.study_time)['6-10']).toBe(1);
    expect(counts(archived.profiles)).toEqual({ complete: 1, incomplete: 0, missing: 0 });
    const all = await figures({ status: 'all' });
    expect(all.learners).toBe(9);
    expect(all.goals.top[0]).toEqual({ key: MONEY, count: 4 });
    expect(counts(all.careers.top)).toEqual({ Healthcare: 3, Legal: 3, Sales: 2 });
  });

  it('covers a registration period, both days included', async () => {
    // Days on this device's calendar: noon UTC falls on the same or the next day in every time zone.
    const march = await figures({ from: '2031-03-01', to: '2031-03-11' });
    expect(march.totals).toEqual({ active: 3, archived: 0, new_this_month: 0 });
    expect(march.goals.top).toEqual([{ key: MONEY, count: 3 }, { key: NEW, count: 1 }]);
    expect(counts(march.study_time)).toMatchObject({ '0': 1, '1-5': 2, not_given: 0 });
    const june = await figures({ from: '2031-06-15' });
    expect(june.totals).toEqual({ active: 5, archived: 1, new_this_month: 6 });
    expect(await figures({ to: '2031-03-09' })).toMatchObject({ learners: 0, totals: { active: 0, archived: 0, new_this_month: 0 } });
  });

  it('refuses malformed filters with the contract’s 422', async () => {
    for (const query of [{ from: '2031-13-01' }, { status: 'gone' }, { center: '' }, { colour: 'red' }]) {
      const result = await call('dashboard.figures', query);
      expect(result.status, JSON.stringify(query)).toBe(422);
      expect(result.body.message).toBe('Validation Failed');
    }
  });

  it('follows writes without a reload: a new profile, an archived learner, a deleted one, a changed goal', async () => {
    await call('learnerProfile.create', ids.Gus, { learning_goals: [NEW], learning_constraints: { weekly_study_time: 22 }, employment_status: 'Part-time', potential_career_fields: ['Legal'] });
    let f = await figures();
    expect(counts(f.profiles)).toEqual({ complete: 4, incomplete: 4, missing: 0 });
    expect(counts(f.study_time)['21-25']).toBe(1);
    await call('learner.update', ids.Ben, { is_archived: true });
    f = await figures();
    expect(f.totals).toMatchObject({ active: 7, archived: 2 });
    expect(counts(f.goals.top)).toEqual({ [NEW]: 3, [MONEY]: 2, [ADVANCE]: 2 });
    await call('learner.delete', ids.Cleo);
    await call('learnerProfile.updateByLearner', ids.Eve, { learning_goals: [ADVANCE] });
    f = await figures();
    expect(f.totals).toEqual({ active: 6, archived: 2, new_this_month: 6 });
    expect(f.goals.top).toEqual([{ key: ADVANCE, count: 3 }, { key: NEW, count: 3 }, { key: MONEY, count: 1 }]);
    expect(counts(f.employment)['Seeking work']).toBe(0);
    // Put back as the other tests expect it.
    await call('learner.update', ids.Ben, { is_archived: false });
  });
});

describe('the learner list, filtered as the dashboard links to it', () => {
  it('filters by goal, employment, career field, study time, progress, profile and registration days', async () => {
    expect(await names({ goal: MONEY })).toEqual(['Ana', 'Ben', 'Hana']);
    expect(await names({ goal: MONEY, fetch_archive: false })).toEqual(['Ana', 'Ben']);
    expect(await names({ employment: 'not_given' })).toEqual(['Eve']);
    expect(await names({ career: 'Legal' })).toEqual(['Ben', 'Gus', 'Hana']);
    expect(await names({ study: '1-5' })).toEqual(['Ben']);
    expect(await names({ study: 'not_given' })).toEqual(['Ivo']);
    expect(await names({ progress: 'completed' })).toEqual(['Dev', 'Finn']);
    expect(await names({ profile: 'incomplete' })).toEqual(['Ana', 'Dev', 'Eve', 'Ivo']);
    expect(await names({ from: '2031-03-01', to: '2031-03-31' })).toEqual(['Ana', 'Ben']);
    expect(await names({ text: 'an', goal: MONEY })).toEqual(['Ana', 'Hana']);
    expect(await names({ center: 'north' })).toEqual([]);
  });

  it('has exactly as many learners behind each number as the number says', async () => {
    for (const status of ['active', 'archived', 'all'] as const) {
      const f = await figures({ status });
      const fetchArchive = status === 'all' ? undefined : status === 'archived';
      const expectTotal = async (filter: LearnerFilter, count: number) => {
        const result = await call('learner.browse', { ...filter, fetch_archive: fetchArchive, limit: 1 });
        expect((result.body.data as { total_count: number }).total_count, `${status} ${JSON.stringify(filter)}`).toBe(count);
      };
      for (const { key, count } of f.profiles) await expectTotal({ profile: key }, count);
      for (const { key, count } of f.goals.top) await expectTotal({ goal: key }, count);
      for (const { key, count } of f.employment) await expectTotal({ employment: key }, count);
      for (const { key, count } of f.study_time) await expectTotal({ study: key }, count);
      for (const { key, count } of f.careers.top) await expectTotal({ career: key }, count);
      for (const { key, count } of f.progress) await expectTotal({ progress: key }, count);
    }
  });

  it('refuses an unknown filter value', async () => {
    const result = await call('learner.browse', { study: '31-40' });
    expect(result.status).toBe(422);
    expect((result.body.data as { loc: unknown[] }[])[0]!.loc).toEqual(['query', 'study']);
  });
});
