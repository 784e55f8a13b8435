// Schema migrations of the local collections. When a stored schema in shared/ changes incompatibly, raise that
// collection's `version` in schemas.ts and add the strategy for the new version here: strategy N turns a document
// of version N-1 into one of version N. RxDB runs them when the database opens.
import type { MigrationStrategies } from 'rxdb';

export const migrationStrategies: Record<'learners' | 'learner_profiles' | 'achievements' | 'sync_outbox' | 'sync_conflicts', MigrationStrategies> = {
  learners: {},
  learner_profiles: {},
  achievements: {},
  sync_outbox: {},
  sync_conflicts: {},
};
