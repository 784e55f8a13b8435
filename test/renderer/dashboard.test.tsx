// @vitest-environment happy-dom
// The dashboard screen over a fake `window.api`: its filters go to the main process as the dashboard's query, each
// number links to the learner list filtered by the dashboard's filters and its own category, a center filter appears
// only with several centers, and a kiosk gets no export. The list's filter row reads the same filters back.
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../shared/client';
import type { DashboardFigures } from '../../shared/dashboard';
import type { Result } from '../../shared/result';

const calls: { id: string; args: unknown[] }[] = [];
let kiosk = false;
let centers: DashboardFigures['centers'] = [];

const figures = (query: unknown): DashboardFigures => ({
  query: query as DashboardFigures['query'],
  centers,
  month_start: '2031-06-01',
  totals: { active: 120, archived: 7, new_this_month: 9 },
  learners: 120,
  with_profile: 100,
  profiles: [
    { key: 'complete', count: 60 },
    { key: 'incomplete', count: 40 },
    { key: 'missing', count: 20 },
  ],
  goals: { top: [{ key: 'To make more money', count: 50 }, { key: "To feel proud of what I've done", count: 30 }], other_values: 4, other_learners: 11 },
  employment: [
    { key: 'Full-time', count: 20 },
    { key: 'Part-time', count: 20 },
    { key: 'Seeking work', count: 30 },
    { key: 'Unemployed', count: 20 },
    { key: 'not_given', count: 10 },
  ],
  study_time: [
    { key: '0', count: 5 },
    { key: '1-5', count: 25 },
    { key: '6-10', count: 40 },
    { key: '11-15', count: 10 },
    { key: '16-20', count: 10 },
    { key: '21-25', count: 5 },
    { key: '26-30', count: 3 },
    { key: 'not_given', count: 2 },
  ],
  careers: { top: [{ key: 'Healthcare', count: 33 }], other_values: 0, other_learners: 0 },
  progress: [
    { key: 'none', count: 10 },
    { key: 'not_started', count: 20 },
    { key: 'in_progress', count: 50 },
    { key: 'completed', count: 20 },
  ],
  computed_time: '2031-06-15 12:00:00.000000+00:00',
});

const ok = (data: unknown): Result => ({ status: 200, body: { success: true, message: 'ok', data } });

beforeAll(() => {
  window.api = buildClient(
    async (id, args) => {
      calls.push({ id, args });
      if (id === 'dashboard.figures') return ok(figures(args[0]));
      if (id === 'settings.get') return ok({ serverUrl: null, deviceName: 'Laptop', hasToken: false, kiosk, kioskIdleSeconds: 120, developerTools: false });
      return ok(null);
    },
    () => () => {},
  );
});
afterEach(async () => {
  cleanup();
  calls.length = 0;
  kiosk = false;
  centers = [];
  const { queryClient } = await import('../../renderer/src/lib/queries');
  queryClient.clear();
});

async function renderAt(path: string) {
  const { DashboardPage } = await import('../../renderer/src/dashboard/DashboardPage');
  const { queryClient } = await import('../../renderer/src/lib/queries');
  const router = createMemoryRouter(
    [
      { path: '/', element: <DashboardPage /> },
      { path: '/learners', element: <p>the list</p> },
    ],
    { initialEntries: [path] },
  );
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  await screen.findByRole('heading', { name: 'Learning goals' });
  return router;
}

const table = (title: string) => screen.getByRole('table', { name: title });
const hrefOf = (scope: HTMLElement, name: RegExp) => within(scope).getByRole('link', { name }).getAttribute('href');

