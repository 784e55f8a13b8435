// Times are UTC strings `YYYY-MM-DD HH:MM:SS.ffffff+00:00`. Fixed width, so string order is time order.

export const TIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatTime(micros: number): string {
  const d = new Date(Math.floor(micros / 1000));
  const fraction = pad(micros % 1_000_000, 6);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${fraction}+00:00`
  );
}

export function parseTime(time: string): number {
  const ms = Date.parse(`${time.slice(0, 19).replace(' ', 'T')}Z`);
  return ms * 1000 + Number(time.slice(20, 26));
}

/**
 * This host's clock: the system clock, corrected by what the host learned of the central server's clock. A device
 * whose clock is days off still dates its edits by the server's time once it has met the server (the sync engine
 * sets the correction), so a wrong clock neither wins every merge nor has its edits refused.
 */
let systemClock: () => number = () => Date.now();
let lastMicros = 0;
let correctionMs = 0;

export const currentMillis = (): number => systemClock() + correctionMs;
export const clockCorrection = (): number => correctionMs;
export function setClockCorrection(ms: number): void {
  correctionMs = Math.round(ms);
  // A clock set back (it was ahead) dates the next writes by the corrected time, not after the wrong ones.
  lastMicros = Math.min(lastMicros, currentMillis() * 1000);
}
/** Only to simulate a device with a wrong clock (tests, demonstrations). */
export function setSystemClock(clock: () => number): void {
  systemClock = clock;
}

/** The current time; never the same value twice in one process, so writes stay ordered. */
export function now(): string {
  lastMicros = Math.max(currentMillis() * 1000, lastMicros + 1);
  return formatTime(lastMicros);
}

/** A time strictly later than `previous`, even when this machine's clock is behind the one that wrote it. */
export function laterThan(previous: string | undefined): string {
  const current = now();
  if (previous === undefined || current > previous) return current;
  return formatTime(parseTime(previous) + 1);
}
