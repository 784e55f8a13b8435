// The local collections' RxDB schemas, derived from the zod schemas in shared/ (never written twice). RxDB needs
// what JSON Schema cannot say by itself: the primary key, the indexes, and a maxLength on every indexed string.
import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import { storedAchievement, type StoredAchievement } from '../../shared/schemas/achievement';
import { storedConflict, type StoredConflict } from '../../shared/schemas/conflict';
import { storedLearner, type StoredLearner } from '../../shared/schemas/learner';
import { storedProfile, type StoredProfile } from '../../shared/schemas/profile';
import { ID_LENGTH } from '../../shared/ids';

const TIME_LENGTH = '2022-07-28 11:08:55.066059+00:00'.length;

type JsonSchema = Record<string, unknown>;

/** Free-form JSON (zod's recursive `$ref`s) becomes "any": RxDB does not resolve references, and zod validates. */
function withoutRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  if ('$ref' in schema) return {};
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, withoutRefs(value)]));
}

interface Derivation {
  version: number;
  primaryKey?: string;
  indexes: string[][];
  /** Tight maxLengths for indexed strings that zod bounds only by a pattern (ids, times). */
  lengths: Record<string, number>;
}

export function deriveRxSchema<T>(schema: z.ZodObject, { version, primaryKey = 'uuid', indexes, lengths }: Derivation): RxJsonSchema<T> {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  const properties = withoutRefs(json.properties) as Record<string, JsonSchema>;
  for (const [field, maxLength] of Object.entries(lengths)) {
    const property = properties[field];
    if (!property) throw new Error(`no field ${field} to bound`);
    property.maxLength = maxLength;
  }
  for (const field of new Set(indexes.flat())) {
    const property = properties[field];
    if (property?.type === 'string' && typeof property.maxLength !== 'number') {
      throw new Error(`indexed field ${field} needs a maxLength`);
    }
  }
  return {
    version,
    primaryKey,
    type: 'object',
    properties,
    required: json.required as string[],
    additionalProperties: false,
    indexes,
  } as unknown as RxJsonSchema<T>;
}

const ids = { uuid: ID_LENGTH };
const times = { created_time: TIME_LENGTH, last_modified_time: TIME_LENGTH };

/**
 * The only fields any collection may index. The storage seals document bodies but keeps index keys in plain text,
 * so indexes cover ids, times and flags, never a personal value; the storage refuses a schema that indexes anything
 * else. Lookups and sorts by name or email go through the in-memory LearnerIndex.
 */
export const INDEXABLE_FIELDS = [
  'uuid',
  'learner_id',
  'record_id',
  'key',
  'center_id',
  'created_time',
  'last_modified_time',
  'is_deleted',
  'is_archived',
  'resolved',
  'state',
] as const;

/** Version 3: names and emails left the indexes (they were readable in the file). 4: center and signature. */
export const learnerRxSchema = deriveRxSchema<StoredLearner>(storedLearner, {
  version: 4,
  indexes: [['is_deleted', 'created_time']],
  lengths: { ...ids, ...times },
});

/** Version 3: the signature of the token that wrote it. */
export const profileRxSchema = deriveRxSchema<StoredProfile>(storedProfile, {
  version: 3,
  indexes: [['is_deleted', 'created_time'], ['learner_id']],
  lengths: { ...ids, learner_id: ID_LENGTH, ...times },
});

export const achievementRxSchema = deriveRxSchema<StoredAchievement>(storedAchievement, {
  version: 1,
  indexes: [['is_deleted', 'created_time']],
  lengths: { ...ids, ...times },
});

/** The replicated conflict log: unresolved entries newest first, and a record's entries. */
export const conflictRxSchema = deriveRxSchema<StoredConflict>(storedConflict, {
  version: 0,
  indexes: [['resolved', 'created_time'], ['record_id']],
  lengths: { ...ids, record_id: ID_LENGTH, ...times },
});
