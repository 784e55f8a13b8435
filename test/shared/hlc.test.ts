import { describe, expect, it } from 'vitest';
import { HLC_PATTERN, HybridClock, hlcMillis, parseHlc } from '../../shared/hlc';

describe('hybrid logical clock', () => {
  it('orders its ticks as text, even when the wall clock stands still or goes back', () => {
    let wall = Date.parse('2026-03-01T10:00:00.000Z');
    const clock = new HybridClock('deviceA', () => wall);
    const times = [clock.tick(), clock.tick()];
    wall -= 60_000;
    times.push(clock.tick());
    wall += 120_000;
    times.push(clock.tick());
    expect([...times].sort()).toEqual(times);
    expect(new Set(times).size).toBe(4);
    for (const time of times) expect(time).toMatch(HLC_PATTERN);
    expect(parseHlc(times[1]!)).toEqual({ millis: Date.parse('2026-03-01T10:00:00.000Z'), counter: 1, node: 'deviceA' });
  });

  it('dates an edit after any time it has seen, from a faster clock too', () => {
    const slow = new HybridClock('slow', () => Date.parse('2026-03-01T10:00:00.000Z'));
    const fast = new HybridClock('fast', () => Date.parse('2026-03-01T10:04:00.000Z'));
    const seen = fast.tick();
    slow.observe(seen);
    const next = slow.tick();
    expect(next > seen).toBe(true);
    expect(hlcMillis(next)).toBe(hlcMillis(seen));
    slow.observe('garbage');
    expect(slow.tick() > next).toBe(true);
  });

  it('refuses a node id that would break the format', () => {
    expect(() => new HybridClock('has space')).toThrow();
  });
});
