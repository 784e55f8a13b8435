// The few facts of a learner and of a profile that the dashboard counts and the list filters by: small enough to
// keep 100k of each in memory, derived once per stored version rather than on every query. Nothing personal but
// free-text goals and career fields, which the figures show.
import {
  employmentKeyOf,
  isProfileComplete,
  progressStageOf,
  studyBinOf,
  type EmploymentKey,
  type ProgressStage,
  type StudyBin,
} from '../../shared/dashboard';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';

export interface LearnerFacts {
  uuid: string;
  /** A stored time (fixed width, so string order is time order). */
  created: string;
  archived: boolean;
  deleted: boolean;
  center: string | null;
}

export interface ProfileFacts {
  learnerId: string;
  deleted: boolean;
  goals: readonly string[];
  study: StudyBin;
  employment: EmploymentKey;
  careers: readonly string[];
  stage: ProgressStage;
  complete: boolean;
}

/** A learner's center, once learners carry one (an optional `center_id`); null until then. */
function centerOf(learner: StoredLearner): string | null {
  const center = (learner as { center_id?: unknown }).center_id;
  return typeof center === 'string' && center !== '' ? center : null;
}

export function learnerFactsOf(learner: StoredLearner): LearnerFacts {
  return {
    uuid: learner.uuid,
    created: learner.created_time,
    archived: learner.is_archived,
    deleted: learner.is_deleted,
    center: centerOf(learner),
  };
}

/** Documents written before a field existed lack it: they count as the field's default. */
export function profileFactsOf(profile: StoredProfile): ProfileFacts {
  const fields = {
    learning_goals: profile.learning_goals ?? [],
    learning_constraints: profile.learning_constraints ?? null,
    employment_status: profile.employment_status ?? '',
    potential_career_fields: profile.potential_career_fields ?? [],
  };
  return {
    learnerId: profile.learner_id,
    deleted: profile.is_deleted,
    // A goal listed twice is one goal.
    goals: [...new Set(fields.learning_goals)],
    study: studyBinOf(fields.learning_constraints?.weekly_study_time ?? null),
    employment: employmentKeyOf(fields.employment_status),
    careers: [...new Set(fields.potential_career_fields)],
    stage: progressStageOf(profile.progress),
    complete: isProfileComplete(fields),
  };
}
