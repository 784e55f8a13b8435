// A small data set whose dashboard figures are worked out by hand (see the table below), registered through the
// API as a counselor would: three learners in March 2031, the rest in June 2031, the device's clock held at fixed
// times (far enough ahead of the real clock that the app's ever-increasing times follow it).
//
// | learner | registered | state    | profile goals    | hours | employment   | career fields       | progress        | complete |
// |---------|------------|----------|------------------|-------|--------------|---------------------|-----------------|----------|
// | Ana     | March      | active   | MONEY, NEW       | 0     | Full-time    | Healthcare          | none            | no (0 h) |
// | Ben     | March      | active   | MONEY            | 3     | Part-time    | Healthcare, Legal   | not started     | yes      |
// | Cleo    | March      | active   | MONEY            | 5     | Seeking work | Legal               | in progress     | yes      |
// | Dev     | June       | active   | NEW              | 6     | Unemployed   | —                   | completed       | no       |
// | Eve     | June       | active   | —                | 12    | —            | Sales               | in progress     | no       |
// | Finn    | June       | active   | ADVANCE          | 30    | Full-time    | Healthcare          | completed       | yes      |
// | Gus     | June       | active   | (no profile)     |       |              |                     |                 |          |
// | Hana    | June       | archived | MONEY            | 10    | Full-time    | Legal               | none            | yes      |
// | Ivo     | June       | active   | ADVANCE          | —     | Full-time    | Sales               | none            | no (no hours) |
// | Jo      | June       | deleted  | MONEY            | 20    | Full-time    | Legal               | none            | (gone)   |
import { setSystemClock } from '../../shared/time';
import type { ApiOperationId } from '../../shared/contract';
import type { Result } from '../../shared/result';

export const MONEY = 'To make more money';
export const NEW = 'To start a new career';
export const ADVANCE = 'To advance my existing career';

export const MARCH = Date.UTC(2031, 2, 10, 12);
export const JUNE = Date.UTC(2031, 5, 15, 12);

type Call = (id: ApiOperationId, ...args: unknown[]) => Promise<Result>;

interface Row {
  first: string;
  month: number;
  archived?: boolean;
  deleted?: boolean;
  profile?: Record<string, unknown>;
}

const entry = (status: string) => ({ name: `Unit ${status}`, status });

const ROWS: Row[] = [
  { first: 'Ana', month: MARCH, profile: { learning_goals: [MONEY, NEW], learning_constraints: { weekly_study_time: 0 }, employment_status: 'Full-time', potential_career_fields: ['Healthcare'] } },
  {
    first: 'Ben',
    month: MARCH,
    profile: {
      learning_goals: [MONEY],
      learning_constraints: { weekly_study_time: 3 },
      employment_status: 'Part-time',
      potential_career_fields: ['Healthcare', 'Legal'],
      progress: { curriculum_pathways: { a: entry('not_attempted') }, assessments: { b: entry('not_attempted') } },
    },
  },
  {
    first: 'Cleo',
    month: MARCH,
    profile: {
      learning_goals: [MONEY],
      learning_constraints: { weekly_study_time: 5 },
      employment_status: 'Seeking work',
      potential_career_fields: ['Legal'],
      progress: { curriculum_pathways: { a: entry('in_progress') }, assessments: { b: entry('completed') } },
    },
  },
  {
    first: 'Dev',
    month: JUNE,
    profile: {
      learning_goals: [NEW],
      learning_constraints: { weekly_study_time: 6 },
      employment_status: 'Unemployed',
      progress: { learning_objects: { a: entry('completed') }, assessments: { b: entry('evaluated') } },
    },
  },
  {
    first: 'Eve',
    month: JUNE,
    profile: {
      learning_constraints: { weekly_study_time: 12 },
      potential_career_fields: ['Sales'],
      progress: { learning_resources: { a: entry('completed'), b: entry('evaluation_pending') } },
    },
  },
  {
    first: 'Finn',
    month: JUNE,
    profile: {
      learning_goals: [ADVANCE],
      learning_constraints: { weekly_study_time: 30 },
      employment_status: 'Full-time',
      potential_career_fields: ['Healthcare'],
      progress: { learning_experiences: { a: entry('completed'), b: entry('skipped') } },
    },
  },
  { first: 'Gus', month: JUNE },
  { first: 'Hana', month: JUNE, archived: true, profile: { learning_goals: [MONEY], learning_constraints: { weekly_study_time: 10 }, employment_status: 'Full-time', potential_career_fields: ['Legal'] } },
  { first: 'Ivo', month: JUNE, profile: { learning_goals: [ADVANCE], employment_status: 'Full-time', potential_career_fields: ['Sales'] } },
  { first: 'Jo', month: JUNE, deleted: true, profile: { learning_goals: [MONEY], learning_constraints: { weekly_study_time: 20 }, employment_status: 'Full-time', potential_career_fields: ['Legal'] } },
];

async function must(result: Promise<Result>): Promise<Result> {
  const answer = await result;
  if (answer.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(answer.body)}`);
  return answer;
}

/** Registers the table's learners; answers their ids by first name. Leaves the clock at `JUNE`. */
export async function seedKnownLearners(call: Call, tag = 'k'): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const row of ROWS) {
    setSystemClock(() => row.month);
    const created = await must(call('learner.create', { first_name: row.first, last_name: 'Known', email_address: `${row.first.toLowerCase()}.${tag}@example.org` }));
    const uuid = (created.body.data as { uuid: string }).uuid;
    ids[row.first] = uuid;
    if (row.profile) await must(call('learnerProfile.create', uuid, row.profile));
    if (row.archived) await must(call('learner.update', uuid, { is_archived: true }));
    if (row.deleted) await must(call('learner.delete', uuid));
  }
  setSystemClock(() => JUNE);
  return ids;
}

export function restoreClock(): void {
  setSystemClock(() => Date.now());
}
