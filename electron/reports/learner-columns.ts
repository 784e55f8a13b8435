// The columns of the learner list's export (CSV and XLSX alike): the list's own columns, as its CSV has always had
// them, then the profile's figures the dashboard counts, under the stored fields' names. Lists are joined by "; ".
import { isProfileComplete, progressStageOf } from '../../shared/dashboard';
import type { Learner } from '../../shared/schemas/learner';
import type { Profile } from '../../shared/schemas/profile';
import type { Cell } from './csv-file';

type Column = [name: string, value: (learner: Learner, profile: Profile | undefined) => Cell | undefined];

const list = (values: readonly string[] | undefined) => (values ?? []).join('; ');

export const LEARNER_COLUMNS: readonly Column[] = [
  ['uuid', (l) => l.uuid],
  ['first_name', (l) => l.first_name],
  ['last_name', (l) => l.last_name],
  ['preferred_name', (l) => l.preferred_name],
  ['email_address', (l) => l.email_address],
  ['mobile_phone', (l) => l.phone_number?.mobile?.phone_number],
  ['home_phone', (l) => l.phone_number?.telephone?.phone_number],
  ['birth_date', (l) => l.birth_date],
  ['city', (l) => l.city],
  ['postal_code', (l) => l.postal_code],
  ['student_identifier', (l) => l.student_identifier],
  ['is_archived', (l) => l.is_archived],
  ['created_time', (l) => l.created_time],
  ['learning_goals', (_, p) => list(p?.learning_goals)],
  ['weekly_study_time', (_, p) => p?.learning_constraints?.weekly_study_time],
  ['employment_status', (_, p) => p?.employment_status],
  ['potential_career_fields', (_, p) => list(p?.potential_career_fields)],
  ['profile', (_, p) => (p === undefined ? 'missing' : isProfileComplete(p) ? 'complete' : 'incomplete')],
  ['progress', (_, p) => (p === undefined ? '' : progressStageOf(p.progress))],
];

export const LEARNER_COLUMN_NAMES = LEARNER_COLUMNS.map(([name]) => name);

export const learnerRow = (learner: Learner, profile: Profile | undefined): Cell[] =>
  LEARNER_COLUMNS.map(([, value]) => value(learner, profile) ?? null);
