import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeDocuments } from '../../shared/merge';

const doc = (fields: Record<string, unknown>, time: string): Record<string, unknown> & { last_modified_time: string } => ({ uuid: 'U'.repeat(20), created_time: 't0', last_modified_time: time, ...fields });

describe('three-way merge', () => {
  it('takes each side’s own changes', () => {
    const base = doc({ a: 1, b: 1, c: 1 }, '2026-01-01');
    const { merged, lost } = mergeDocuments(base, doc({ a: 2, b: 1, c: 1 }, '2026-01-02'), doc({ a: 1, b: 3, c: 1 }, '2026-01-03'));
    expect(merged).toMatchObject({ a: 2, b: 3, c: 1, last_modified_time: '2026-01-03' });
    expect(lost).toEqual([]);
  });

  it('agrees when both sides made the same change', () => {
    const base = doc({ a: [1] }, '1');
    const { merged, lost } = mergeDocuments(base, doc({ a: [1, 2] }, '2'), doc({ a: [1, 2] }, '3'));
    expect(merged.a).toEqual([1, 2]);
    expect(lost).toEqual([]);
  });

  it('keeps the later edit of a field both changed and reports the other', () => {
    const base = doc({ goal: 'x' }, '2026-01-01');
    const later = mergeDocuments(base, doc({ goal: 'mine' }, '2026-01-05'), doc({ goal: 'theirs' }, '2026-01-03'));
    expect(later.merged.goal).toBe('mine');
    expect(later.lost).toEqual([{ field: 'goal', mine: 'mine', theirs: 'theirs', kept: 'mine' }]);
    const earlier = mergeDocuments(base, doc({ goal: 'mine' }, '2026-01-02'), doc({ goal: 'theirs' }, '2026-01-03'));
    expect(earlier.merged.goal).toBe('theirs');
    expect(earlier.lost).toEqual([{ field: 'goal', mine: 'mine', theirs: 'theirs', kept: 'theirs' }]);
  });

  it('treats two independent creates as changes of every differing field', () => {
    const { merged, lost } = mergeDocuments(undefined, doc({ a: 1, b: 2 }, '5'), doc({ a: 1, b: 3, c: 4 }, '6'));
    expect(merged).toMatchObject({ a: 1, b: 3, c: 4 });
    expect(lost.map((l) => l.field).sort()).toEqual(['b', 'c']);
  });

  it('is deterministic whichever device resolves, and never drops a value', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b', null));
    const fields = fc.record({ f1: value, f2: value, f3: value });
    fc.assert(
      fc.property(fields, fields, fields, fc.constantFrom('1', '2', '3'), fc.constantFrom('1', '2', '3'), (b, m, t, tm, tt) => {
        const base = doc(b, '0');
        const mine = doc(m, tm);
        const theirs = doc(t, tt);
        const one = mergeDocuments(base, mine, theirs);
        const other = mergeDocuments(base, theirs, mine);
        expect(one.merged).toEqual(other.merged);
        for (const field of ['f1', 'f2', 'f3'] as const) {
          const final = one.merged[field];
          const kept = [final, ...one.lost.filter((l) => l.field === field).flatMap((l) => [l.mine, l.theirs])];
          // Every side's changed value is either merged or in the lost list.
          if (!Object.is(m[field], b[field]) && JSON.stringify(m[field]) !== JSON.stringify(b[field])) expect(kept).toContainEqual(m[field]);
          if (JSON.stringify(t[field]) !== JSON.stringify(b[field])) expect(kept).toContainEqual(t[field]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
