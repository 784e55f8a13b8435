/**
 * Entry of a storage thread (node:worker_threads): one StorageEngine, as the
 * writer or as a reader, answering the main thread's requests. Each request is
 * answered as soon as it is done; the writer orders writes itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorToWire } from './errors';
import { nodeSqliteDriver } from './node-sqlite-driver';
import { transferablesOf } from './protocol';
import type { Envelope, ReplyEnvelope } from './protocol';
import { StorageEngine } from './storage-engine';
import type { EngineRole } from './storage-engine';

const port = parentPort;
if (!port) throw new Error('sqlite storage: worker.ts runs as a worker thread');
const engine = new StorageEngine((workerData as { role: EngineRole }).role, nodeSqliteDriver);

port.on('message', ({ id, request }: Envelope) => {
  engine.handle(request).then(
    (value) => {
      const reply: ReplyEnvelope = { id, ok: true, value, unreadable: engine.takeUnreadable() };
      port.postMessage(reply, transferablesOf(value));
    },
    (error: unknown) => {
      const reply: ReplyEnvelope = { id, ok: false, error: errorToWire(error), unreadable: engine.takeUnreadable() };
      port.postMessage(reply);
    },
  );
});
