// An XLSX workbook written on a worker thread (xlsx-worker.ts), with the same calls as one written here: at 100k rows
// the writer's XML and zip, and the garbage they make, would otherwise hold the main thread in collector pauses.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Cell } from './csv-file';
import type { XlsxFile } from './xlsx-file';

export type ToXlsxWorker = { op: 'sheet'; name: string; columns: string[] } | { op: 'rows'; rows: Cell[][] } | { op: 'finish' };
export type FromXlsxWorker = { op: 'done'; bytes: Uint8Array } | { op: 'error'; message: string };

/**
 * Where the worker's code is: beside the bundled main.js in the app (electron.vite.config.ts builds it as its own
 * entry, out/main/xlsx-worker.js), or the .ts source under tsx and vitest, whose loader a worker does not inherit.
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
    return { url: new URL('./xlsx-worker.ts', here), execArgv: ['--import', tsx] };
  }
  return { url: new URL('./xlsx-worker.js', here), execArgv: [] };
}

export function xlsxFileOffThread(): XlsxFile {
  const { url, execArgv } = workerEntry();
  const worker = new Worker(url, { execArgv, name: 'xlsx-writer' });
  const result = new Promise<Uint8Array>((resolve, reject) => {
    worker.on('message', (message: FromXlsxWorker) => {
      if (message.op === 'done') resolve(message.bytes);
      else reject(new Error(`the XLSX writer failed: ${message.message}`));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the XLSX writer stopped (exit code ${code})`)));
  });
  // Nothing else listens before bytes() is asked for: a failure is seen there, not as an unhandled rejection.
  result.catch(() => {});
  const send = (message: ToXlsxWorker) => worker.postMessage(message);
  return {
    sheet(name, columns) {
      send({ op: 'sheet', name, columns: [...columns] });
      return { add: (rows) => send({ op: 'rows', rows }) };
    },
    async bytes() {
      send({ op: 'finish' });
      try {
        return await result;
      } finally {
        await worker.terminate();
      }
    },
  };
}
