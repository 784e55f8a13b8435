// A learning center's worth of made-up learners and profiles, varied the way real ones are (some without a
// profile, some archived, goals and fields from the picker lists), registered in a running preview through its
// bridge as an import would: for end-to-end tests and the dashboard's screenshot.
import fields from '../../renderer/src/data/education-fields.json' with { type: 'json' };
import type { Result } from '../../shared/result';

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Tim', 'Barbara', 'Dennis', 'Frances', 'José', 'Zoë', 'Łukasz', 'Amara', 'Mei', 'Omar'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov', 'Ritchie', 'Allen', 'Núñez', 'Okafor'];
const HOURS = [0, 2, 4, 5, 6, 8, 10, 10, 12, 15, 20, 25, 30, 6, 8, 4, 10];
const EMPLOYMENT = ['Full-time', 'Part-time', 'Seeking work', 'Unemployed', 'Seeking work', 'Part-time', ''];
const STATUSES = ['in_progress', 'completed', 'not_attempted', 'in_progress', 'evaluation_pending', 'completed'];

/** A preview's caller (startPreview's `call`: it sends this launch's cookie). */
export type PreviewCall = (id: string, ...args: unknown[]) => Promise<Result>;

async function call(preview: PreviewCall, id: string, ...args: unknown[]) {
  const result = await preview(id, ...args);
  if (result.status !== 200) throw new Error(`${id}: ${JSON.stringify(result.body)}`);
  return result.body.data;
}

export interface CenterLearners {
  ids: string[];
  archived: number;
  withProfile: number;
}

/** Learner i has a profile unless i % 8 is 7; learners with i % 10 of 9 are archived. */
export async function seedCenterLearners(url: PreviewCall, count = 160): Promise<CenterLearners> {
  const learners = Array.from({ length: count }, (_, i) => ({
    first_name: FIRST[i % FIRST.length],
    last_name: LAST[(i * 7) % LAST.length],
    email_address: `learner${i}@example.org`,
    city: 'Springfield',
  }));
  const ids = (await call(url, 'learner.import', learners)) as string[];
  const goals = fields.education_goals;
  const careers = fields.potential_career_fields.map((field) => field.field_name);
  const profiles = ids.flatMap((learner_id, i) =>
    i % 8 === 7
      ? []
      : [
          {
            learner_id,
            learning_goals: i % 3 === 0 ? [goals[(i * 5) % 8], goals[(i + 3) % 8]] : [goals[(i * i) % 8]],
            learning_constraints: { weekly_study_time: HOURS[i % HOURS.length] },
            employment_status: EMPLOYMENT[i % EMPLOYMENT.length],
            potential_career_fields: i % 5 === 0 ? [] : i % 4 === 0 ? [careers[(i * 7) % 17], careers[9]] : [careers[(i * i + 3) % 17]],
            progress: i % 6 === 5 ? {} : { curriculum_pathways: { a: { name: 'Foundations', status: STATUSES[i % 6] } }, assessments: { b: { name: 'Placement test', status: i % 2 ? 'completed' : 'not_attempted' } } },
          },
        ],
  );
  await call(url, 'learnerProfile.import', profiles);
  let archived = 0;
  for (const [i, id] of ids.entries()) {
    if (i % 10 !== 9) continue;
    await call(url, 'learner.update', id, { is_archived: true });
    archived++;
  }
  return { ids, archived, withProfile: profiles.length };
}
