// The per-field three-way merge of ../spec/sync.md "Conflicts". Pure, so every device resolves a conflict the same
// way whatever its clock says: the later edit (by the documents' own last_modified_time) wins a field both sides
// changed, ties go to the greater value, and each losing value is returned so it can be logged, never dropped.
import isEqual from 'fast-deep-equal';

type Doc = Record<string, unknown> & { last_modified_time: string };

/** Fields that no merge changes: identity and history. */
const FIXED = new Set(['uuid', 'learner_id', 'created_time', 'last_modified_time', '_deleted', '_rev', '_meta', '_attachments']);

export interface LostValue {
  field: string;
  /** The value each side had; `kept` says which one is in the merged document. */
  mine: unknown;
  theirs: unknown;
  kept: 'mine' | 'theirs';
}

export interface MergeResult<T extends Doc> {
  merged: T;
  lost: LostValue[];
}

const order = (a: unknown, b: unknown) => {
  const x = JSON.stringify(a) ?? '';
  const y = JSON.stringify(b) ?? '';
  return x === y ? 0 : x > y ? 1 : -1;
};

/**
 * Merges this device's document (`mine`) with the server's (`theirs`), both descended from `base`, the server state
 * this device last saw (absent when both sides created the document independently).
 */
export function mergeDocuments<T extends Doc>(base: T | undefined, mine: T, theirs: T): MergeResult<T> {
  const mineIsLater = mine.last_modified_time > theirs.last_modified_time || (mine.last_modified_time === theirs.last_modified_time && order(mine, theirs) > 0);
  const merged: Record<string, unknown> = { ...theirs };
  const lost: LostValue[] = [];
  const fields = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
  for (const field of fields) {
    if (FIXED.has(field)) continue;
    const m = mine[field];
    const t = theirs[field];
    const b = base?.[field];
    if (isEqual(m, t)) continue;
    if (base && isEqual(t, b)) {
      merged[field] = m;
    } else if (base && isEqual(m, b)) {
      merged[field] = t;
    } else {
      merged[field] = mineIsLater ? m : t;
      lost.push({ field, mine: m, theirs: t, kept: mineIsLater ? 'mine' : 'theirs' });
    }
    if (merged[field] === undefined) delete merged[field];
  }
  merged.last_modified_time = mine.last_modified_time > theirs.last_modified_time ? mine.last_modified_time : theirs.last_modified_time;
  return { merged: merged as T, lost };
}
