// Exports: every page of a list, and the learner list as CSV for spreadsheets.
import Papa from 'papaparse';
import type { Learner } from '../../../shared/schemas/learner';
import type { ListPage } from './queries';

const PAGE = 500;

/** Every record of a paged list, reporting how many of how many are in. */
export async function allPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<ListPage<T>>,
  onProgress: (done: number, total: number) => void,
): Promise<T[]> {
  const records: T[] = [];
  for (;;) {
    const page = await fetchPage(records.length, PAGE);
    records.push(...page.records);
    onProgress(records.length, page.total_count);
    if (page.records.length < PAGE || records.length >= page.total_count) return records;
  }
}

const CSV_COLUMNS: [string, (learner: Learner) => unknown][] = [
  ['uuid', (l) => l.uuid],
  ['first_name', (l) => l.first_name],
  ['last_name', (l) => l.last_name],
  ['preferred_name', (l) => l.preferred_name],
  ['email_address', (l) => l.email_address],
  ['mobile_phone', (l) => l.phone_number?.mobile?.phone_number],
  ['home_phone', (l) => l.phone_number?.telephone?.phone_number],
  ['birth_date', (l) => l.birth_date],
  ['city', (l) => l.city],
  ['postal_code', (l) => l.postal_code],
  ['student_identifier', (l) => l.student_identifier],
  ['is_archived', (l) => l.is_archived],
  ['created_time', (l) => l.created_time],
];

/** The learner list as CSV; cells that a spreadsheet would run as a formula are escaped. */
export function learnersCsv(learners: Learner[]): string {
  return Papa.unparse(
    { fields: CSV_COLUMNS.map(([name]) => name), data: learners.map((learner) => CSV_COLUMNS.map(([, value]) => value(learner) ?? '')) },
    { escapeFormulae: true },
  );
}
