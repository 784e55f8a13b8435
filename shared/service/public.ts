import { storedAchievement, type Achievement, type StoredAchievement } from '../schemas/achievement';
import { storedLearner, type Learner, type StoredLearner } from '../schemas/learner';
import { storedProfile, type Profile, type StoredProfile } from '../schemas/profile';

/** Fields that stay inside the system: never in an API answer. */
const INTERNAL_FIELDS = new Set(['is_deleted', 'access_code']);

/** The schema's field order (stores such as jsonb do not keep it), without internal fields. */
const publicView = <T extends object>(keys: readonly string[]) => {
  const visible = keys.filter((key) => !INTERNAL_FIELDS.has(key));
  return (doc: object): T => {
    const record = doc as Record<string, unknown>;
    const view: Record<string, unknown> = {};
    for (const key of visible) if (record[key] !== undefined) view[key] = record[key];
    return view as T;
  };
};

export const publicLearner: (doc: StoredLearner) => Learner = publicView(Object.keys(storedLearner.shape));
export const publicProfile: (doc: StoredProfile) => Profile = publicView(Object.keys(storedProfile.shape));
export const publicAchievement: (doc: StoredAchievement) => Achievement = publicView(
  Object.keys(storedAchievement.shape),
);
