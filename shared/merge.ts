// The per-field merge of ../spec/sync.md "Conflicts". Every replicated document carries, in its `sync` attribute,
// the edit time of each top-level field (a hybrid logical clock, ./hlc.ts) and the names of the devices those times
// belong to. Two states of one document merge field by field: the later edit of a field wins, whichever record was
// edited last; a value that lost to an edit made without seeing it is returned, never dropped, for the conflict log.
// Pure and symmetric, so every device, and the server, merge the same two states to the same document.
import isEqual from 'fast-deep-equal';

/** What a replicated document carries for sync; REST answers never show it. */
export interface SyncAttribute {
  /** Field name → hybrid logical clock time of its last edit. */
  times: Record<string, string>;
  /** Node id (as in the times) → the device's name, for the people reading the conflict log. */
  by: Record<string, string>;
}

export type SyncedDoc = Record<string, unknown> & { sync: SyncAttribute; last_modified_time: string };

/** Fields no merge changes or that are not edits: identity, history, and the replication's own keys. */
export const UNMERGED_FIELDS = new Set(['uuid', 'learner_id', 'created_time', 'last_modified_time', 'sync', 'modified_by', '_deleted', '_rev', '_meta', '_attachments']);

export interface LostValue {
  field: string;
  /**
   * `field`: both sides edited the field and this value's edit was the earlier one. `deleted`: the other side
   * deleted the record, and this edit, made without seeing the deletion, does not bring it back.
   */
  kind: 'field' | 'deleted';
  /** Which side's value lost. */
  side: 'mine' | 'theirs';
  lost: unknown;
  kept: unknown;
  lostTime: string;
  keptTime: string;
  lostDevice: string | null;
  keptDevice: string | null;
}

export interface MergeResult<T extends SyncedDoc> {
  merged: T;
  lost: LostValue[];
}

const nodeOf = (time: string) => time.slice(30);
const json = (value: unknown) => JSON.stringify(value) ?? '';
const timeOf = (doc: SyncedDoc | undefined, field: string) => doc?.sync?.times?.[field] ?? '';

/**
 * Merges this device's state (`mine`) with the server's (`theirs`). `base`, the server state this device last saw,
 * only decides what is reported: a losing value is reported when its side edited the field after the base.
 */
export function mergeByFieldTime<T extends SyncedDoc>(base: T | undefined, mine: T, theirs: T): MergeResult<T> {
  const merged: Record<string, unknown> = { ...theirs };
  const times: Record<string, string> = {};
  const fieldLosses: LostValue[] = [];
  const deviceOf = (time: string) => mine.sync?.by?.[nodeOf(time)] ?? theirs.sync?.by?.[nodeOf(time)] ?? null;
  const editedSinceBase = (doc: T, field: string) => timeOf(doc, field) > timeOf(base, field);

  const fields = new Set([...Object.keys(mine), ...Object.keys(theirs), ...Object.keys(mine.sync?.times ?? {}), ...Object.keys(theirs.sync?.times ?? {})]);
  for (const field of fields) {
    if (UNMERGED_FIELDS.has(field)) continue;
    const m = mine[field];
    const t = theirs[field];
    const tm = timeOf(mine, field);
    const tt = timeOf(theirs, field);
    const mineWins = tm > tt || (tm === tt && json(m) > json(t));
    const value = mineWins ? m : t;
    if (value === undefined) delete merged[field];
    else merged[field] = value;
    const time = mineWins ? tm : tt;
    if (time) times[field] = time;
    if (isEqual(m, t)) continue;
    const loser = mineWins ? theirs : mine;
    if (!editedSinceBase(loser, field)) continue;
    const lostTime = mineWins ? tt : tm;
    fieldLosses.push({
      field,
      kind: 'field',
      side: mineWins ? 'theirs' : 'mine',
      lost: mineWins ? t : m,
      kept: value,
      lostTime,
      keptTime: time,
      lostDevice: deviceOf(lostTime),
      keptDevice: deviceOf(time),
    });
  }

  // A record deleted on one side stays deleted; what the other side edited without seeing the deletion is reported,
  // so that "restore" can bring the record back with it.
  let lost = fieldLosses;
  if (merged.is_deleted === true && mine.is_deleted !== theirs.is_deleted) {
    const editorSide = mine.is_deleted === true ? 'theirs' : 'mine';
    const editor = editorSide === 'mine' ? mine : theirs;
    const deletedAt = times.is_deleted ?? '';
    lost = fieldLosses.filter((loss) => loss.side !== editorSide);
    for (const field of Object.keys(editor.sync?.times ?? {})) {
      if (UNMERGED_FIELDS.has(field) || field === 'is_deleted' || !editedSinceBase(editor, field)) continue;
      const lostTime = timeOf(editor, field);
      lost.push({
        field,
        kind: 'deleted',
        side: editorSide,
        lost: editor[field],
        kept: merged[field],
        lostTime,
        keptTime: deletedAt,
        lostDevice: deviceOf(lostTime),
        keptDevice: deviceOf(deletedAt),
      });
    }
  }

  const by: Record<string, string> = {};
  for (const time of Object.values(times)) {
    const node = nodeOf(time);
    const name = mine.sync?.by?.[node] ?? theirs.sync?.by?.[node];
    if (name !== undefined) by[node] = name;
  }
  merged.sync = { times, by };
  merged.last_modified_time = mine.last_modified_time > theirs.last_modified_time ? mine.last_modified_time : theirs.last_modified_time;
  return { merged: merged as T, lost };
}
