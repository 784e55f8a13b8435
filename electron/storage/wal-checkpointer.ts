/**
 * The node:sqlite WalCheckpointer: a worker thread with its own connection that
 * runs PASSIVE checkpoints on request. PASSIVE never waits for the writer, so the
 * main connection keeps committing while pages are copied back.
 */
import { Worker } from 'node:worker_threads';
import type { CheckpointResult, WalCheckpointer } from './driver';

/**
 * Plain CommonJS source rather than a module file: the worker then loads the
 * same way under tsx, vitest and a bundled Electron main, with no loader or
 * extra build entry. It only touches node:sqlite.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path, { timeout: 0 });
// FULL: the checkpoint fsyncs the WAL before copying and the database file after it.
db.exec('PRAGMA synchronous = FULL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const row = checkpoint.get();
    parentPort.postMessage({ walFrames: row.log, checkpointedFrames: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;

type WorkerReply = CheckpointResult | { error: string };

export function startNodeSqliteCheckpointer(path: string): WalCheckpointer {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
  // Idle, the checkpointer must not keep the app (or a test run) alive; while a caller awaits it, it must.
  worker.unref();
  const waiting: { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure = error;
    for (const request of waiting.splice(0)) request.reject(error);
  };
  worker.on('message', (reply: WorkerReply) => {
    const request = waiting.shift();
    if (waiting.length === 0) worker.unref();
    if (!request) return;
    if ('error' in reply) request.reject(new Error(`sqlite storage: background checkpoint failed: ${reply.error}`));
    else request.resolve(reply);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', () => failAll(new Error('sqlite storage: the checkpoint worker has stopped')));

  return {
    checkpoint() {
      if (failure) return Promise.reject(failure);
      return new Promise<CheckpointResult>((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.ref();
        worker.postMessage('checkpoint');
      });
    },
    async close() {
      if (failure) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      worker.postMessage('close');
      await exited;
    },
  };
}
