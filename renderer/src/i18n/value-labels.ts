// The screens' words for stored values: the pickers' values (education goals, career fields, employment statuses,
// genders), progress kinds and statuses, achievement types, field names, and the dashboard's categories. The stored
// values are the contract's English ones whatever the language; only what is shown is translated. A value the
// catalogs do not know (typed in by someone, or from a newer list) is shown as it is.
import type { EmploymentKey, LearnerStatus, ProfileState, ProgressStage, StudyBin } from '../../../shared/dashboard';
import type { Achievement } from '../../../shared/schemas/achievement';
import type { genders } from '../../../shared/schemas/learner';
import type { employmentStatuses, progressKinds, progressStatuses } from '../../../shared/schemas/profile';
import type { MessageId } from './catalogs';
import type { Translator } from './translator';

/** The education-fields list's learning goals (renderer/src/data/education-fields.json), by their stored value. */
export const GOAL_LABELS: Readonly<Record<string, MessageId>> = {
  'To be able to do what I love': 'goal.doWhatILove',
  'To start a new career': 'goal.newCareer',
  'To make more money': 'goal.moreMoney',
  'To provide a better life for my family': 'goal.betterLifeForFamily',
  "To feel proud of what I've done": 'goal.proudOfMyself',
  'To advance my existing career': 'goal.advanceCareer',
  'To make my family proud of me': 'goal.familyProud',
  'To make the world a better place': 'goal.betterWorld',
};

/** The list's career fields, by their stored `field_name`: the name and its examples. */
export const CAREER_LABELS: Readonly<Record<string, { name: MessageId; examples: MessageId | null }>> = {
  'Architecture, engineering': { name: 'career.architecture', examples: 'career.architecture.examples' },
  'Arts, design, entertainment, sports, media': { name: 'career.arts', examples: 'career.arts.examples' },
  'Business, financial operations': { name: 'career.business', examples: 'career.business.examples' },
  'Community, social services': { name: 'career.community', examples: 'career.community.examples' },
  'Computers, mathematics': { name: 'career.computers', examples: 'career.computers.examples' },
  'Construction, extraction': { name: 'career.construction', examples: 'career.construction.examples' },
  'Educational instruction, library sciences': { name: 'career.education', examples: 'career.education.examples' },
  'Farming, fishing, forestry': { name: 'career.farming', examples: 'career.farming.examples' },
  'Food preparation, service': { name: 'career.food', examples: 'career.food.examples' },
  Healthcare: { name: 'career.healthcare', examples: 'career.healthcare.examples' },
  'Installation, maintenance, repair': { name: 'career.installation', examples: 'career.installation.examples' },
  Legal: { name: 'career.legal', examples: 'career.legal.examples' },
  'Personal care, service': { name: 'career.personalCare', examples: 'career.personalCare.examples' },
  'Protective service': { name: 'career.protective', examples: 'career.protective.examples' },
  Sales: { name: 'career.sales', examples: 'career.sales.examples' },
  'Sciences (life, physical, social)': { name: 'career.sciences', examples: 'career.sciences.examples' },
  'Support (office, administrative)': { name: 'career.support', examples: 'career.support.examples' },
  'Something else not listed here': { name: 'career.other', examples: null },
};

/** Employment status as a profile's picker offers it. */
const EMPLOYMENT_OPTIONS: Record<(typeof employmentStatuses)[number], MessageId> = {
  '': 'employment.option.notGiven',
  'Full-time': 'employment.option.fullTime',
  'Part-time': 'employment.option.partTime',
  'Seeking work': 'employment.option.seekingWork',
  Unemployed: 'employment.option.unemployed',
};

/** Employment status as the dashboard counts it (shared/report-labels.ts has the exports' English words). */
const EMPLOYMENT: Record<EmploymentKey, MessageId> = {
  'Full-time': 'employment.fullTime',
  'Part-time': 'employment.partTime',
  'Seeking work': 'employment.seekingWork',
  Unemployed: 'employment.unemployed',
  not_given: 'employment.notGiven',
};

const GENDERS: Record<(typeof genders)[number], MessageId> = { NotSelected: 'gender.notSelected', Female: 'gender.female', Male: 'gender.male' };

type ProgressKind = (typeof progressKinds)[number];
const KINDS: Record<ProgressKind, { one: MessageId; many: MessageId }> = {
  curriculum_pathways: { one: 'progressKind.curriculumPathway', many: 'progressKind.curriculumPathways' },
  learning_experiences: { one: 'progressKind.learningExperience', many: 'progressKind.learningExperiences' },
  learning_objects: { one: 'progressKind.learningObject', many: 'progressKind.learningObjects' },
  learning_resources: { one: 'progressKind.learningResource', many: 'progressKind.learningResources' },
  assessments: { one: 'progressKind.assessment', many: 'progressKind.assessments' },
};

const PROGRESS_STATUSES: Record<(typeof progressStatuses)[number], MessageId> = {
  in_progress: 'progressStatus.inProgress',
  not_attempted: 'progressStatus.notAttempted',
  completed: 'progressStatus.completed',
  evaluation_pending: 'progressStatus.evaluationPending',
  evaluated: 'progressStatus.evaluated',
  non_evaluated: 'progressStatus.nonEvaluated',
  skipped: 'progressStatus.skipped',
};

