/**
 * The main thread's end of a storage engine: a worker thread, or (for tests that
 * need to reach into the engine) the engine itself on this thread. Requests are
 * matched to replies by number; a worker that stops fails every request waiting
 * on it, and every later one, with a StorageWorkerError, so no caller hangs.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorFromWire, errorToWire, StorageWorkerError } from './errors';
import type { Envelope, ReplyEnvelope, ReplyOf, Request, Unreadable } from './protocol';
import type { EngineRole, StorageEngine } from './storage-engine';

/** Receives the unreadable documents each reply reports, whatever became of the request. */
export type UnreadableSink = (unreadable: Unreadable) => void;

export interface EngineLink {
  request<R extends Request>(request: R): Promise<ReplyOf<R['op']>>;
  /** Set once the engine can no longer answer. */
  readonly failure: Error | undefined;
  /** Stops a worker at once (tests use it to play a crash); nothing for an in-thread engine. */
  terminate(): Promise<void>;
}

/**
 * Where the worker's code is, decided once here for the three ways the app runs:
 *
 * - Packaged Electron app: electron.vite.config.ts builds worker.ts as its own
 *   entry of the main build, `out/main/storage-worker.js`, next to main.js, into
 *   which this module is bundled; so the URL is relative to this module's own URL.
 * - tsx (preview, benchmarks, scripts) and vitest: this module is the .ts source,
 *   and so is the worker. A worker thread gets none of its parent's loaders
 *   (vitest's transform in particular), so it starts with tsx's loader, resolved
 *   from here rather than from the working directory.
 *
 * The test is the extension of this module's own URL: `.ts` only when running
 * from source.
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
    return { url: new URL('./worker.ts', here), execArgv: ['--import', tsx] };
  }
  return { url: new URL('./storage-worker.js', here), execArgv: [] };
}

class WorkerLink implements EngineLink {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  failure: Error | undefined;

  constructor(
    private readonly role: EngineRole,
    sink: UnreadableSink,
  ) {
    const { url, execArgv } = workerEntry();
    this.worker = new Worker(url, { workerData: { role }, execArgv, name: `sqlite-storage-${role}` });
    // Idle, the worker must not keep the app (or a test run) alive; while a request waits, it must.
    this.worker.unref();
    this.worker.on('message', (reply: ReplyEnvelope) => {
      const waiter = this.waiting.get(reply.id);
      if (reply.unreadable) sink(reply.unreadable);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(errorFromWire(reply.error));
    });
    this.worker.on('error', (error) => this.fail(`failed: ${errorToWire(error).message}`));
    this.worker.on('exit', (code) => this.fail(`stopped (exit code ${code})`));
  }

  private fail(what: string): void {
    this.failure ??= new StorageWorkerError(`sqlite storage: the storage's ${this.role} thread ${what}; reopen the database`);
    const error = this.failure;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  request<R extends Request>(request: R): Promise<ReplyOf<R['op']>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      const envelope: Envelope = { id, request };
      this.worker.postMessage(envelope);
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

export function startWorker(role: EngineRole, sink: UnreadableSink): EngineLink {
  return new WorkerLink(role, sink);
}

/** The engine on the calling thread: the same requests and replies, without a worker. */
export function inThread(engine: StorageEngine, sink: UnreadableSink): EngineLink {
  const report = (): void => {
    const unreadable = engine.takeUnreadable();
    if (unreadable) sink(unreadable);
  };
  return {
    failure: undefined,
    async request<R extends Request>(request: R): Promise<ReplyOf<R['op']>> {
      try {
        return await engine.handle(request);
      } finally {
        report();
      }
    },
    async terminate() {},
  };
}
