/**
 * Makes committed transactions durable off the event loop.
 *
 * The connection commits with synchronous=NORMAL, which writes the WAL but does
 * not wait for the disk. This class then fsyncs the WAL file on libuv's thread
 * pool, and a write is acknowledged only once an fsync that started after its
 * commit has finished: the durability of synchronous=FULL, without the event
 * loop waiting for the disk. fsync flushes the file (the inode), whichever
 * descriptor wrote to it, and libuv uses F_FULLFSYNC on macOS. Commits that
 * arrive while an fsync runs share the next one (group commit).
 */
import { close, fsync, open } from 'node:fs';
import { dirname } from 'node:path';

type Fsync = (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;

type Waiter = { commit: number; resolve: () => void; reject: (error: Error) => void };

export class WalFsync {
  private fd: Promise<number> | undefined;
  private synced = 0;
  private wanted = 0;
  private running: Promise<void> | undefined;
  private readonly waiters: Waiter[] = [];

  /** `syncFile` is fs.fsync; tests pass a slower or failing one. */
  constructor(
    private readonly walPath: string,
    private readonly syncFile: Fsync = fsync,
  ) {}

  /** Opened at the first commit, when SQLite has certainly created the WAL file. */
  private descriptor(): Promise<number> {
    this.fd ??= openForSync(this.walPath).then(async (fd) => {
      // A new WAL file is durable only once its directory entry is: synced once, best effort (not on Windows).
      await syncDirectory(dirname(this.walPath));
      return fd;
    });
    return this.fd;
  }

  /** Resolves once everything committed up to `commit` (a counter of commits) is on disk. */
  durable(commit: number): Promise<void> {
    if (commit <= this.synced) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ commit, resolve, reject }));
    this.wanted = Math.max(this.wanted, commit);
    if (!this.running) this.running = this.run();
    return done;
  }

  private async run(): Promise<void> {
    while (this.wanted > this.synced) {
      const target = this.wanted;
      try {
        const fd = await this.descriptor();
        await new Promise<void>((resolve, reject) => this.syncFile(fd, (error) => (error ? reject(error) : resolve())));
        this.synced = target;
        this.settle(target, undefined);
      } catch (error) {
        // The commits are in the WAL but not known to be on disk: their writers must hear about it.
        this.settle(target, error instanceof Error ? error : new Error(String(error)));
        this.synced = Math.max(this.synced, target);
      }
    }
    this.running = undefined;
  }

  private settle(upTo: number, error: Error | undefined): void {
    while (this.waiters.length > 0 && (this.waiters[0] as Waiter).commit <= upTo) {
      const waiter = this.waiters.shift() as Waiter;
      if (error) waiter.reject(new Error(`sqlite storage: could not make the write durable: ${error.message}`));
      else waiter.resolve();
    }
  }

  async close(): Promise<void> {
    await this.running;
    const fd = await this.fd?.catch(() => undefined);
    if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
  }
}

function openForSync(path: string): Promise<number> {
  // Read-write because Windows only flushes handles opened for writing; nothing is ever written through it.
  return new Promise((resolve, reject) => open(path, 'r+', (error, fd) => (error ? reject(error) : resolve(fd))));
}

function syncDirectory(path: string): Promise<void> {
  if (process.platform === 'win32') return Promise.resolve();
  return new Promise((resolve) =>
    open(path, 'r', (openError, fd) => {
      if (openError) return resolve();
      fsync(fd, () => close(fd, () => resolve()));
    }),
  );
}
