// Where each number of the dashboard leads: the learner list, filtered by the dashboard's own filters and by the
// number's category, in the list's URL (`#/learners?…`), so the list shows exactly the learners the number counts.
import type { DashboardQuery, LearnerFilter, LearnerStatus } from '../../../shared/dashboard';

export type ListFilter = Partial<LearnerFilter> & { show?: LearnerStatus };

/** The dashboard's filters as the list's: center and registration days; archive state as the list's "show". */
export function baseFilter(query: DashboardQuery): ListFilter {
  return { center: query.center, from: query.from, to: query.to, show: query.status };
}

export function listLink(filter: ListFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    // The list shows active learners unless told otherwise.
    if (value === undefined || (key === 'show' && value === 'active')) continue;
    params.set(key, value);
  }
  const search = params.toString();
  return search ? `/learners?${search}` : '/learners';
}

/** The later of two days (YYYY-MM-DD order is date order), either may be missing. */
export const laterDay = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a > b ? a : b);
