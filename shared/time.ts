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

let lastMicros = 0;

/** The current time; never the same value twice in one process, so writes stay ordered. */
export function now(): string {
  lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
  return formatTime(lastMicros);
}

/** A time strictly later than `previous`, even when this machine's clock is behind the one that wrote it. */
export function laterThan(previous: string | undefined): string {
  const current = now();
  if (previous === undefined || current > previous) return current;
  return formatTime(parseTime(previous) + 1);
}
