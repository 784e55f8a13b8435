// Reports through the browser preview's bridge, as the screens make them: the filtered learner list and the
// dashboard's tables as CSV and XLSX, fetched by their one-time download links and parsed back; formulas neutralised
// in CSV and kept as plain text in XLSX; progress reported chunk by chunk for a large list; the printable profile's data.
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardFigures } from '../../shared/dashboard';
import type { ChangeEvent, ReportFile } from '../../shared/desktop';
import type { Result } from '../../shared/result';
import { LOCKED_MESSAGE } from '../../electron/lock/app-lock';
import { bridgeHost } from '../support/bridge-host';
import { TEST_PASSPHRASE } from '../support/preview-client';
import { MONEY, NEW, restoreClock, seedKnownLearners } from './known-learners';

type Host = Awaited<ReturnType<typeof bridgeHost>>;
let host: Host;
const events: ChangeEvent[] = [];

async function exported(id: 'report.exportLearners' | 'report.exportDashboard', request: unknown) {
  const result = await host.call(id, request);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  const file = result.body.data as ReportFile;
  expect(file.delivery.kind).toBe('download');
  const response = await fetch(`${host.baseUrl}${(file.delivery as { url: string }).url}`, { headers: { cookie: host.cookie } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${file.file_name}"`);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.byteLength).toBe(file.bytes);
  return { file, bytes, url: (file.delivery as { url: string }).url };
}

const csvRecords = (bytes: Buffer) => {
  const text = bytes.toString('utf8');
  // The byte-order mark that tells spreadsheets the file is UTF-8.
  expect(text.charCodeAt(0)).toBe(0xfeff);
  // No line is skipped: an empty line would be an empty row in a spreadsheet.
  const parsed = Papa.parse<string[]>(text.slice(1));
  expect(parsed.errors).toEqual([]);
  return parsed.data;
};

async function xlsxSheets(bytes: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book.worksheets.map((sheet) => ({
    name: sheet.name,
    // Rows and cells come back as sparse arrays, from 1: holes are empty cells.
    rows: sheet.getSheetValues().slice(1).map((row) => Array.from((row as ExcelJS.CellValue[]).slice(1), (cell) => cell ?? null)),
    cells: sheet,
  }));
}

beforeAll(async () => {
  host = await bridgeHost();
  host.services.changes.subscribe((batch) => events.push(...batch));
  await seedKnownLearners(host.call);
});
afterAll(async () => {
  await host?.close();
  restoreClock();
});

describe('the learner list as a file', () => {
  const query = { goal: MONEY, fetch_archive: false, sort_by: 'first_name', sort_order: 'ascending' };

  it('writes the filtered list to CSV with the profile columns', async () => {
    const { file, bytes, url } = await exported('report.exportLearners', { format: 'csv', query });
    // Named by the device's day (noon UTC on the 15th: the 15th or, far east, the 16th).
    expect(file.file_name).toMatch(/^learners-2031-06-1[56]\.csv$/);
    expect(file.rows).toBe(3);
    const [header, ...rows] = csvRecords(bytes);
    expect(header).toEqual([
      'uuid', 'first_name', 'last_name', 'preferred_name', 'email_address', 'mobile_phone', 'home_phone', 'birth_date', 'city', 'postal_code',
      'student_identifier', 'is_archived', 'created_time', 'learning_goals', 'weekly_study_time', 'employment_status', 'potential_career_fields', 'profile', 'progress',
    ]);
    const pick = (row: string[]) => [row[1], row[4], row[11], row[13], row[14], row[15], row[16], row[17], row[18]];
    expect(rows.map(pick)).toEqual([
      ['Ana', 'ana.k@example.org', 'false', `${MONEY}; ${NEW}`, '0', 'Full-time', 'Healthcare', 'incomplete', 'none'],
      ['Ben', 'ben.k@example.org', 'false', MONEY, '3', 'Part-time', 'Healthcare; Legal', 'complete', 'not_started'],
      ['Cleo', 'cleo.k@example.org', 'false', MONEY, '5', 'Seeking work', 'Legal', 'complete', 'in_progress'],
    ]);
    // The link worked once.
    expect((await fetch(`${host.baseUrl}${url}`, { headers: { cookie: host.cookie } })).status).toBe(404);
    // Without this launch's key (another local process), no link answers.
    expect((await fetch(`${host.baseUrl}${url}`)).status).toBe(401);
  });

  it('refuses reports and their links while the app is locked, and forgets the files waiting', async () => {
    const made = await host.call('report.exportLearners', { format: 'csv', query });
    const { url } = (made.body.data as ReportFile).delivery as { url: string };
    expect((await host.call('app.lock')).status).toBe(200);
    const locked = { status: 403, body: { success: false, message: LOCKED_MESSAGE, data: null } };
    expect(await host.call('report.exportLearners', { format: 'csv', query })).toEqual(locked);
    expect(await host.call('dashboard.figures', {})).toEqual(locked);
    const refused = await fetch(`${host.baseUrl}${url}`, { headers: { cookie: host.cookie } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual(locked);
    expect((await host.call('app.unlock', { passphrase: TEST_PASSPHRASE })).status).toBe(200);
    expect((await fetch(`${host.baseUrl}${url}`, { headers: { cookie: host.cookie } })).status).toBe(404);
  });

  it('writes the same rows to XLSX, numbers and booleans as such', async () => {
    const csv = csvRecords((await exported('report.exportLearners', { format: 'csv', query })).bytes);
    const { file, bytes } = await exported('report.exportLearners', { format: 'xlsx', query });
    expect(file.file_name).toMatch(/^learners-2031-06-1[56]\.xlsx$/);
    const [sheet] = await xlsxSheets(bytes);
    expect(sheet!.name).toBe('Learners');
    expect(sheet!.rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell))))).toEqual(csv);
    expect(sheet!.rows[1]![11]).toBe(false);
    expect(sheet!.rows[2]![14]).toBe(3);
  });

  it('neutralises formulas in CSV and keeps them as plain text in XLSX', async () => {
    const created = await host.call('learner.create', { first_name: '=HYPERLINK("http://x")', last_name: '+SUM(A1)', email_address: 'formula.k@example.org', city: '@cmd' });
    const uuid = (created.body.data as { uuid: string }).uuid;
    await host.call('learnerProfile.create', uuid, { learning_goals: ['-2+3'] });
    const only = { text: 'formula.k' };
    const [, row] = csvRecords((await exported('report.exportLearners', { format: 'csv', query: only })).bytes);
    expect([row![1], row![2], row![8], row![13]]).toEqual([`'=HYPERLINK("http://x")`, `'+SUM(A1)`, `'@cmd`, `'-2+3`]);
    const [sheet] = await xlsxSheets((await exported('report.exportLearners', { format: 'xlsx', query: only })).bytes);
    const cell = sheet!.cells.getCell('B2');
    expect(cell.value).toBe('=HYPERLINK("http://x")');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.formula).toBeUndefined();
    await host.call('learner.delete', uuid);
  });

  it('reports its progress chunk by chunk for a large list, and writes every row', async () => {
    const records = Array.from({ length: 1200 }, (_, i) => ({ first_name: `Bulk${i}`, last_name: 'Import', email_address: `bulk${i}.k@example.org` }));
    expect((await host.call('learner.import', records)).status).toBe(200);
    events.length = 0;
    const { file, bytes } = await exported('report.exportLearners', { format: 'csv', query: { text: 'bulk' } });
    expect(file.rows).toBe(1200);
    expect(csvRecords(bytes)).toHaveLength(1201);
    // The feed sends the latest report of each 50 ms batch: at least the start and the end arrive, in order.
    await new Promise((resolve) => setTimeout(resolve, 120));
    const progress = events.flatMap((event) => (event.progress?.operation === 'report.exportLearners' ? [event.progress] : []));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.total === 1200 && p.phase === 'writing')).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)!.done).toBe(1200);
  });

  it('refuses a request it cannot read', async () => {
    for (const request of [{ format: 'pdf', query: {} }, { format: 'csv', query: { study: '99' } }, { query: {} }, { format: 'csv', query: {}, extra: 1 }]) {
      const result = await host.call('report.exportLearners', request);
      expect(result.status, JSON.stringify(request)).toBe(422);
    }
  });
});

