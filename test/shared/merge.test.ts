import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeByFieldTime, type SyncedDoc } from '../../shared/merge';

// Edit times as the hybrid clock writes them: minute m, counter 0, node A or B.
const at = (minute: number, node = 'A') => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z-0000-${node}`;
const by = { A: 'Laptop A', B: 'Laptop B' };

function doc(fields: Record<string, unknown>, times: Record<string, string>, lmt = '2026-01-01 00:00:00.000000+00:00'): SyncedDoc {
  return { uuid: 'U'.repeat(20), created_time: 't0', last_modified_time: lmt, ...fields, sync: { times, by } };
}

describe('merge by field edit time', () => {
  it('takes each side’s own edits', () => {
    const base = doc({ a: 1, b: 1 }, { a: at(0), b: at(0) });
    const { merged, lost } = mergeByFieldTime(base, doc({ a: 2, b: 1 }, { a: at(5, 'A'), b: at(0) }), doc({ a: 1, b: 3 }, { a: at(0), b: at(6, 'B') }));
    expect(merged).toMatchObject({ a: 2, b: 3 });
    expect(merged.sync.times).toEqual({ a: at(5, 'A'), b: at(6, 'B') });
    expect(lost).toEqual([]);
  });

  it('keeps the later edit of each field, not of the record', () => {
    // B changed the city after A did; A changed the postal code later still: B's city stays, and A's city is reported.
    const base = doc({ city: 'Lyon', postal_code: '69001' }, { city: at(0), postal_code: at(0) });
    const a = doc({ city: 'Paris', postal_code: '75001' }, { city: at(10, 'A'), postal_code: at(30, 'A') }, '2026-01-01 00:30:00.000000+00:00');
    const b = doc({ city: 'Nice', postal_code: '69001' }, { city: at(20, 'B'), postal_code: at(0) }, '2026-01-01 00:20:00.000000+00:00');
    for (const [mine, theirs] of [[a, b], [b, a]] as const) {
      const { merged, lost } = mergeByFieldTime(base, mine, theirs);
      expect(merged).toMatchObject({ city: 'Nice', postal_code: '75001', last_modified_time: '2026-01-01 00:30:00.000000+00:00' });
      expect(lost).toEqual([
        expect.objectContaining({ field: 'city', kind: 'field', lost: 'Paris', kept: 'Nice', lostTime: at(10, 'A'), keptTime: at(20, 'B'), lostDevice: 'Laptop A', keptDevice: 'Laptop B' }),
      ]);
    }
  });

  it('reports nothing for a value the other side saw and replaced', () => {
    const base = doc({ city: 'Paris' }, { city: at(10, 'A') });
    const { merged, lost } = mergeByFieldTime(base, doc({ city: 'Paris', note: 'x' }, { city: at(10, 'A'), note: at(12, 'A') }), doc({ city: 'Nice' }, { city: at(20, 'B') }));
    expect(merged).toMatchObject({ city: 'Nice', note: 'x' });
    expect(lost).toEqual([]);
  });

  it('keeps a deletion against an edit made without seeing it, and reports the edit', () => {
    const base = doc({ city: 'Lyon', is_deleted: false }, { city: at(0), is_deleted: at(0) });
    const deleted = doc({ city: 'Lyon', is_deleted: true }, { city: at(0), is_deleted: at(5, 'A') });
    const edited = doc({ city: 'Nice', is_deleted: false }, { city: at(9, 'B'), is_deleted: at(0) });
    for (const [mine, theirs] of [[deleted, edited], [edited, deleted]] as const) {
      const { merged, lost } = mergeByFieldTime(base, mine, theirs);
      expect(merged.is_deleted).toBe(true);
      expect(lost).toEqual([expect.objectContaining({ field: 'city', kind: 'deleted', lost: 'Nice', lostDevice: 'Laptop B', keptDevice: 'Laptop A' })]);
    }
  });

  it('lets a stale copy of a record lose to every newer edit of it', () => {
    // An older state of the server's own document, delivered late, must not undo what came after it.
    const stale = doc({ city: 'Paris', is_deleted: false }, { city: at(10, 'A'), is_deleted: at(0) });
    const current = doc({ city: 'Paris', is_deleted: true }, { city: at(10, 'A'), is_deleted: at(11, 'A') });
    expect(mergeByFieldTime(current, stale, current)).toMatchObject({ merged: { is_deleted: true }, lost: [] });
    expect(mergeByFieldTime(current, current, stale)).toMatchObject({ merged: { is_deleted: true }, lost: [] });
  });

  it('clears a field when the clearing edit is the later one', () => {
    const { merged } = mergeByFieldTime(undefined, doc({ city: 'Lyon' }, { city: at(1) }), doc({}, { city: at(2, 'B') }));
    expect('city' in merged).toBe(false);
    expect(merged.sync.times.city).toBe(at(2, 'B'));
  });

  it('is the same whichever side merges, and never drops an edit', () => {
    const value = fc.constantFrom(0, 1, 2, 'x', null, undefined);
    const minute = fc.integer({ min: 1, max: 4 });
    const side = (node: string) => fc.record({ f1: value, f2: value, is_deleted: fc.boolean(), t1: minute, t2: minute, td: minute }).map((s) => ({ ...s, node }));
    fc.assert(
      fc.property(side('A'), side('B'), (m, t) => {
        const base = doc({ f1: 0, f2: 0, is_deleted: false }, { f1: at(0), f2: at(0), is_deleted: at(0) });
        const build = (s: typeof m) =>
          doc({ f1: s.f1, f2: s.f2, is_deleted: s.is_deleted }, { f1: at(s.t1, s.node), f2: at(s.t2, s.node), is_deleted: at(s.td, s.node) });
        const mine = build(m);
        const theirs = build(t);
        const one = mergeByFieldTime(base, mine, theirs);
        const other = mergeByFieldTime(base, theirs, mine);
        const { created_time: _a, ...oneFields } = one.merged;
        const { created_time: _b, ...otherFields } = other.merged;
        expect(oneFields).toEqual(otherFields);
        for (const field of ['f1', 'f2'] as const) {
          for (const [s, d] of [[m, mine], [t, theirs]] as const) {
            const survives = JSON.stringify(one.merged[field]) === JSON.stringify(d[field]) || one.lost.some((l) => l.field === field && JSON.stringify(l.lost) === JSON.stringify(d[field]));
            // Every edit of each side is in the merged document or reported (unless the record stays deleted
            // and the edit was the deleting side's own).
            if (!(one.merged.is_deleted === true && d.is_deleted === true && s.is_deleted)) expect(survives, `${field} of ${s.node}`).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
