// Days as the counselor means them: the device's own calendar days, turned into the stored times (UTC) they span.
import { formatTime } from '../../shared/time';

const pad = (n: number) => String(n).padStart(2, '0');

/** The stored time at which a local calendar day starts; `shift` days later for the end of a period. */
export function startOfLocalDay(day: string, shift = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return formatTime(new Date(year, month - 1, date + shift).getTime() * 1000);
}

/** A period of registration days, both ends included, as stored times: from inclusive, to exclusive. */
export interface TimeRange {
  from?: string;
  to?: string;
}

export function rangeOfDays(from: string | undefined, to: string | undefined): TimeRange {
  return {
    ...(from === undefined ? {} : { from: startOfLocalDay(from) }),
    ...(to === undefined ? {} : { to: startOfLocalDay(to, 1) }),
  };
}

export const inRange = (time: string, range: TimeRange) =>
  (range.from === undefined || time >= range.from) && (range.to === undefined || time < range.to);

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
