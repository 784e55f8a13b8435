const parse = (time: string) => new Date(`${time.slice(0, 23).replace(' ', 'T')}Z`);

/** A stored time in the user's own words and time zone. */
export function formatWhen(time: string): string {
  const date = parse(time);
  if (Number.isNaN(date.getTime())) return time;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDay(time: string): string {
  const date = parse(time);
  return Number.isNaN(date.getTime()) ? time : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