const ACHIEVEMENT_TYPES: Record<Achievement['type'], MessageId> = {
  'course equate': 'achievementType.courseEquate',
  competency: 'achievementType.competency',
  level: 'achievementType.level',
};

/** The names people know the stored fields by, for screens that name a field (the conflict log). */
const FIELDS: Readonly<Record<string, MessageId>> = {
  first_name: 'field.firstName',
  last_name: 'field.lastName',
  middle_name: 'field.middleName',
  email_address: 'field.email',
  backup_email_address: 'field.backupEmail',
  organisation_email_id: 'field.organisationEmail',
  preferred_name: 'field.preferredName',
  preferred_first_name: 'field.preferredFirstName',
  preferred_last_name: 'field.preferredLastName',
  preferred_pronoun: 'field.pronouns',
  birth_date: 'field.birthDate',
  gender: 'field.gender',
  phone_number: 'field.phoneNumbers',
  city: 'field.city',
  postal_code: 'field.postalCode',
  street_number_and_name: 'field.street',
  student_identifier: 'field.studentId',
  is_archived: 'field.archived',
  is_deleted: 'field.deleted',
  learning_goals: 'field.learningGoals',
  learning_constraints: 'field.weeklyStudyTime',
  employment_status: 'field.employmentStatus',
  potential_career_fields: 'field.careerFields',
  personal_goals: 'field.personalGoals',
  contact_preferences: 'field.contactPreferences',
  tagged_skills: 'field.skills',
  tagged_competencies: 'field.competencies',
  achievements: 'field.achievements',
  progress: 'field.progress',
};

const PROFILE_STATES: Record<ProfileState, MessageId> = { complete: 'profileState.complete', incomplete: 'profileState.incomplete', missing: 'profileState.missing' };

const STUDY_BINS: Record<StudyBin, MessageId> = {
  '0': 'studyBin.zero',
  '1-5': 'studyBin.range',
  '6-10': 'studyBin.range',
  '11-15': 'studyBin.range',
  '16-20': 'studyBin.range',
  '21-25': 'studyBin.range',
  '26-30': 'studyBin.range',
  not_given: 'studyBin.notGiven',
};

const PROGRESS_STAGES: Record<ProgressStage, MessageId> = {
  none: 'progressStage.none',
  not_started: 'progressStage.notStarted',
  in_progress: 'progressStage.inProgress',
  completed: 'progressStage.completed',
};

const LEARNER_STATUSES: Record<LearnerStatus, MessageId> = { active: 'learnerStatus.active', archived: 'learnerStatus.archived', all: 'learnerStatus.all' };

const known = (t: Translator, ids: Readonly<Record<string, MessageId>>, value: string) => {
  const id = Object.hasOwn(ids, value) ? ids[value] : undefined;
  return id ? t.t(id) : value;
};

export const goalLabel = (t: Translator, goal: string) => known(t, GOAL_LABELS, goal);
export const careerLabel = (t: Translator, field: string) => (Object.hasOwn(CAREER_LABELS, field) ? t.t(CAREER_LABELS[field]!.name) : field);
export function careerExamples(t: Translator, field: string, fallback: string): string {
  const examples = Object.hasOwn(CAREER_LABELS, field) ? CAREER_LABELS[field]!.examples : undefined;
  return examples === undefined ? fallback : examples === null ? '' : t.t(examples);
}
export const employmentOption = (t: Translator, status: (typeof employmentStatuses)[number]) => t.t(EMPLOYMENT_OPTIONS[status]);
/** An employment status (stored, or as the dashboard counts it); anything else as it is. */
export const employmentLabel = (t: Translator, status: EmploymentKey | string) => known(t, EMPLOYMENT, status);
export const genderLabel = (t: Translator, gender: (typeof genders)[number]) => t.t(GENDERS[gender]);
export const progressKindLabel = (t: Translator, kind: string, form: 'one' | 'many') =>
  Object.hasOwn(KINDS, kind) ? t.t(KINDS[kind as ProgressKind][form]) : kind;
export const progressStatusLabel = (t: Translator, status: string) => known(t, PROGRESS_STATUSES, status);
export const achievementTypeLabel = (t: Translator, type: string) => known(t, ACHIEVEMENT_TYPES, type);
export const fieldLabel = (t: Translator, field: string) =>
  Object.hasOwn(FIELDS, field) ? t.t(FIELDS[field]!) : field.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
export const profileStateLabel = (t: Translator, state: ProfileState) => t.t(PROFILE_STATES[state]);
/** "0 h", "6–10 h", "Not given": the bins' bounds come from their ids. */
export function studyBinLabel(t: Translator, bin: StudyBin): string {
  const [min, max] = bin.split('-');
  return t.t(STUDY_BINS[bin], { min: Number(min), max: Number(max) });
}
export const progressStageLabel = (t: Translator, stage: ProgressStage) => t.t(PROGRESS_STAGES[stage]);
export const learnerStatusLabel = (t: Translator, status: LearnerStatus) => t.t(LEARNER_STATUSES[status]);
