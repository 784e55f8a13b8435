/**
 * Child process for the crash test: writes to the SQLite storage in a tight
 * loop until it is killed. Before each bulkWrite it prints the intent, after the
 * promise resolves it prints the acknowledgement; stdout to a pipe is
 * synchronous, so a printed ack is never lost to the kill.
 *
 * Usage: node --import tsx crash-writer.ts <directory> <round> <plaintext|encrypted>
 * It loads, then waits for a line on stdin before it opens the database, so the
 * test can start the next writer while it still checks the last one.
 * Documents are deterministic: a document at revision height h has age h % 150
 * and name `${id}#${h}`, so a torn or mixed write would be visible. Every other
 * bulk is a write across collections that also puts the same documents in a
 * second collection, `mirror`, at their own revisions there.
 */
import { bulkWriteAcrossCollections, getRxStorageSqliteNode } from '../../electron/storage';
import { filledLearnerSchema, newDocument, openInstance, TEST_KEY } from './storage-fixtures';
import type { Learner } from './storage-fixtures';
import type { RxDocumentData } from 'rxdb';

const [directory, round, mode] = process.argv.slice(2);
if (!directory || !round) throw new Error('usage: crash-writer.ts <directory> <round> <plaintext|encrypted>');
const encryptionKey = mode === 'encrypted' ? TEST_KEY : undefined;

const say = (message: object): void => {
  process.stdout.write(JSON.stringify(message) + '\n');
};

await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const storage = getRxStorageSqliteNode({ directory, encryptionKey });
const instance = await openInstance<Learner>(storage, 'crash', filledLearnerSchema);
const mirror = await openInstance<Learner>(storage, 'crash', filledLearnerSchema, 'mirror');
say({ ready: true });

/** Documents written by plain bulkWrites, and those always written to both collections, each updated the same way. */
const plain: string[] = [];
const mirrored: string[] = [];
let next = 0;
for (let bulk = 0; ; bulk++) {
  const across = bulk % 2 === 1;
  const mine = across ? mirrored : plain;
  const size = 1 + Math.floor(Math.random() * 12);
  const updates = Math.min(mine.length, Math.floor(Math.random() * size));
  const updateIds = new Set<string>();
  while (updateIds.size < updates) updateIds.add(mine[Math.floor(Math.random() * mine.length)] as string);
  const current = new Map((await instance.findDocumentsById([...updateIds], true)).map((doc) => [doc.id, doc]));

  const rows: { previous?: RxDocumentData<Learner>; document: RxDocumentData<Learner> }[] = [];
  for (const id of updateIds) {
    const previous = current.get(id) as RxDocumentData<Learner>;
    const height = Number(previous._rev.split('-')[0]) + 1;
    rows.push({ previous, document: newDocument({ id, name: `${id}#${height}`, age: height % 150, archived: height % 2 === 0 }, previous) });
  }
  while (rows.length < size) {
    const id = `r${round}-${across ? 'm' : ''}${next++}`;
    rows.push({ document: newDocument({ id, name: `${id}#1`, age: 1, archived: false }) });
  }

  const intent = rows.map((row) => [row.document.id, Number(row.document._rev.split('-')[0])]);
  say({ intent, bulk });
  // Every other bulk also writes a copy of its rows to a second collection, in the same transaction.
  if (!across) {
    const result = await instance.bulkWrite(rows, 'crash-writer');
    if (result.error.length > 0) throw new Error(`unexpected write errors: ${JSON.stringify(result.error)}`);
  } else {
    const mirrorRows = await mirrorRowsOf(rows);
    const result = await bulkWriteAcrossCollections([{ instance, rows }, { instance: mirror, rows: mirrorRows }], 'crash-writer');
    if (!result.written) throw new Error(`unexpected write errors: ${JSON.stringify(result.errors)}`);
  }
  say({ ack: bulk });
  for (const row of rows) if (!row.previous) mine.push(row.document.id);
}

/** The same documents for the mirror collection, made from the versions stored there. */
async function mirrorRowsOf(rows: { document: RxDocumentData<Learner> }[]): Promise<{ previous?: RxDocumentData<Learner>; document: RxDocumentData<Learner> }[]> {
  const stored = new Map((await mirror.findDocumentsById(rows.map((row) => row.document.id), true)).map((doc) => [doc.id, doc]));
  return rows.map(({ document }) => {
    const previous = stored.get(document.id);
    const { _rev: _ignored, _meta: _meta, ...data } = document;
    return previous ? { previous, document: newDocument<Learner>(data as Learner, previous) } : { document: newDocument<Learner>(data as Learner) };
  });
}