describe("the dashboard's tables as a file", () => {
  it('writes the figures as the dashboard shows them, to CSV and to XLSX', async () => {
    const figures = (await host.call('dashboard.figures', { to: '2031-03-11' })).body.data as DashboardFigures;
    const { file, bytes } = await exported('report.exportDashboard', { format: 'csv', query: { to: '2031-03-11' } });
    expect(file.file_name).toMatch(/^dashboard-2031-06-1[56]\.csv$/);
    const [header, ...rows] = csvRecords(bytes);
    expect(header).toEqual(['figure', 'category', 'value']);
    const value = (figure: string, category: string) => rows.find((row) => row[0] === figure && row[1] === category)?.[2];
    expect(value('Filters', 'Center')).toBe('All centers');
    expect(value('Filters', 'Registered to')).toBe('2031-03-11');
    expect(value('Filters', 'Learners')).toBe('Active');
    expect(value('Learners', 'Active')).toBe(String(figures.totals.active));
    expect(value('Learners', 'Active')).toBe('3');
    expect(value('Learning goals', MONEY)).toBe('3');
    expect(value('Learning goals', NEW)).toBe('1');
    expect(value('Weekly study time', '1–5 h')).toBe('2');
    expect(value('Weekly study time', '26–30 h')).toBe('0');
    expect(value('Employment status', 'Not given')).toBe('0');
    expect(value('Profiles', 'No profile')).toBe('0');
    expect(value('Progress', 'Not started')).toBe('1');
    expect(file.rows).toBe(rows.length);

    const sheets = await xlsxSheets((await exported('report.exportDashboard', { format: 'xlsx', query: { to: '2031-03-11' } })).bytes);
    expect(sheets.map((sheet) => sheet.name)).toEqual(['Filters', 'Learners', 'Profiles', 'Learning goals', 'Employment status', 'Weekly study time', 'Top career fields', 'Progress']);
    const study = sheets.find((sheet) => sheet.name === 'Weekly study time')!;
    expect(study.rows[0]).toEqual(['Category', 'Learners']);
    expect(study.rows.slice(1)).toEqual(figures.study_time.map(({ count }, i) => [['0 h', '1–5 h', '6–10 h', '11–15 h', '16–20 h', '21–25 h', '26–30 h', 'Not given'][i], count]));
  });
});

