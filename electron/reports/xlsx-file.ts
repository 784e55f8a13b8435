// An XLSX workbook written a chunk of rows at a time, with ExcelJS's streaming writer: rows go to the zip stream as
// they come, so a 100k-row list never sits in memory as a whole workbook, and the caller yields between chunks.
// Text stays text: cells are written as strings, never as formulas.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell } from './csv-file';

export interface XlsxSheet {
  add(rows: Cell[][]): void;
}

export interface XlsxFile {
  sheet(name: string, columns: readonly string[]): XlsxSheet;
  bytes(): Promise<Uint8Array>;
}

export function xlsxFile(): XlsxFile {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  // Shared strings would keep every distinct text in memory until the end; inline strings stream.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  let current: ExcelJS.Worksheet | undefined;
  return {
    sheet(name, columns) {
      current?.commit();
      const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = columns.map((header) => ({ header, key: header, width: Math.min(60, Math.max(12, header.length + 2)) }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      current = sheet;
      return {
        add(rows) {
          for (const row of rows) sheet.addRow(row.map((cell) => cell ?? null)).commit();
        },
      };
    },
    async bytes() {
      current?.commit();
      await workbook.commit();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}
