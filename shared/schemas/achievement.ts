// The achievements catalog: every field of the reference service's achievement, with its defaults. Authored on the
// central server and replicated read-only to the desktop.
import { z } from 'zod';
import { id, jsonObject, time, withDefault } from './common';
import { nullishShape, withoutNullish } from './shape';

export const achievementTypes = ['course equate', 'competency', 'level'] as const;

const list = z.array(z.json());
const alignmentKeys = ['competency_alignments', 'skill_alignments'] as const;
const associationKeys = [
  'exact_match_of',
  'exemplar',
  'has_skill_level',
  'is_child_of',
  'is_parent_of',
  'is_part_of',
  'is_peer_of',
  'is_related_to',
  'precedes',
  'replaced_by',
] as const;
const designKeys = ['theme', 'illustration', 'shape'] as const;

const listsOf = <K extends string>(keys: readonly K[], side: 'input' | 'stored') =>
  z.object(
    Object.fromEntries(keys.map((key) => [key, side === 'input' ? withDefault(list, []) : list.optional()])) as unknown as Record<K, z.ZodType<z.infer<typeof list>>>,
  );

const alignments = (side: 'input' | 'stored') => listsOf(alignmentKeys, side);
const associations = (side: 'input' | 'stored') => listsOf(associationKeys, side);
const emptyLists = (keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, []]));

/** Free JSON, but a `design_config` present gets its three keys (the reference answers it so). */
const inputMetadata = jsonObject.transform((metadata) => {
  const design = metadata.design_config;
  if (design === null || typeof design !== 'object' || Array.isArray(design)) return { ...metadata, design_config: {} };
  return { ...metadata, design_config: { ...Object.fromEntries(designKeys.map((key) => [key, ''])), ...design } };
});

/** The optional fields as stored: free-form where the reference is, typed where it is typed. */
const storedOptional = {
  description: z.string().nullable(),
  alignments: alignments('stored'),
  associations: associations('stored'),
  credits_available: z.number().nullable(),
  field_of_study: z.string().nullable(),
  metadata: jsonObject,
  image: z.string().nullable(),
  result_descriptions: z.array(z.string()).nullable(),
  tags: z.array(z.string()).nullable(),
  timestamp: z.string().nullable(),
};

export const storedAchievement = z.strictObject({
  uuid: id,
  type: z.enum(achievementTypes),
  name: z.string().min(1),
  ...(Object.fromEntries(Object.entries(storedOptional).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof storedOptional]: z.ZodOptional<(typeof storedOptional)[K]>;
  }),
  is_archived: z.boolean().optional(),
  is_deleted: z.boolean(),
  created_time: time,
  last_modified_time: time,
});
export type StoredAchievement = z.infer<typeof storedAchievement>;
export type Achievement = Omit<StoredAchievement, 'is_deleted'>;

export const achievementDefaults = () => ({
  description: null,
  alignments: emptyLists(alignmentKeys),
  associations: emptyLists(associationKeys),
  credits_available: null,
  field_of_study: null,
  metadata: { design_config: {} },
  image: null,
  result_descriptions: null,
  tags: null,
  timestamp: null,
  is_archived: false,
});

/** A stored achievement with every field (catalog entries written before these fields existed lack them). */
export function completeAchievement<T extends Partial<StoredAchievement>>(doc: T): T & ReturnType<typeof achievementDefaults> {
  return { ...achievementDefaults(), ...doc } as T & ReturnType<typeof achievementDefaults>;
}

const inputOptional = {
  description: z.string(),
  alignments: alignments('input'),
  associations: associations('input'),
  credits_available: z.number(),
  field_of_study: z.string(),
  metadata: inputMetadata,
  image: z.string(),
  result_descriptions: z.array(z.string()),
  tags: z.array(z.string()),
  timestamp: z.string(),
};

/** Create: `type` and `name` required, everything else optional with its default; unknown keys are ignored. */
export const achievementCreate = z
  .object({ type: z.enum(achievementTypes), name: z.string().min(1), ...nullishShape(inputOptional) })
  .transform((body) => {
    const given = withoutNullish(body);
    return {
      ...achievementDefaults(),
      ...given,
      alignments: given.alignments ?? alignments('input').parse({}),
      associations: given.associations ?? associations('input').parse({}),
    };
  });

/** Update: partial (absent or null keeps the value); unknown keys are refused. */
export const achievementUpdate = z
  .strictObject(nullishShape({ type: z.enum(achievementTypes), name: z.string().min(1), ...inputOptional, is_archived: z.boolean() }))
  .transform(withoutNullish);
export type AchievementUpdate = z.output<typeof achievementUpdate>;
