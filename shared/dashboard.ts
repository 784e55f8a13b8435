// What the dashboard counts, in one place: when a profile is complete, the weekly study-time bins, how far along a
// learner is; the dashboard's query, the learner list's filters that the dashboard links to, and the figures.
// The main process computes by these rules; the screens and the exports name them (the exports' words: report-labels.ts;
// the screens': the renderer's message catalogs).
import { z } from 'zod';
import { employmentStatuses, type Progress, type ProgressEntry } from './schemas/profile';

/** The fields a profile needs to be complete (what the dashboard's "complete" counts). */
export interface CompletenessFields {
  learning_goals: readonly string[];
  learning_constraints: { weekly_study_time: number } | null;
  employment_status: string;
  potential_career_fields: readonly string[];
}

/**
 * A profile is complete when it has at least one learning goal, a weekly study time above 0 hours, an employment
 * status and at least one career field. (A form left untouched sends 0 hours, so 0 counts as not given here.)
 */
export function isProfileComplete(profile: CompletenessFields): boolean {
  return (
    profile.learning_goals.length > 0 &&
    (profile.learning_constraints?.weekly_study_time ?? 0) > 0 &&
    profile.employment_status !== '' &&
    profile.potential_career_fields.length > 0
  );
}

/** A learner's profile: complete, present but incomplete, or none at all. */
export const PROFILE_STATES = ['complete', 'incomplete', 'missing'] as const;
export type ProfileState = (typeof PROFILE_STATES)[number];

/** The histogram of weekly study time (0..30 hours): a bin for 0, five-hour bins after it, and "not given". */
export const STUDY_BINS = [
  { id: '0', min: 0, max: 0 },
  { id: '1-5', min: 1, max: 5 },
  { id: '6-10', min: 6, max: 10 },
  { id: '11-15', min: 11, max: 15 },
  { id: '16-20', min: 16, max: 20 },
  { id: '21-25', min: 21, max: 25 },
  { id: '26-30', min: 26, max: 30 },
  { id: 'not_given', min: null, max: null },
] as const;
export type StudyBin = (typeof STUDY_BINS)[number]['id'];
const studyBinIds = STUDY_BINS.map((bin) => bin.id) as [StudyBin, ...StudyBin[]];

export function studyBinOf(hours: number | null): StudyBin {
  if (hours === null) return 'not_given';
  for (const bin of STUDY_BINS) if (bin.min !== null && hours >= bin.min && hours <= bin.max) return bin.id;
  return 'not_given';
}

/**
 * How far along a learner is, over every entry of their profile's progress: none recorded; not started (every entry
 * not attempted); completed (every entry finished: completed, evaluated, non-evaluated or skipped); otherwise in
 * progress (something started and not finished, evaluation pending included).
 */
export const PROGRESS_STAGES = ['none', 'not_started', 'in_progress', 'completed'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];
const FINISHED = new Set<ProgressEntry['status']>(['completed', 'evaluated', 'non_evaluated', 'skipped']);

export function progressStageOf(progress: Partial<Progress> | undefined): ProgressStage {
  let entries = 0;
  let notAttempted = 0;
  let finished = 0;
  for (const kind of Object.values(progress ?? {})) {
    for (const entry of Object.values(kind ?? {})) {
      entries++;
      if (entry.status === 'not_attempted') notAttempted++;
      else if (FINISHED.has(entry.status)) finished++;
    }
  }
  if (entries === 0) return 'none';
  if (notAttempted === entries) return 'not_started';
  if (finished === entries) return 'completed';
  return 'in_progress';
}

/** Employment status as the dashboard counts it: the profile's value, with '' as "not given". */
export const EMPLOYMENT_KEYS = [...employmentStatuses.filter((status) => status !== ''), 'not_given'] as const;
export type EmploymentKey = (typeof EMPLOYMENT_KEYS)[number];
export const employmentKeyOf = (status: string): EmploymentKey =>
  status === '' ? 'not_given' : (status as EmploymentKey);

/** Which learners the figures cover by their archive state. */
export const LEARNER_STATUSES = ['active', 'archived', 'all'] as const;
export type LearnerStatus = (typeof LEARNER_STATUSES)[number];

const day = z.iso.date('must be a date like 2024-05-01');
const center = z.string().trim().min(1).max(100);

/** A registration period in the device's own days, both ends included; either end may be left open. */
const period = { from: day.optional(), to: day.optional() };

/** The dashboard's filters: one center (on a device with several), a registration period, active or archived. */
export const dashboardQuery = z.preprocess(
  (value) => value ?? {},
  z.strictObject({ center: center.optional(), ...period, status: z.enum(LEARNER_STATUSES).default('active') }),
);
export type DashboardQuery = z.output<typeof dashboardQuery>;

/**
 * The learner list's filters that the dashboard's numbers link to (beside the list's own search and archive filter).
 * `goal` and `career` are exact values; `from`/`to` select by registration day.
 */
export const learnerFilterShape = {
  goal: z.string().min(1).max(500).optional(),
  employment: z.enum(EMPLOYMENT_KEYS).optional(),
  career: z.string().min(1).max(500).optional(),
  study: z.enum(studyBinIds).optional(),
  progress: z.enum(PROGRESS_STAGES).optional(),
  profile: z.enum(PROFILE_STATES).optional(),
  center: center.optional(),
  ...period,
};
export const learnerFilter = z.object(learnerFilterShape);
export type LearnerFilter = z.output<typeof learnerFilter>;
export const LEARNER_FILTER_KEYS = Object.keys(learnerFilterShape) as (keyof LearnerFilter)[];

/** How many learners fall in one category of a figure. */
export interface CategoryCount<K extends string = string> {
  key: K;
  count: number;
}

/** A figure over free text (goals, career fields): the most frequent values, and how many others there are. */
export interface TopValues {
  top: CategoryCount[];
  /** Distinct values beyond the top ones. */
  other_values: number;
  /** Learners who have at least one of the other values. */
  other_learners: number;
}

export interface DashboardFigures {
  /** The query as it was applied (defaults filled in). */
  query: DashboardQuery;
  /** The centers the device's learners belong to; the screens offer a center filter only when there are several. */
  centers: { id: string; name: string | null; learners: number }[];
  /** The first day of the current month on this device, for "new this month". */
  month_start: string;
  /** Learners of the selected center and period, whatever the status filter. */
  totals: { active: number; archived: number; new_this_month: number };
  /** The learners the figures below cover (center, period and status), and how many of them have a profile. */
  learners: number;
  with_profile: number;
  profiles: CategoryCount<ProfileState>[];
  /** Over learners with a profile (a learner may count under several goals and fields). */
  goals: TopValues;
  employment: CategoryCount<EmploymentKey>[];
  study_time: CategoryCount<StudyBin>[];
  careers: TopValues;
  progress: CategoryCount<ProgressStage>[];
  computed_time: string;
}

export const TOP_GOALS = 10;
export const TOP_CAREERS = 10;
