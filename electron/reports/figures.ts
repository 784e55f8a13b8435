// The dashboard's figures and the list's filters over learners' and profiles' facts: one pass over the learners
// adding into arrays of counts, no store access, so 100k learners take a few milliseconds, and it can be tested on
// made-up facts.
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
  type ProfileState,
  type TopValues,
} from '../../shared/dashboard';
import { STUDY_BIN_IDS, type Dictionary, type LearnerFacts, type ProfileFacts } from './facts';
import { monthStartOf, rangeOfDays, startOfLocalDay } from './period';

/** A learner and their profile, side by side, so that a pass over learners needs no lookup of profiles. */
export interface FactEntry {
  /** Undefined while a profile has arrived before its learner (sync may bring them in either order). */
  learner: LearnerFacts | undefined;
  /** Deleted profiles included: the figures leave them out. */
  profile: ProfileFacts | undefined;
}

export interface FactSource {
  entries(): readonly FactEntry[];
  dictionaries: { goals: Dictionary; careers: Dictionary };
}

export interface FigureContext {
  /** Now, in milliseconds (the device's clock), for "new this month". */
  nowMillis: number;
  computedTime: string;
  centerName(centerId: string): string | null;
}

const COMPLETE = 0;
const INCOMPLETE = 1;
const MISSING = 2;

const live = (profile: ProfileFacts | undefined) => (profile === undefined || profile.deleted ? undefined : profile);

const stateOf = (profile: ProfileFacts | undefined) => (profile === undefined ? MISSING : profile.complete ? COMPLETE : INCOMPLETE);

const countsOf = <K extends string>(keys: readonly K[], counts: ArrayLike<number>): CategoryCount<K>[] =>
  keys.map((key, index) => ({ key, count: counts[index] ?? 0 }));

/** The most frequent values, most first (ties in the values' order), and what the rest amount to. */
function topValues(counts: Int32Array, dictionary: Dictionary, lists: (readonly number[])[] | undefined, limit: number): TopValues {
  const present: number[] = [];
  for (let id = 0; id < counts.length; id++) if (counts[id]! > 0) present.push(id);
  const values = dictionary.values;
  present.sort((a, b) => counts[b]! - counts[a]! || (values[a]! < values[b]! ? -1 : values[a]! > values[b]! ? 1 : 0));
  const top = present.slice(0, limit);
  let otherLearners = 0;
  if (lists && present.length > limit) {
    const shown = new Set(top);
    for (const list of lists) if (list.some((id) => !shown.has(id))) otherLearners++;
  }
  return {
    top: top.map((id) => ({ key: values[id]!, count: counts[id]! })),
    other_values: Math.max(0, present.length - limit),
    other_learners: otherLearners,
  };
}

