// Reading the times the app stores and answers, for the screens to format in their language (i18n/translator.ts).

/** A stored time ("2024-05-01 10:42:00.000000+00:00", UTC) or an ISO instant; null when it is neither. */
export function parseTime(time: string): Date | null {
  const stored = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(time);
  const date = stored ? new Date(`${time.slice(0, 23).replace(' ', 'T')}Z`) : new Date(time);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A calendar day (YYYY-MM-DD) as midnight UTC, so that formatting it in UTC gives the same day everywhere. */
export function parseDay(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
