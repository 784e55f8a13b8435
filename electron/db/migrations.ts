// Schema migrations of the local collections. When a stored schema in shared/ changes incompatibly, raise that
// collection's `version` in schemas.ts and add the strategy for the new version here: strategy N turns a document
// of version N-1 into one of version N. RxDB runs them when the database opens, on the documents and on sync's
// record of what the server last sent, so the two stay alike and nothing is pushed again for a migration.
import type { MigrationStrategies } from 'rxdb';
import { completeAchievement } from '../../shared/schemas/achievement';
import { completeLearner } from '../../shared/schemas/learner';
import { completeProfile } from '../../shared/schemas/profile';
import { historicSync } from '../../shared/schemas/sync';

const withSync = (doc: Record<string, unknown>) => (doc.sync ? doc : { ...doc, sync: historicSync(doc as { last_modified_time: string }) });

export const migrationStrategies: Record<'learners' | 'learner_profiles' | 'achievements' | 'sync_outbox' | 'conflicts', MigrationStrategies> = {
  // 1: every field of the reference service's documents, with its defaults (the server's migration 4 does the same).
  // 2: per-field edit times, derived from the last change as the server's migration 7 derives them.
  // 3: the same documents; only the indexes changed (no personal field is indexed any more).
  // 4 (learners) and 3 (profiles): optional `center_id` and `modified_by`, which the server fills in at the next sync.
  learners: { 1: (doc) => completeLearner(doc), 2: withSync, 3: (doc) => doc, 4: (doc) => doc },
  learner_profiles: { 1: (doc) => completeProfile(doc), 2: withSync, 3: (doc) => doc },
  achievements: { 1: (doc) => completeAchievement(doc) },
  sync_outbox: {},
  conflicts: {},
};
