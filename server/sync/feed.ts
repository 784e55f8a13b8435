// One reader per collection per server process for the live stream: it hears the collection's NOTIFY (sent by a
// trigger on every committed write, from any process), reads the changes past the last position it handed out, and
// hands each batch to every subscriber. However many clients are connected, a write costs one query per process.
// A write whose changes are held back behind an older transaction (./changes.ts) is read again shortly after, as
// that transaction may end without a word on this collection's channel (it wrote another table, or nothing).
import type { SyncCheckpoint, SyncCollection } from '../../shared/sync-protocol';
import type { Database } from '../db/database';
import { syncChannel } from '../db/migrations';
import { checkpointAt, ORIGIN, readChangeRows, readExits, releasedEnd, type ChangeRow, type Position } from './changes';
import { currentHistory } from './epoch';

/** One committed write batch, for every center: each stream keeps what its token may see. */
export interface FeedBatch {
  rows: ChangeRow[];
  /** Centers that documents left in this batch's range (moved to another center). */
  left: { uuid: string; center: string }[];
  checkpoint: SyncCheckpoint;
}

const RETRY_FIRST_MS = 2;
const RETRY_MAX_MS = 1_000;

export interface FeedOptions {
  /** Rows per read; a larger backlog goes out as several batches, in order. */
  batchSize?: number;
  onError?: (error: unknown) => void;
}

export class ChangeFeed {
  readonly #db: Database;
  readonly #collection: SyncCollection;
  readonly #batchSize: number;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Set<(batch: FeedBatch) => void>();
  #stopListening: (() => Promise<void>) | undefined;
  /** Every change up to here has been handed out (or happened before anyone subscribed). */
  #last: Position = ORIGIN;
  /** The next read while changes are held back, sooner at first: transactions mostly end within milliseconds. */
  #retry: NodeJS.Timeout | undefined;
  #retryMs = RETRY_FIRST_MS;
  #reading: Promise<void> | undefined;
  #again = false;
  #closed = false;

  private constructor(db: Database, collection: SyncCollection, options: FeedOptions) {
    this.#db = db;
    this.#collection = collection;
    this.#batchSize = options.batchSize ?? 500;
    this.#onError = options.onError ?? (() => {});
  }

  static async open(db: Database, collection: SyncCollection, options: FeedOptions = {}): Promise<ChangeFeed> {
    const feed = new ChangeFeed(db, collection, options);
    // Listening first, then reading where history stands: a write committed in between is heard, and either read
    // past or, held back, handed out once released, so it cannot fall between the two.
    const wake = () => feed.wake();
    feed.#stopListening = await db.listen(syncChannel(collection), wake, wake);
    try {
      const end = await releasedEnd(db, collection);
      feed.#last = end.position;
      if (end.held) feed.#retryLater();
    } catch (error) {
      await feed.close();
      throw error;
    }
    return feed;
  }

  /** Batches committed after this call, in seq order, until the returned function is called. */
  subscribe(listener: (batch: FeedBatch) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Reads what is new. Notifications only say "something changed", so wakes that arrive while a read runs fold
   * into one more read after it. Also called on a timer: a notification lost with its connection costs a delay,
   * never a change.
   */
  wake(): void {
    if (this.#closed) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = this.#drain()
      .catch((error: unknown) => this.#onError(error))
      .finally(() => (this.#reading = undefined));
  }

  async #drain(): Promise<void> {
    let held = false;
    do {
      this.#again = false;
      if (this.#listeners.size === 0) {
        // Nobody to tell: just move past it, so the next subscriber is not sent old history (it pulls that).
        const end = await releasedEnd(this.#db, this.#collection);
        this.#last = end.position;
        held = end.held;
        continue;
      }
      // Stream checkpoints name their history as pull's do, so a device resuming from one is not sent back to the start.
      const history = await currentHistory(this.#db);
      for (;;) {
        const page = await readChangeRows(this.#db, this.#collection, this.#last, this.#batchSize);
        held = page.held;
        const { rows } = page;
        if (rows.length === 0 || this.#closed) break;
        const to: Position = rows.at(-1)!;
        // Documents that left a center in this range: that center's streams are told to pull, which purges them.
        const left = await readExits(this.#db, this.#collection, this.#last, to);
        this.#last = { xid: to.xid, seq: to.seq };
        const batch: FeedBatch = { rows, left, checkpoint: checkpointAt(this.#last, history) };
        for (const listener of this.#listeners) listener(batch);
        // What is held back is read again later (below), not now.
        if (held || rows.length < this.#batchSize) break;
      }
    } while (this.#again && !this.#closed);
    if (held) this.#retryLater();
    else this.#retryMs = RETRY_FIRST_MS;
  }

  #retryLater(): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.wake();
    }, this.#retryMs);
    this.#retry.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listeners.clear();
    await this.#stopListening?.();
    await this.#reading;
  }
}
