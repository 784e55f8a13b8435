import { z } from 'zod';
import { emptyObject, id, jsonObject, modifiedBy, time, withDefault } from './common';
import { syncAttribute } from './sync';
import { nullishShape, withoutNullish } from './shape';

export const employmentStatuses = ['Full-time', 'Part-time', 'Seeking work', 'Unemployed', ''] as const;
export const progressStatuses = [
  'in_progress',
  'not_attempted',
  'completed',
  'evaluation_pending',
  'evaluated',
  'non_evaluated',
  'skipped',
] as const;
export const progressKinds = [
  'curriculum_pathways',
  'learning_experiences',
  'learning_objects',
  'learning_resources',
  'assessments',
] as const;

export const MAX_CAREER_FIELDS = 3;
export const MAX_PERSONAL_GOALS = 500;
export const MAX_WEEKLY_STUDY_TIME = 30;

const strings = z.array(z.string());
const weeklyStudyTime = z.int().min(0).max(MAX_WEEKLY_STUDY_TIME);

/**
 * A progress entry: `name` is required; the reference's other keys are optional, each with its default on input;
 * any extra JSON the platform attaches is kept.
 */
const progressEntryKeys = {
  is_optional: z.boolean(),
  is_hidden: z.boolean(),
  parent_node: z.string().nullable(),
  is_locked: z.boolean(),
  progress: z.number(),
  last_attempted: z.string().nullable(),
  num_attempts: z.int().nullable(),
  child_count: z.int().nullable(),
  completed_child_count: z.int().nullable(),
  ungate: z.boolean(),
  instruction_completed: z.boolean().nullable(),
};
const progressEntryDefaults = {
  status: 'not_attempted' as const,
  is_optional: false,
  is_hidden: true,
  parent_node: null,
  is_locked: true,
  progress: 0,
  last_attempted: null,
  num_attempts: null,
  child_count: null,
  completed_child_count: null,
  ungate: false,
  instruction_completed: null,
};
const storedProgressEntry = z
  .object({
    name: z.string(),
    status: z.enum(progressStatuses),
    ...(Object.fromEntries(Object.entries(progressEntryKeys).map(([key, schema]) => [key, schema.optional()])) as {
      [K in keyof typeof progressEntryKeys]: z.ZodOptional<(typeof progressEntryKeys)[K]>;
    }),
  })
  .catchall(z.json());
const inputProgressEntry = z
  .object({
    name: z.string(),
    status: withDefault(z.enum(progressStatuses), 'not_attempted'),
    ...(Object.fromEntries(
      Object.entries(progressEntryKeys).map(([key, schema]) => [
        key,
        withDefault(schema as z.ZodType, progressEntryDefaults[key as keyof typeof progressEntryKeys]),
      ]),
    ) as unknown as { [K in keyof typeof progressEntryKeys]: z.ZodType<z.output<(typeof progressEntryKeys)[K]>> }),
  })
  .catchall(z.json());

const progressOf = <E extends z.ZodType>(entry: E, mapSchema: (m: z.ZodRecord<z.ZodString, E>) => z.ZodType) =>
  Object.fromEntries(progressKinds.map((kind) => [kind, mapSchema(z.record(z.string(), entry))])) as Record<
    (typeof progressKinds)[number],
    z.ZodType
  >;

const storedFields = {
  learning_goals: strings,
  learning_constraints: z.strictObject({ weekly_study_time: weeklyStudyTime }).nullable(),
  learning_preferences: jsonObject,
  patterns_of_participation: jsonObject,
  employment_status: z.enum(employmentStatuses),
  potential_career_fields: strings.max(MAX_CAREER_FIELDS),
  personal_goals: z.string().max(MAX_PERSONAL_GOALS),
  employment_history: emptyObject,
  education_history: emptyObject,
  account_settings: emptyObject,
  contact_preferences: z.strictObject({ email: z.boolean(), phone: z.boolean() }),
  attestation_object: jsonObject,
  enrollment_information: jsonObject,
  progress: z.strictObject(progressOf(storedProgressEntry, (m) => m)) as z.ZodType<Progress>,
  achievements: strings,
  tagged_skills: strings,
  tagged_competencies: strings,
  mastered_skills: strings,
  mastered_competencies: strings,
};

