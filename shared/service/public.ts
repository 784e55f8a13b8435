import { completeAchievement, storedAchievement, type Achievement, type StoredAchievement } from '../schemas/achievement';
import { completeLearner, storedLearner, type Learner, type StoredLearner } from '../schemas/learner';
import { completeProfile, storedProfile, type Profile, type StoredProfile } from '../schemas/profile';

/** Fields that stay inside the system (sync and audit bookkeeping among them): never in an API answer. */
const INTERNAL_FIELDS = new Set(['is_deleted', 'access_code', 'sync', 'modified_by']);

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

const learnerView = publicView<Learner>(Object.keys(storedLearner.shape));
const profileView = publicView<Profile>(Object.keys(storedProfile.shape));
const achievementView = publicView<Achievement>(Object.keys(storedAchievement.shape));

// Every answer carries every field, as the reference's do, even for documents stored before a field existed.
export const publicLearner = (doc: StoredLearner): Learner => learnerView(completeLearner(doc));
export const publicProfile = (doc: StoredProfile): Profile => profileView(completeProfile(doc));
export const publicAchievement = (doc: StoredAchievement): Achievement => achievementView(completeAchievement(doc));
