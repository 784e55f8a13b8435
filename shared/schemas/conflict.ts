// An entry of the conflict log (../spec/sync.md "Conflicts"): a value that lost a merge, with both sides, the
// devices and times, and whether someone resolved it. Entries replicate like learners, to every device of the
// record's center, so the counselor whose value lost sees it on their own device too.
import { z } from 'zod';
import { HLC_PATTERN } from '../hlc';
import { id, time } from './common';
import { syncAttribute } from './sync';

const editTime = z.union([z.literal(''), z.string().regex(HLC_PATTERN)]);
/** Values as JSON text, so any field's value fits one schema. */
const jsonText = z.string().max(1_000_000);
const deviceName = z.string().max(120).nullable();

export const conflictKinds = ['field', 'deleted'] as const;
export const conflictResolutions = ['kept', 'lost', 'restore'] as const;

export const storedConflict = z.strictObject({
  uuid: id,
  record_type: z.enum(['learner', 'learner_profile']),
  record_id: id,
  learner_id: id,
  /** Who the record is about, as people know them. */
  learner_name: z.string().max(130),
  field: z.string().max(64),
  /** `field`: two edits of one field; `deleted`: an edit of a record deleted elsewhere. */
  kind: z.enum(conflictKinds),
  lost_value: jsonText,
  kept_value: jsonText,
  lost_device: deviceName,
  kept_device: deviceName,
  lost_time: editTime,
  kept_time: editTime,
  resolved: z.boolean(),
  resolution: z.enum(conflictResolutions).nullable(),
  resolved_by: deviceName,
  resolved_time: time.nullable(),
  is_deleted: z.boolean(),
  sync: syncAttribute,
  created_time: time,
  last_modified_time: time,
});
export type StoredConflict = z.infer<typeof storedConflict>;