export type ProgressEntry = z.infer<typeof storedProgressEntry>;
export type Progress = Record<(typeof progressKinds)[number], Record<string, ProgressEntry>>;

/** A learner profile as stored and replicated. `is_deleted` is internal and never leaves an API. */
export const storedProfile = z.strictObject({
  uuid: id,
  learner_id: id,
  ...storedFields,
  is_archived: z.boolean(),
  is_deleted: z.boolean(),
  /** The name of the token that wrote this version, set by the server. */
  modified_by: modifiedBy,
  sync: syncAttribute,
  created_time: time,
  last_modified_time: time,
});
export type StoredProfile = z.infer<typeof storedProfile>;
export type Profile = Omit<StoredProfile, 'is_deleted' | 'sync'>;
export type ProfileFields = { [K in keyof typeof storedFields]: StoredProfile[K] };

const emptyProgress = (): Progress =>
  Object.fromEntries(progressKinds.map((kind) => [kind, {}])) as Progress;

/**
 * A stored profile with every field: the defaults of fields it lacks, and each progress entry completed with the
 * reference's defaults (entries stored before those keys existed).
 */
export function completeProfile<T extends Partial<StoredProfile>>(doc: T): T & ProfileFields {
  const progress = doc.progress ?? emptyProgress();
  const completed = Object.fromEntries(
    progressKinds.map((kind) => [
      kind,
      Object.fromEntries(Object.entries(progress[kind] ?? {}).map(([id, entry]) => [id, { ...progressEntryDefaults, ...entry }])),
    ]),
  ) as Progress;
  return { ...profileDefaults(), ...doc, progress: completed };
}

/** Each editable field as a client sends it, nested defaults filled in; unknown nested keys are dropped. */
const inputFields = {
  ...storedFields,
  learning_constraints: z.object({ weekly_study_time: withDefault(weeklyStudyTime, 0) }),
  contact_preferences: z.object({ email: withDefault(z.boolean(), false), phone: withDefault(z.boolean(), false) }),
  progress: z.object(progressOf(inputProgressEntry, (m) => withDefault(m, {}))) as unknown as z.ZodType<Progress>,
};

export const profileDefaults = (): ProfileFields => ({
  learning_goals: [],
  learning_constraints: null,
  learning_preferences: {},
  patterns_of_participation: {},
  employment_status: '',
  potential_career_fields: [],
  personal_goals: '',
  employment_history: {},
  education_history: {},
  account_settings: {},
  contact_preferences: { email: false, phone: false },
  attestation_object: {},
  enrollment_information: {},
  progress: emptyProgress(),
  achievements: [],
  tagged_skills: [],
  tagged_competencies: [],
  mastered_skills: [],
  mastered_competencies: [],
});

/** Create: every field optional, `null` means default; unknown and server-set keys are ignored. */
export const profileCreate = z
  .object(nullishShape(inputFields))
  .transform((body): ProfileFields => ({ ...profileDefaults(), ...withoutNullish(body) }) as ProfileFields);

const { enrollment_information: _enrollment, ...editableFields } = inputFields;

/** Update: partial (absent or `null` keeps the value); unknown and non-editable keys are refused. */
export const profileUpdate = z
  .strictObject(nullishShape({ ...editableFields, is_archived: z.boolean() }))
  .transform((body) => withoutNullish(body) as Partial<Omit<ProfileFields, 'enrollment_information'> & { is_archived: boolean }>);
export type ProfileUpdate = z.output<typeof profileUpdate>;
