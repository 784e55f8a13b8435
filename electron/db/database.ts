// The desktop's RxDB database: the replicated collections (schemas derived from shared/'s zod schemas) and
// local-only state as local documents. Storage-agnostic, so tests can also run it on RxDB's memory storage.
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { StoredAchievement } from '../../shared/schemas/achievement';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import { migrationStrategies } from './migrations';
import { achievementRxSchema, learnerRxSchema, profileRxSchema } from './schemas';

addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

export const DATABASE_NAME = 'learner-profiles';

export type AppCollections = {
  learners: RxCollection<StoredLearner>;
  learner_profiles: RxCollection<StoredProfile>;
  achievements: RxCollection<StoredAchievement>;
};
export type AppDatabase = RxDatabase<AppCollections>;
export type CollectionName = keyof AppCollections;

export const collectionSchemas = {
  learners: learnerRxSchema,
  learner_profiles: profileRxSchema,
  achievements: achievementRxSchema,
} as const;

export async function createAppDatabase(storage: RxStorage<unknown, unknown>, name = DATABASE_NAME): Promise<AppDatabase> {
  const db = await createRxDatabase<AppCollections>({
    name,
    storage,
    // One process owns the database: the main process (or the browser preview's server).
    multiInstance: false,
    localDocuments: true,
    // Deleted documents are kept: sync and audits need them; soft deletes are fields, not RxDB deletions.
    cleanupPolicy: { minimumDeletedTime: 1000 * 60 * 60 * 24 * 30, runEach: 1000 * 60 * 60 },
  });
  try {
    await db.addCollections({
      learners: { schema: learnerRxSchema, migrationStrategies: migrationStrategies.learners },
      learner_profiles: { schema: profileRxSchema, migrationStrategies: migrationStrategies.learner_profiles },
      achievements: { schema: achievementRxSchema, migrationStrategies: migrationStrategies.achievements },
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