export function computeFigures(source: FactSource, query: DashboardQuery, context: FigureContext): DashboardFigures {
  const range = rangeOfDays(query.from, query.to);
  const monthStart = monthStartOf(context.nowMillis);
  const monthStartTime = startOfLocalDay(monthStart);
  const wantArchived = query.status === 'archived';
  const anyStatus = query.status === 'all';
  const centers = new Map<string, number>();
  const totals = { active: 0, archived: 0, new_this_month: 0 };
  const profiles = new Int32Array(PROFILE_STATES.length);
  const employment = new Int32Array(EMPLOYMENT_KEYS.length);
  const study = new Int32Array(STUDY_BINS.length);
  const progress = new Int32Array(PROGRESS_STAGES.length);
  const goals = new Int32Array(source.dictionaries.goals.values.length);
  const careers = new Int32Array(source.dictionaries.careers.values.length);
  // Only needed to count the learners of values beyond the top ones, which exist only with more values than that.
  const goalLists: (readonly number[])[] | undefined = goals.length > TOP_GOALS ? [] : undefined;
  const careerLists: (readonly number[])[] | undefined = careers.length > TOP_CAREERS ? [] : undefined;
  let learners = 0;
  let withProfile = 0;

  const entries = source.entries();
  for (let i = 0; i < entries.length; i++) {
    const learner = entries[i]!.learner;
    if (learner === undefined || learner.deleted) continue;
    if (learner.center !== null) centers.set(learner.center, (centers.get(learner.center) ?? 0) + 1);
    if (query.center !== undefined && learner.center !== query.center) continue;
    if (learner.created < range.from || learner.created >= range.to) continue;
    if (learner.archived) totals.archived++;
    else totals.active++;
    if (learner.created >= monthStartTime) totals.new_this_month++;
    if (!anyStatus && learner.archived !== wantArchived) continue;

    learners++;
    const profile = live(entries[i]!.profile);
    profiles[stateOf(profile)]!++;
    if (profile === undefined) continue;
    withProfile++;
    employment[profile.employment]!++;
    study[profile.study]!++;
    progress[profile.stage]!++;
    const learnerGoals = profile.goals;
    for (let g = 0; g < learnerGoals.length; g++) goals[learnerGoals[g]!]!++;
    const learnerCareers = profile.careers;
    for (let c = 0; c < learnerCareers.length; c++) careers[learnerCareers[c]!]!++;
    if (goalLists && learnerGoals.length > 0) goalLists.push(learnerGoals);
    if (careerLists && learnerCareers.length > 0) careerLists.push(learnerCareers);
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
    profiles: countsOf(PROFILE_STATES, profiles),
    goals: topValues(goals, source.dictionaries.goals, goalLists, TOP_GOALS),
    employment: countsOf(EMPLOYMENT_KEYS, employment),
    study_time: countsOf(STUDY_BINS.map((bin) => bin.id), study),
    careers: topValues(careers, source.dictionaries.careers, careerLists, TOP_CAREERS),
    progress: countsOf(PROGRESS_STAGES, progress),
    computed_time: context.computedTime,
  };
}

export type FactsMatcher = (learner: LearnerFacts, profile: ProfileFacts | undefined) => boolean;

/** The list's filters as a test of one learner's facts; undefined when no filter is set (every learner passes). */
export function learnerMatcher(filter: LearnerFilter, dictionaries: FactSource['dictionaries']): FactsMatcher | undefined {
  const tests: FactsMatcher[] = [];
  if (filter.center !== undefined) tests.push((learner) => learner.center === filter.center);
  if (filter.from !== undefined || filter.to !== undefined) {
    const range = rangeOfDays(filter.from, filter.to);
    tests.push((learner) => learner.created >= range.from && learner.created < range.to);
  }
  if (filter.profile !== undefined) {
    const state = PROFILE_STATES.indexOf(filter.profile satisfies ProfileState);
    tests.push((_, profile) => stateOf(profile) === state);
  }
  // A value no learner ever had matches nobody.
  if (filter.goal !== undefined) {
    const id = dictionaries.goals.find(filter.goal) ?? -1;
    tests.push((_, profile) => profile !== undefined && profile.goals.includes(id));
  }
  if (filter.career !== undefined) {
    const id = dictionaries.careers.find(filter.career) ?? -1;
    tests.push((_, profile) => profile !== undefined && profile.careers.includes(id));
  }
  if (filter.employment !== undefined) {
    const index = EMPLOYMENT_KEYS.indexOf(filter.employment);
    tests.push((_, profile) => profile?.employment === index);
  }
  if (filter.study !== undefined) {
    const index = STUDY_BIN_IDS.indexOf(filter.study);
    tests.push((_, profile) => profile?.study === index);
  }
  if (filter.progress !== undefined) {
    const index = PROGRESS_STAGES.indexOf(filter.progress);
    tests.push((_, profile) => profile?.stage === index);
  }
  if (tests.length === 0) return undefined;
  return (learner, profile) => !learner.deleted && tests.every((test) => test(learner, live(profile)));
}
