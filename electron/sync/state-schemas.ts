// Local-only sync state, never replicated: what is waiting to reach the server, and the conflict log.
import { z } from 'zod';
import { ID_LENGTH } from '../../shared/ids';
import { deriveRxSchema } from '../db/schemas';

const TIME_LENGTH = 32;
const KEY_LENGTH = 40;

/** One record changed here that the server has not yet confirmed (or has refused, with its reason). */
export const outboxEntry = z.strictObject({
  key: z.string().max(KEY_LENGTH),
  /** Not `collection`: RxDB documents reserve that name. */
  collection_name: z.enum(['learners', 'learner_profiles']),
  uuid: z.string().max(ID_LENGTH),
  /** The record's last_modified_time when it was changed here: a later push of that version settles it. */
  last_modified_time: z.string().max(TIME_LENGTH),
  state: z.enum(['pending', 'rejected']),
  reason: z.string().optional(),
});
export type OutboxEntry = z.infer<typeof outboxEntry>;

/** A value that lost a merge: kept so a counselor can review and restore it. Values are JSON text. */
export const conflictRecord = z.strictObject({
  id: z.string().max(64),
  /** Not `collection`: RxDB documents reserve that name. */
  collection_name: z.enum(['learners', 'learner_profiles']),
  documentId: z.string().max(ID_LENGTH),
  field: z.string().max(64),
  mine: z.string(),
  theirs: z.string(),
  kept: z.enum(['mine', 'theirs']),
  mineDevice: z.string().nullable(),
  theirsDevice: z.string().nullable(),
  at: z.string().max(TIME_LENGTH),
  resolved: z.boolean(),
});
export type ConflictRecord = z.infer<typeof conflictRecord>;

export const outboxRxSchema = deriveRxSchema<OutboxEntry>(outboxEntry, {
  version: 0,
  primaryKey: 'key',
  indexes: [['state', 'key']],
  lengths: { state: 8 },
});

export const conflictRxSchema = deriveRxSchema<ConflictRecord>(conflictRecord, {
  version: 0,
  primaryKey: 'id',
  indexes: [['resolved', 'at']],
  lengths: {},
});
