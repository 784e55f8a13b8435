// The desktop's RxDB database: the replicated collections (schemas derived from shared/'s zod schemas) and
// local-only state as local documents. Storage-agnostic, so tests can also run it on RxDB's memory storage.
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { StoredAchievement } from '../../shared/schemas/achievement';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import { migrationStrategies } from './migrations';
import { achievementRxSchema, conflictRxSchema, learnerRxSchema, profileRxSchema } from './schemas';
import { createConflictHandler, type LostValues } from '../sync/conflict-handler';
import { outboxRxSchema, type OutboxEntry } from '../sync/state-schemas';
import type { StoredConflict } from '../../shared/schemas/conflict';

addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

export const DATABASE_NAME = 'learner-profiles';

export type AppCollections = {
  learners: RxCollection<StoredLearner>;
  learner_profiles: RxCollection<StoredProfile>;
  achievements: RxCollection<StoredAchievement>;
  sync_outbox: RxCollection<OutboxEntry>;
  conflicts: RxCollection<StoredConflict>;
};
export type AppDatabase = RxDatabase<AppCollections>;
export type CollectionName = 'learners' | 'learner_profiles' | 'achievements';

export interface DatabaseOptions {
  /** Receives the values that lost a sync merge (the conflict log). Merges happen as soon as sync runs. */
  onLostValues?: (lost: LostValues) => Promise<void>;
}

export const collectionSchemas = {
  learners: learnerRxSchema,
  learner_profiles: profileRxSchema,
  achievements: achievementRxSchema,
} as const;

export async function createAppDatabase(
  storage: RxStorage<unknown, unknown>,
  name = DATABASE_NAME,
  options: DatabaseOptions = {},
): Promise<AppDatabase> {
  const onLost = options.onLostValues ?? (async () => {});
  const db = await createRxDatabase<AppCollections>({
    name,
    storage,
    // One process owns the database: the main process (or the browser preview's server).
    multiInstance: false,
    localDocuments: true,
    // Lists answer how many match in all (`total_count`), whatever their filter; the screens' own list counts
    // through its in-memory index, so these counts serve the API's lists and exports only.
    allowSlowCount: true,
    // Deleted documents are kept: sync and audits need them; soft deletes are fields, not RxDB deletions.
    cleanupPolicy: { minimumDeletedTime: 1000 * 60 * 60 * 24 * 30, runEach: 1000 * 60 * 60 },
  });
  try {
    await db.addCollections({
      learners: {
        schema: learnerRxSchema,
        migrationStrategies: migrationStrategies.learners,
        conflictHandler: createConflictHandler<StoredLearner>('learners', onLost),
      },
      learner_profiles: {
        schema: profileRxSchema,
        migrationStrategies: migrationStrategies.learner_profiles,
        conflictHandler: createConflictHandler<StoredProfile>('learner_profiles', onLost),
      },
      achievements: { schema: achievementRxSchema, migrationStrategies: migrationStrategies.achievements },
      sync_outbox: { schema: outboxRxSchema, migrationStrategies: migrationStrategies.sync_outbox },
      conflicts: {
        schema: conflictRxSchema,
        migrationStrategies: migrationStrategies.conflicts,
        // Entries merge like any replicated document; a value lost there is not logged again.
        conflictHandler: createConflictHandler<StoredConflict>('conflicts', async () => {}),
      },
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
