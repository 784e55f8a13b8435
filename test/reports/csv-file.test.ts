// The CSV writer on its own: a file of many chunks, larger than one copy step, comes out byte for byte as papaparse
// writes the whole table at once, and the event loop gets turns while the file is put together.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvFile, type Cell } from '../../electron/reports/csv-file';

const COLUMNS = ['id', 'name', 'note', 'hours', 'active'];
const row = (i: number): Cell[] => [`id-${i}`, `Name ${i}, "quoted"`, i % 7 === 0 ? '=SUM(A1)' : `note ${'x'.repeat(i % 90)}`, i % 31, i % 2 === 0];

describe('a CSV file made a chunk at a time', () => {
  it('is the whole table as one papaparse call writes it, across several copy steps, and lets the loop run meanwhile', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => row(i));
    const file = csvFile(COLUMNS);
    for (let i = 0; i < rows.length; i += 100) file.add(rows.slice(i, i + 100));
    file.add([]);

    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const bytes = await file.bytes();
    clearInterval(ticker);

    const expected = `\ufeff${Papa.unparse({ fields: COLUMNS, data: rows }, { escapeFormulae: true, newline: '\r\n' })}`;
    // More than two copy steps of 2 MB, so that the copy is spread over turns of the loop.
    expect(bytes.byteLength).toBeGreaterThan(5 * 1024 * 1024);
    expect(Buffer.from(bytes).equals(Buffer.from(expected, 'utf8'))).toBe(true);
    expect(turns).toBeGreaterThan(0);
  });

  it('is made once: adding rows or asking again afterwards fails loudly', async () => {
    const file = csvFile(COLUMNS);
    file.add([row(1)]);
    await file.bytes();
    await expect(file.bytes()).rejects.toThrow(/already made/);
    expect(() => file.add([row(2)])).toThrow(/after the file was made/);
  });
});
