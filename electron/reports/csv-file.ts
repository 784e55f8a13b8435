// A CSV file written a chunk of rows at a time (papaparse, as the list's CSV has always been written): a header row,
// CRLF line ends, a byte-order mark so spreadsheets read the file as UTF-8, and cells that a spreadsheet would run
// as a formula (starting with =, +, -, @, a tab or a carriage return) escaped.
import Papa from 'papaparse';

export type Cell = string | number | boolean | null;

const OPTIONS = { escapeFormulae: true, newline: '\r\n' } as const;

export interface CsvFile {
  add(rows: Cell[][]): void;
  bytes(): Uint8Array;
}

export function csvFile(columns: readonly string[]): CsvFile {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [encoder.encode(`\ufeff${Papa.unparse({ fields: [...columns], data: [] }, OPTIONS)}`)];
  return {
    add(rows) {
      if (rows.length === 0) return;
      parts.push(encoder.encode(`\r\n${Papa.unparse(rows.map((row) => row.map((cell) => cell ?? '')), OPTIONS)}`));
    },
    bytes() {
      return Buffer.concat(parts);
    },
  };
}
