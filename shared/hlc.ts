// Hybrid logical clock times for per-field edit times (../spec/sync.md "Conflicts"): the wall clock in
// milliseconds, a counter for edits within one millisecond or made while the wall clock lags behind a time already
// seen, and the node (device replica or server) that made the edit. As text of fixed-width parts, so string order
// is time order, and ties between nodes are broken by the node id.
//
//   2026-11-29T23:59:00.123Z-0000-Tp894zi9Xq1LmN0bB2c4
import { currentMillis } from './time';

export const HLC_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-z]{4}-[A-Za-z0-9._-]{1,64}$/;
export const NODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_COUNTER = 36 ** 4 - 1;

export interface HlcParts {
  millis: number;
  counter: number;
  node: string;
}

export function formatHlc({ millis, counter, node }: HlcParts): string {
  return `${new Date(millis).toISOString()}-${counter.toString(36).padStart(4, '0')}-${node}`;
}

export function parseHlc(time: string): HlcParts {
  return { millis: Date.parse(time.slice(0, 24)), counter: Number.parseInt(time.slice(25, 29), 36), node: time.slice(30) };
}

/** The wall-clock milliseconds of an edit time. */
export const hlcMillis = (time: string): number => Date.parse(time.slice(0, 24));

export const laterHlc = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined ? b : b === undefined || a >= b ? a : b);

/**
 * One node's clock. Each `tick` is later than every earlier tick and every time `observe`d, whatever the wall clock
 * does: a device that saw an edit made on a faster clock dates its own next edit after it.
 */
export class HybridClock {
  readonly node: string;
  #millis = 0;
  #counter = 0;
  readonly #wall: () => number;

  constructor(node: string, wall: () => number = currentMillis) {
    if (!NODE_PATTERN.test(node)) throw new Error(`an edit clock's node id is 1 to 64 letters, digits, dots, dashes or underscores`);
    this.node = node;
    this.#wall = wall;
  }

  /** A new time; `node` names another editor sharing this clock (the server's API tokens). */
  tick(node: string = this.node): string {
    if (node !== this.node && !NODE_PATTERN.test(node)) throw new Error('an edit time names its node by letters, digits, dots, dashes or underscores');
    const wall = this.#wall();
    if (wall > this.#millis) {
      this.#millis = wall;
      this.#counter = 0;
    } else if (this.#counter < MAX_COUNTER) {
      this.#counter++;
    } else {
      // A thousand-odd thousand edits in one millisecond: borrow the next one.
      this.#millis++;
      this.#counter = 0;
    }
    return formatHlc({ millis: this.#millis, counter: this.#counter, node });
  }

  /** Another node's time was seen: later ticks come after it. */
  observe(time: string | undefined): void {
    if (time === undefined || !HLC_PATTERN.test(time)) return;
    const { millis, counter } = parseHlc(time);
    if (millis > this.#millis || (millis === this.#millis && counter > this.#counter)) {
      this.#millis = millis;
      this.#counter = counter;
    }
  }

  /** The latest time this clock has issued or seen (to keep across restarts). */
  get high(): string {
    return formatHlc({ millis: this.#millis, counter: this.#counter, node: this.node });
  }
}
