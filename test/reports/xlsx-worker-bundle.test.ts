// The app's XLSX writer thread as the app ships it: the build puts it beside main.js as xlsx-worker.js, main.js looks
// for it there, and the built worker writes a workbook that reads back (Electron itself cannot run here).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FromXlsxWorker, ToXlsxWorker } from '../../electron/reports/xlsx-thread';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('../../package.json'));
let outDir: string;

beforeAll(async () => {
  // Inside the project (ignored by git), so the bundle's bare imports resolve from its node_modules.
  mkdirSync(join(root, '.scratch'), { recursive: true });
  outDir = mkdtempSync(join(root, '.scratch', 'bundle-'));
  const pkg = require('electron-vite/package.json') as { bin: Record<string, string> };
  const cli = join(dirname(require.resolve('electron-vite/package.json')), pkg.bin['electron-vite'] as string);
  await promisify(execFile)(process.execPath, [cli, 'build', '--outDir', outDir, '--logLevel', 'error'], { cwd: root });
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test('main.js finds the XLSX writer beside it, and the built writer makes a workbook that reads back', async () => {
  const workerFile = join(outDir, 'main', 'xlsx-worker.js');
  expect(existsSync(workerFile)).toBe(true);
  expect(readFileSync(join(outDir, 'main', 'main.js'), 'utf8')).toContain('new URL("./xlsx-worker.js"');

  const worker = new Worker(workerFile);
  try {
    const done = new Promise<FromXlsxWorker>((resolve) => worker.once('message', resolve));
    const send = (message: ToXlsxWorker) => worker.postMessage(message);
    send({ op: 'sheet', name: 'Learners', columns: ['first_name', 'weekly_study_time', 'is_archived'] });
    send({ op: 'rows', rows: [['Ada', 12, false], ['=1+1', null, true]] });
    send({ op: 'finish' });
    const answer = await done;
    if (answer.op !== 'done') throw new Error(answer.message);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(answer.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Learners')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'first_name', 'weekly_study_time', 'is_archived']);
    expect(sheet.getRow(2).values).toEqual([undefined, 'Ada', 12, false]);
    expect(sheet.getCell('A3').value).toBe('=1+1');
  } finally {
    await worker.terminate();
  }
});
