// Realistic learners and profiles for the benchmarks, deterministic for a seed.
import { profileUuidFor, randomId } from '../shared/ids';
import type { StoredLearner } from '../shared/schemas/learner';
import { profileDefaults, type StoredProfile } from '../shared/schemas/profile';
import { historicSync } from '../shared/schemas/sync';
import { formatTime } from '../shared/time';
import fields from '../renderer/src/data/education-fields.json' with { type: 'json' };

const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Tim', 'Barbara', 'Dennis', 'Frances', 'José', 'Zoë', 'Łukasz', 'Amara'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov', 'Ritchie', 'Allen', 'Núñez', 'Okafor'];

export function learnerAndProfile(i: number, start = Date.UTC(2024, 0, 1) * 1000): { learner: StoredLearner; profile: StoredProfile } {
  const uuid = randomId();
  const time = formatTime(start + i * 1_000_003);
  const learner: StoredLearner = {
    uuid,
    first_name: FIRST[i % FIRST.length]!,
    last_name: LAST[(i * 7) % LAST.length]!,
    email_address: `learner${i}@example.org`,
    preferred_name_type: 'PreferredName',
    email_address_type: 'Work',
    gender: 'NotSelected',
    city: 'Springfield',
    is_archived: i % 10 === 0,
    is_deleted: false,
    sync: { times: {}, by: {} },
    created_time: time,
    last_modified_time: time,
  };
  learner.sync = historicSync(learner);
  const profile: StoredProfile = {
    ...profileDefaults(),
    uuid: profileUuidFor(uuid),
    learner_id: uuid,
    learning_goals: [fields.education_goals[i % 8]!, fields.education_goals[(i + 3) % 8]!],
    learning_constraints: { weekly_study_time: i % 31 },
    employment_status: (['Full-time', 'Part-time', 'Seeking work', 'Unemployed'] as const)[i % 4]!,
    potential_career_fields: [fields.potential_career_fields[i % 18]!.field_name],
    personal_goals: `Finish the certificate and find work in a field I care about. Learner ${i} wants to study evenings and weekends.`,
    contact_preferences: { email: true, phone: i % 2 === 0 },
    tagged_skills: ['communication', 'teamwork', 'spreadsheets'],
    progress: {
      curriculum_pathways: { [`cp${i % 5}`]: { name: 'Foundations', status: 'in_progress' } },
      learning_experiences: {},
      learning_objects: {},
      learning_resources: {},
      assessments: { a1: { name: 'Placement test', status: 'completed' } },
    },
    is_archived: i % 10 === 0,
    is_deleted: false,
    sync: { times: {}, by: {} },
    created_time: time,
    last_modified_time: time,
  };
  profile.sync = historicSync(profile);
  return { learner, profile };
}
