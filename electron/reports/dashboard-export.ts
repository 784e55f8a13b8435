// The dashboard's tables as a file, in the words the dashboard shows: in XLSX a sheet for the filters and one per
// figure; in CSV one long table (figure, category, value) that a spreadsheet can pivot.
import type { DashboardFigures, TopValues } from '../../shared/dashboard';
import type { DashboardExportRequest } from '../../shared/desktop';
import {
  COMPLETE_PROFILE_TEXT,
  EMPLOYMENT_LABELS,
  FIGURE_TITLES,
  OTHER_VALUES_LABEL,
  PROFILE_STATE_LABELS,
  PROGRESS_STAGE_LABELS,
  STATUS_LABELS,
  STUDY_BIN_LABELS,
  TOTAL_LABELS,
} from '../../shared/report-labels';
import { currentMillis } from '../../shared/time';
import { csvFile, type Cell } from './csv-file';
import type { OutgoingFile } from './deliveries';
import { FILE_TYPES } from './learner-export';
import { localDayOf } from './period';
import { xlsxFileOffThread } from './xlsx-thread';

interface Table {
  name: string;
  columns: [string, string];
  rows: [string, Cell][];
}

const topRows = (values: TopValues): [string, Cell][] => [
  ...values.top.map(({ key, count }): [string, Cell] => [key, count]),
  ...(values.other_values > 0 ? [[OTHER_VALUES_LABEL(values.other_values), values.other_learners] as [string, Cell]] : []),
];

/** The filters first (what the figures cover), then each figure as the dashboard lists it. */
export function dashboardTables(figures: DashboardFigures): Table[] {
  const { query } = figures;
  const center = query.center === undefined ? 'All centers' : (figures.centers.find((c) => c.id === query.center)?.name ?? query.center);
  const counts = (name: string, rows: [string, Cell][]): Table => ({ name, columns: ['Category', 'Learners'], rows });
  return [
    {
      name: 'Filters',
      columns: ['Setting', 'Value'],
      rows: [
        ['Center', center],
        ['Registered from', query.from ?? ''],
        ['Registered to', query.to ?? ''],
        ['Learners', STATUS_LABELS[query.status]],
        ['Learners covered', figures.learners],
        ['With a profile', figures.with_profile],
        ['Complete profile', COMPLETE_PROFILE_TEXT],
        ['Computed at', figures.computed_time],
      ],
    },
    counts(FIGURE_TITLES.totals, (Object.keys(TOTAL_LABELS) as (keyof typeof TOTAL_LABELS)[]).map((key) => [TOTAL_LABELS[key], figures.totals[key]])),
    counts(FIGURE_TITLES.profiles, figures.profiles.map(({ key, count }) => [PROFILE_STATE_LABELS[key], count])),
    counts(FIGURE_TITLES.goals, topRows(figures.goals)),
    counts(FIGURE_TITLES.employment, figures.employment.map(({ key, count }) => [EMPLOYMENT_LABELS[key], count])),
    counts(FIGURE_TITLES.study_time, figures.study_time.map(({ key, count }) => [STUDY_BIN_LABELS[key], count])),
    counts(FIGURE_TITLES.careers, topRows(figures.careers)),
    counts(FIGURE_TITLES.progress, figures.progress.map(({ key, count }) => [PROGRESS_STAGE_LABELS[key], count])),
  ];
}

export async function exportDashboard(figures: DashboardFigures, format: DashboardExportRequest['format']): Promise<{ file: OutgoingFile; rows: number }> {
  const tables = dashboardTables(figures);
  const rows = tables.reduce((sum, table) => sum + table.rows.length, 0);
  let bytes: Uint8Array;
  if (format === 'csv') {
    const csv = csvFile(['figure', 'category', 'value']);
    for (const table of tables) csv.add(table.rows.map(([category, value]) => [table.name, category, value]));
    bytes = await csv.bytes();
  } else {
    const book = xlsxFileOffThread();
    for (const table of tables) book.sheet(table.name, table.columns).add(table.rows);
    bytes = await book.bytes();
  }
  return { file: { name: `dashboard-${localDayOf(currentMillis())}.${format}`, type: FILE_TYPES[format], bytes }, rows };
}
