// Days as the counselor means them: the device's own calendar days, as the span of stored times (in microseconds,
// as parseTime reads them) they cover.

const pad = (n: number) => String(n).padStart(2, '0');

/** The time, in microseconds, at which a local calendar day starts; `shift` days later for the end of a period. */
export function startOfLocalDay(day: string, shift = 0): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + shift).getTime() * 1000;
}

/** A period of registration days, both ends included: from inclusive, to exclusive, in microseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

export function rangeOfDays(from: string | undefined, to: string | undefined): TimeRange {
  return {
    from: from === undefined ? -Infinity : startOfLocalDay(from),
    to: to === undefined ? Infinity : startOfLocalDay(to, 1),
  };
}

/** The first day of the month that `millis` falls in, on this device's calendar. */
export function monthStartOf(millis: number): string {
  const date = new Date(millis);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-01`;
}

/** The calendar day that `millis` falls in on this device, as YYYY-MM-DD (for file names). */
export function localDayOf(millis: number): string {
  const date = new Date(millis);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
