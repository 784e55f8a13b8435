import { z } from 'zod';
import { formatHlc, HLC_PATTERN, NODE_PATTERN } from '../hlc';
import { UNMERGED_FIELDS } from '../merge';
import { parseTime } from '../time';

/**
 * What a replicated document carries for sync (../spec/sync.md "Conflicts"): each top-level field's edit time and
 * the names of the devices behind those times. Internal: REST answers never show it.
 */
export const syncAttribute = z.strictObject({
  times: z.record(z.string().max(64), z.string().regex(HLC_PATTERN, 'must be an edit time')),
  by: z.record(z.string().regex(NODE_PATTERN), z.string().max(120)),
});
export type SyncAttributeValue = z.infer<typeof syncAttribute>;

/** A document not yet written has no edit times: its first write dates every field. */
export const unstamped = (): SyncAttributeValue => ({ times: {}, by: {} });

/**
 * The edit times of a document stored before documents carried them: every field as of its last change, under one
 * node name. Each host derives the same from the same document, so no device has anything to push because of it.
 */
export function historicSync(doc: Record<string, unknown> & { last_modified_time: string }): SyncAttributeValue {
  const time = formatHlc({ millis: Math.floor(parseTime(doc.last_modified_time) / 1000), counter: 0, node: HISTORIC_NODE });
  const times: Record<string, string> = {};
  for (const field of Object.keys(doc)) if (!UNMERGED_FIELDS.has(field)) times[field] = time;
  return { times, by: { [HISTORIC_NODE]: 'an earlier version of the app' } };
}
export const HISTORIC_NODE = 'before-field-times';
