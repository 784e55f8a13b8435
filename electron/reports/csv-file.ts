// A CSV file written a chunk of rows at a time (papaparse, as the list's CSV has always been written): a header row,
// CRLF line ends, a byte-order mark so spreadsheets read the file as UTF-8, and cells that a spreadsheet would run
// as a formula (starting with =, +, -, @, a tab or a carriage return) escaped.
import Papa from 'papaparse';

export type Cell = string | number | boolean | null;

const OPTIONS = { escapeFormulae: true, newline: '\r\n' } as const;

export interface CsvFile {
  add(rows: Cell[][]): void;
  /** The whole file, once: the parts are let go once it is made, so a second call throws rather than return less. */
  bytes(): Promise<Uint8Array>;
}

/** Bytes copied into the file per turn of the event loop: copying 25 MB at once would hold it for about 100 ms. */
const COPY_STEP = 2 * 1024 * 1024;

export function csvFile(columns: readonly string[]): CsvFile {
  const encoder = new TextEncoder();
  // The header as a row of its own: papaparse ends a header without data rows with a line break, which the first
  // chunk's leading one would turn into an empty row.
  const parts: Uint8Array[] = [encoder.encode(`\ufeff${Papa.unparse([[...columns]], OPTIONS)}`)];
  let done = false;
  return {
    add(rows) {
      if (done) throw new Error('csvFile: rows added after the file was made');
      if (rows.length === 0) return;
      parts.push(encoder.encode(`\r\n${Papa.unparse(rows.map((row) => row.map((cell) => cell ?? '')), OPTIONS)}`));
    },
    async bytes() {
      if (done) throw new Error('csvFile: the file was already made');
      done = true;
      const file = Buffer.allocUnsafe(parts.reduce((sum, part) => sum + part.byteLength, 0));
      let offset = 0;
      let sinceYield = 0;
      for (const part of parts) {
        file.set(part, offset);
        offset += part.byteLength;
        sinceYield += part.byteLength;
        if (sinceYield >= COPY_STEP) {
          sinceYield = 0;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      parts.length = 0;
      return file;
    },
  };
}
