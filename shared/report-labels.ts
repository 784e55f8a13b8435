// The words for the dashboard's figures and categories in the exported files: English, whatever the screens' language
// (a file's columns and categories are a format other tools read). The screens take theirs from the message catalogs,
// whose English is checked against these (test/renderer/catalogs.test.ts), so that a spreadsheet and the English
// screen it came from say the same thing.
import type { EmploymentKey, LearnerStatus, ProfileState, ProgressStage, StudyBin } from './dashboard';

export const FIGURE_TITLES = {
  totals: 'Learners',
  profiles: 'Profiles',
  goals: 'Learning goals',
  employment: 'Employment status',
  study_time: 'Weekly study time',
  careers: 'Top career fields',
  progress: 'Progress',
} as const;
export type FigureName = keyof typeof FIGURE_TITLES;

export const TOTAL_LABELS = { active: 'Active', archived: 'Archived', new_this_month: 'New this month' } as const;

export const PROFILE_STATE_LABELS: Record<ProfileState, string> = {
  complete: 'Complete',
  incomplete: 'Incomplete',
  missing: 'No profile',
};

export const STUDY_BIN_LABELS: Record<StudyBin, string> = {
  '0': '0 h',
  '1-5': '1–5 h',
  '6-10': '6–10 h',
  '11-15': '11–15 h',
  '16-20': '16–20 h',
  '21-25': '21–25 h',
  '26-30': '26–30 h',
  not_given: 'Not given',
};

export const EMPLOYMENT_LABELS: Record<EmploymentKey, string> = {
  'Full-time': 'Full-time',
  'Part-time': 'Part-time',
  'Seeking work': 'Seeking work',
  Unemployed: 'Unemployed',
  not_given: 'Not given',
};

export const PROGRESS_STAGE_LABELS: Record<ProgressStage, string> = {
  none: 'No progress recorded',
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
};

export const STATUS_LABELS: Record<LearnerStatus, string> = { active: 'Active', archived: 'Archived', all: 'All' };

/** The rule behind "complete", as the dashboard and its exports state it. */
export const COMPLETE_PROFILE_TEXT =
  'A profile is complete when it has at least one learning goal, a weekly study time above 0 hours, an employment status and at least one career field.';

export const OTHER_VALUES_LABEL = (distinct: number) => `Other (${distinct.toLocaleString('en')} more)`;

/** The name of a learner's center where the device knows no better. */
export const UNKNOWN_CENTER_NAME = 'Learning center';
