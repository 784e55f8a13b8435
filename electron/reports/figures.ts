// The dashboard's figures and the list's filters over learners' and profiles' facts: one pass over the learners,
// no store access, so it is as fast as a loop over 100k small objects and can be tested on made-up facts.
import {
  EMPLOYMENT_KEYS,
  PROFILE_STATES,
  PROGRESS_STAGES,
  STUDY_BINS,
  TOP_CAREERS,
  TOP_GOALS,
  type CategoryCount,
  type DashboardFigures,
  type DashboardQuery,
  type LearnerFilter,
  type LearnerStatus,
  type ProfileState,
  type TopValues,
} from '../../shared/dashboard';
import type { LearnerFacts, ProfileFacts } from './facts';
import { inRange, monthStartOf, rangeOfDays, startOfLocalDay } from './period';

export interface FactSource {
  learners(): Iterable<LearnerFacts>;
  /** The learner's profile, if any (deleted ones included: the figures leave them out). */
  profileOf(learnerId: string): ProfileFacts | undefined;
}

export interface FigureContext {
  /** Now, in milliseconds (the device's clock), for "new this month". */
  nowMillis: number;
  computedTime: string;
  centerName(centerId: string): string | null;
}

const ofStatus = (status: LearnerStatus, archived: boolean) =>
  status === 'all' || (status === 'archived') === archived;

const live = (profile: ProfileFacts | undefined) => (profile === undefined || profile.deleted ? undefined : profile);

export const profileStateOf = (profile: ProfileFacts | undefined): ProfileState =>
  profile === undefined ? 'missing' : profile.complete ? 'complete' : 'incomplete';

function counter<K extends string>(keys: readonly K[]) {
  const counts = new Map<K, number>(keys.map((key) => [key, 0]));
  return {
    add: (key: K) => counts.set(key, (counts.get(key) ?? 0) + 1),
    result: (): CategoryCount<K>[] => keys.map((key) => ({ key, count: counts.get(key) ?? 0 })),
  };
}

/** The most frequent values, most first (ties in the values' order), and what the rest amount to. */
function topValues(lists: (readonly string[])[], limit: number): TopValues {
  const counts = new Map<string, number>();
  for (const values of lists) for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const sorted = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const top = sorted.slice(0, limit).map(([key, count]) => ({ key, count }));
  const shown = new Set(top.map((entry) => entry.key));
  let otherLearners = 0;
  if (sorted.length > limit) {
    for (const values of lists) if (values.some((value) => !shown.has(value))) otherLearners++;
  }
  return { top, other_values: Math.max(0, sorted.length - limit), other_learners: otherLearners };
}

export function computeFigures(source: FactSource, query: DashboardQuery, context: FigureContext): DashboardFigures {
  const range = rangeOfDays(query.from, query.to);
  const monthStart = monthStartOf(context.nowMillis);
  const monthStartTime = startOfLocalDay(monthStart);
  const centers = new Map<string, number>();
  const totals = { active: 0, archived: 0, new_this_month: 0 };
  const profiles = counter(PROFILE_STATES);
  const employment = counter(EMPLOYMENT_KEYS);
  const study = counter(STUDY_BINS.map((bin) => bin.id));
  const progress = counter(PROGRESS_STAGES);
  const goals: (readonly string[])[] = [];
  const careers: (readonly string[])[] = [];
  let learners = 0;
  let withProfile = 0;

  for (const learner of source.learners()) {
    if (learner.deleted) continue;
    if (learner.center !== null) centers.set(learner.center, (centers.get(learner.center) ?? 0) + 1);
    if (query.center !== undefined && learner.center !== query.center) continue;
    if (!inRange(learner.created, range)) continue;
    if (learner.archived) totals.archived++;
    else totals.active++;
    if (learner.created >= monthStartTime) totals.new_this_month++;
    if (!ofStatus(query.status, learner.archived)) continue;

    learners++;
    const profile = live(source.profileOf(learner.uuid));
    profiles.add(profileStateOf(profile));
    if (profile === undefined) continue;
    withProfile++;
    employment.add(profile.employment);
    study.add(profile.study);
    progress.add(profile.stage);
    if (profile.goals.length > 0) goals.push(profile.goals);
    if (profile.careers.length > 0) careers.push(profile.careers);
  }

  return {
    query,
    centers: [...centers]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, count]) => ({ id, name: context.centerName(id), learners: count })),
    month_start: monthStart,
    totals,
    learners,
    with_profile: withProfile,
    profiles: profiles.result(),
    goals: topValues(goals, TOP_GOALS),
    employment: employment.result(),
    study_time: study.result(),
    careers: topValues(careers, TOP_CAREERS),
    progress: progress.result(),
    computed_time: context.computedTime,
  };
}

export type FactsMatcher = (learner: LearnerFacts, profile: ProfileFacts | undefined) => boolean;

/** The list's filters as a test of one learner's facts; undefined when no filter is set (every learner passes). */
export function learnerMatcher(filter: LearnerFilter): FactsMatcher | undefined {
  const range = rangeOfDays(filter.from, filter.to);
  const tests: FactsMatcher[] = [];
  if (filter.center !== undefined) tests.push((learner) => learner.center === filter.center);
  if (range.from !== undefined || range.to !== undefined) tests.push((learner) => inRange(learner.created, range));
  if (filter.profile !== undefined) tests.push((_, profile) => profileStateOf(profile) === filter.profile);
  if (filter.goal !== undefined) tests.push((_, profile) => profile !== undefined && profile.goals.includes(filter.goal!));
  if (filter.career !== undefined) tests.push((_, profile) => profile !== undefined && profile.careers.includes(filter.career!));
  if (filter.employment !== undefined) tests.push((_, profile) => profile?.employment === filter.employment);
  if (filter.study !== undefined) tests.push((_, profile) => profile?.study === filter.study);
  if (filter.progress !== undefined) tests.push((_, profile) => profile?.stage === filter.progress);
  if (tests.length === 0) return undefined;
  return (learner, profile) => !learner.deleted && tests.every((test) => test(learner, live(profile)));
}
