// The few facts of a learner and of a profile that the dashboard counts and the list filters by, in the form that
// counts fastest: times as numbers, categories as their position in the definitions' lists, free text (goals,
// career fields) as numbers from a dictionary. Derived once per stored version, so 100k of each stay small and a
// query is a loop over numbers.
import {
  EMPLOYMENT_KEYS,
  PROGRESS_STAGES,
  STUDY_BINS,
  employmentKeyOf,
  isProfileComplete,
  progressStageOf,
  studyBinOf,
} from '../../shared/dashboard';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import { parseTime } from '../../shared/time';

/** Numbers for texts, handed out in first-seen order and never taken back (a value no one has any more counts 0). */
export class Dictionary {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  /** The value's number if any learner ever had it. */
  find(value: string): number | undefined {
    return this.ids.get(value);
  }
}

export interface LearnerFacts {
  uuid: string;
  /** Registration time in microseconds. */
  created: number;
  archived: boolean;
  deleted: boolean;
  center: string | null;
}

export interface ProfileFacts {
  learnerId: string;
  deleted: boolean;
  /** Dictionary numbers, each once. */
  goals: readonly number[];
  careers: readonly number[];
  /** Positions in STUDY_BINS, EMPLOYMENT_KEYS and PROGRESS_STAGES. */
  study: number;
  employment: number;
  stage: number;
  complete: boolean;
}

export const STUDY_BIN_IDS: readonly string[] = STUDY_BINS.map((bin) => bin.id);

/** A learner's center, once learners carry one (an optional `center_id`); null until then. */
function centerOf(learner: StoredLearner): string | null {
  const center = (learner as { center_id?: unknown }).center_id;
  return typeof center === 'string' && center !== '' ? center : null;
}

export function learnerFactsOf(learner: StoredLearner): LearnerFacts {
  return {
    uuid: learner.uuid,
    created: parseTime(learner.created_time),
    archived: learner.is_archived,
    deleted: learner.is_deleted,
    center: centerOf(learner),
  };
}

const numbersOf = (values: readonly string[], dictionary: Dictionary) => [...new Set(values.map((value) => dictionary.idOf(value)))];

/** Documents written before a field existed lack it: they count as the field's default. */
export function profileFactsOf(profile: StoredProfile, dictionaries: { goals: Dictionary; careers: Dictionary }): ProfileFacts {
  const fields = {
    learning_goals: profile.learning_goals ?? [],
    learning_constraints: profile.learning_constraints ?? null,
    employment_status: profile.employment_status ?? '',
    potential_career_fields: profile.potential_career_fields ?? [],
  };
  return {
    learnerId: profile.learner_id,
    deleted: profile.is_deleted,
    goals: numbersOf(fields.learning_goals, dictionaries.goals),
    careers: numbersOf(fields.potential_career_fields, dictionaries.careers),
    study: STUDY_BIN_IDS.indexOf(studyBinOf(fields.learning_constraints?.weekly_study_time ?? null)),
    employment: EMPLOYMENT_KEYS.indexOf(employmentKeyOf(fields.employment_status)),
    stage: PROGRESS_STAGES.indexOf(progressStageOf(profile.progress)),
    complete: isProfileComplete(fields),
  };
}
