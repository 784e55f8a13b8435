// Local-only sync state, never replicated: what is waiting to reach the server.
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



export const outboxRxSchema = deriveRxSchema<OutboxEntry>(outboxEntry, {
  version: 0,
  primaryKey: 'key',
  indexes: [['state', 'key']],
  lengths: { state: 8 },
});
