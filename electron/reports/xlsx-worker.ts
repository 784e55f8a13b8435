// The worker thread that writes an XLSX workbook (xlsx-thread.ts starts it): the rows arrive a chunk at a time and
// are written as they come; the XML and the zip, and their garbage, stay off the main thread's heap and event loop.
import { parentPort } from 'node:worker_threads';
import { xlsxFile, type XlsxSheet } from './xlsx-file';
import type { ToXlsxWorker, FromXlsxWorker } from './xlsx-thread';

const port = parentPort!;
const book = xlsxFile();
let sheet: XlsxSheet | undefined;

const reply = (message: FromXlsxWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToXlsxWorker) => {
  try {
    if (message.op === 'sheet') sheet = book.sheet(message.name, message.columns);
    else if (message.op === 'rows') sheet!.add(message.rows);
    else {
      book.bytes().then(
        (bytes) => {
          // A copy the size of the file, so that its buffer can be handed over rather than copied again.
          const copy = new Uint8Array(bytes);
          reply({ op: 'done', bytes: copy }, [copy.buffer]);
        },
        (error: unknown) => reply({ op: 'error', message: String(error) }),
      );
    }
  } catch (error) {
    reply({ op: 'error', message: String(error) });
  }
});
