// Exports made in the screens: every page of a list (the JSON exports). CSV and XLSX are written by the main process.
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