describe('dashboard screen', () => {
  it('asks the main process for the figures of the filters in its address', async () => {
    await renderAt('/?center=north&from=2031-01-01&status=archived');
    expect(screen.getByText('120 archived learners, 100 with a profile.')).toBeTruthy();
    expect(calls.find((call) => call.id === 'dashboard.figures')!.args).toEqual([{ center: 'north', from: '2031-01-01', to: undefined, status: 'archived' }]);
  });

  it('links every number to the list filtered by the dashboard and by its category', async () => {
    await renderAt('/?from=2031-01-01&to=2031-12-31');
    expect(screen.getByRole('link', { name: /^120\s*Active learners$/ }).getAttribute('href')).toBe('/learners?from=2031-01-01&to=2031-12-31');
    expect(screen.getByRole('link', { name: /^7\s*Archived learners$/ }).getAttribute('href')).toBe('/learners?from=2031-01-01&to=2031-12-31&show=archived');
    // New this month: from the later of the period's start and the month's.
    expect(screen.getByRole('link', { name: /^9\s*New this month$/ }).getAttribute('href')).toBe('/learners?from=2031-06-01&to=2031-12-31&show=all');
    expect(hrefOf(table('Learning goals'), /Show the 30 learners: To feel proud/)).toBe(
      `/learners?from=2031-01-01&to=2031-12-31&goal=${encodeURIComponent("To feel proud of what I've done").replace(/%20/g, '+').replace(/'/g, '%27')}`,
    );
    expect(hrefOf(table('Weekly study time'), /Show the 25 learners: 1–5 h/)).toBe('/learners?from=2031-01-01&to=2031-12-31&study=1-5');
    expect(hrefOf(table('Employment status'), /Show the 10 learners: Not given/)).toBe('/learners?from=2031-01-01&to=2031-12-31&employment=not_given');
    expect(hrefOf(table('Progress'), /Show the 50 learners: In progress/)).toBe('/learners?from=2031-01-01&to=2031-12-31&progress=in_progress');
    expect(hrefOf(table('Profiles'), /Show the 20 learners: No profile/)).toBe('/learners?from=2031-01-01&to=2031-12-31&profile=missing');
    // The values beyond the top ones are summed up, and lead nowhere.
    const other = within(table('Learning goals')).getByRole('row', { name: /Other \(4 more\)/ });
    expect(other.textContent).toContain('11');
    expect(within(other).queryByRole('link')).toBeNull();
  });

  it('states what a complete profile is', async () => {
    await renderAt('/');
    expect(screen.getByText('120 active learners, 100 with a profile.')).toBeTruthy();
    expect(screen.getByText(/^A profile is complete when it has at least one learning goal, a weekly study time above 0 hours/)).toBeTruthy();
  });

  it('offers a center filter only where the device has several centers', async () => {
    await renderAt('/');
    expect(screen.queryByLabelText('Center')).toBeNull();
    cleanup();
    centers = [
      { id: 'north', name: 'North Center', learners: 70 },
      { id: 'south', name: null, learners: 57 },
    ];
    await (await import('../../renderer/src/lib/queries')).queryClient.clear();
    const router = await renderAt('/');
    const select = (await screen.findByLabelText('Center')) as HTMLSelectElement;
    expect([...select.options].map((option) => option.textContent)).toEqual(['All centers', 'North Center', 'Learning center south']);
    await userEvent.selectOptions(select, 'south');
    await waitFor(() => expect(router.state.location.search).toBe('?center=south'));
    await waitFor(() => expect(calls.at(-1)).toEqual({ id: 'dashboard.figures', args: [{ center: 'south', from: undefined, to: undefined, status: 'active' }] }));
  });

  it('offers exports on a laptop, none on a kiosk', async () => {
    await renderAt('/');
    await screen.findByRole('button', { name: 'Export tables (CSV)' });
    cleanup();
    kiosk = true;
    await (await import('../../renderer/src/lib/queries')).queryClient.clear();
    await renderAt('/');
    await act(async () => {});
    expect(screen.queryByRole('button', { name: 'Export tables (CSV)' })).toBeNull();
  });
});

describe("the list's filters from the dashboard", () => {
  it('reads the valid filters from the address and leaves the others out', async () => {
    const { filtersOf } = await import('../../renderer/src/dashboard/LearnerFilters');
    expect(filtersOf(new URLSearchParams('goal=To+make+more+money&study=1-5&progress=sideways&from=2031-02-30&center=north&q=ada'))).toEqual({
      goal: 'To make more money',
      study: '1-5',
      center: 'north',
    });
  });

  it('shows each filter in words, with a button that takes it off', async () => {
    const { LearnerFilters } = await import('../../renderer/src/dashboard/LearnerFilters');
    const removed: string[] = [];
    const filters = { study: '6-10', employment: 'not_given', center: 'N'.repeat(20), from: '2031-01-01', to: '2031-12-31' } as const;
    render(<LearnerFilters filters={filters} centers={[{ id: 'N'.repeat(20), name: 'Northside' }]} onRemove={(key) => removed.push(key)} />);
    const list = screen.getByRole('list', { name: 'Filters from the dashboard' });
    expect(within(list).getAllByRole('listitem').map((item) => item.firstChild?.textContent)).toEqual([
      'Employment: Not given',
      'Study time: 6–10 h',
      'Center: Northside',
      'Registered from: Jan 1, 2031',
      'Registered until: Dec 31, 2031',
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Remove the filter Study time: 6–10 h' }));
    expect(removed).toEqual(['study']);
  });
});