describe('the printable profile', () => {
  it("holds the learner's details and profile and nothing internal", async () => {
    const ids = (await host.call('learner.browse', { text: 'ben.k' })).body.data as { records: { uuid: string }[] };
    const result: Result = await host.call('report.profileSheet', ids.records[0]!.uuid);
    expect(result.status).toBe(200);
    const sheet = result.body.data as Record<string, unknown>;
    expect(sheet).toMatchObject({
      center_name: null,
      can_save_pdf: false,
      learner: { first_name: 'Ben', last_name: 'Known', email_address: 'ben.k@example.org', is_archived: false },
      profile: { learning_goals: { items: [MONEY], more: 0 }, weekly_study_time: 3, employment_status: 'Part-time', complete: true },
    });
    const text = JSON.stringify(sheet);
    for (const internal of ['uuid', 'is_deleted', 'sync', 'access_code', 'learner_id']) expect(text).not.toContain(`"${internal}"`);
    expect(await host.call('report.profileSheet', 'A'.repeat(20))).toMatchObject({ status: 404 });
    expect(await host.call('report.profileSheet', 'not an id')).toMatchObject({ status: 422 });
  });

  it('says where a PDF cannot be made here (the preview prints instead)', async () => {
    const ids = (await host.call('learner.browse', { text: 'ben.k' })).body.data as { records: { uuid: string }[] };
    expect(await host.call('report.profilePdf', ids.records[0]!.uuid)).toMatchObject({ status: 501, body: { success: false, data: null } });
  });
});
