// The open `GET stream` connections of one server: each gets RESYNC, then every change batch of its collection's
// feed. Feeds start with the first stream of their collection and live until the server closes.
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { SSEReplyInterface } from '@fastify/sse';
import { HEARTBEAT, HEARTBEAT_INTERVAL_S, RESYNC, type ChangeBatch, type SyncCollection } from '../../shared/sync-protocol';
import type { Database } from '../db/database';
import { createTokenVerifier, type TokenVerifier } from '../tokens';
import { ChangeFeed } from './feed';

export interface StreamOptions {
  /**
   * How often each feed reads anyway (in case a notification was lost) and each stream's token is checked again
   * (a token revoked while its stream is open must stop receiving data).
   */
  checkMs?: number;
  /** A client that has not read this much of what was sent is too slow: it is cut off and resyncs. */
  maxBufferedBytes?: number;
  /** How often every stream hears HEARTBEAT, so its device knows the server is there. */
  heartbeatMs?: number;
}

interface Connection {
  collection: SyncCollection;
  token: string;
  sse: SSEReplyInterface;
  raw: FastifyReply['raw'];
}

export class SyncStreams {
  readonly #db: Database;
  readonly #log: FastifyBaseLogger;
  readonly #checkMs: number;
  readonly #maxBufferedBytes: number;
  readonly #feeds = new Map<SyncCollection, Promise<ChangeFeed>>();
  readonly #connections = new Set<Connection>();
  #tokens: Promise<TokenVerifier> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #heartbeatMs: number;
  #closed = false;
  // Every stream of a collection is handed the same batch object in turn: serialize it once.
  #lastBatch: ChangeBatch | undefined;
  #lastText = '';

  constructor(db: Database, log: FastifyBaseLogger, options: StreamOptions = {}) {
    this.#db = db;
    this.#log = log;
    this.#checkMs = options.checkMs ?? 15_000;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
    this.#heartbeatMs = options.heartbeatMs ?? HEARTBEAT_INTERVAL_S * 1000;
  }

  /** Streams open now (a disconnected client's is gone). */
  get openStreams(): number {
    return this.#connections.size;
  }

  /**
   * Turns the reply into the collection's stream. What a stream needs (its feed, the token checks) starts before
   * anything is written, so a failure there is still an ordinary error answer.
   */
  async open(collection: SyncCollection, token: string, reply: FastifyReply): Promise<void> {
    const closing = () => new Error('the server is closing');
    if (this.#closed) throw closing();
    const [feed] = await Promise.all([this.#feed(collection), this.#verifier()]);
    // Closed meanwhile: a stream opened now would never be ended, and would hold the server open.
    if (this.#closed) throw closing();
    this.#timer ??= setInterval(() => this.#check(), this.#checkMs).unref();
    this.#heartbeat ??= setInterval(() => {
      for (const connection of this.#connections) this.#send(connection, HEARTBEAT);
    }, this.#heartbeatMs).unref();
    const connection: Connection = { collection, token, sse: reply.sse, raw: reply.raw };
    reply.sse.keepAlive();
    // A stream's connection is never reused: once the stream ends, the socket closes too, instead of idling until
    // the client drops it (which would hold up a closing server for the client's keep-alive time).
    reply.header('connection', 'close');
    // Subscribed before RESYNC goes out: every change the client's resync pull might miss is committed after that
    // pull began, so after this point, and this subscription hands it out.
    const unsubscribe = feed.subscribe((batch) => this.#send(connection, this.#serialized(batch)));
    this.#connections.add(connection);
    const forget = () => {
      unsubscribe();
      this.#connections.delete(connection);
    };
    reply.sse.onClose(forget);
    // A client gone while the feed started has already had its close event.
    if (!reply.sse.isConnected) return forget();
    this.#send(connection, RESYNC);
  }

  #serialized(batch: ChangeBatch): string {
    if (batch !== this.#lastBatch) {
      this.#lastBatch = batch;
      this.#lastText = JSON.stringify(batch);
    }
    return this.#lastText;
  }

  #send(connection: Connection, data: string): void {
    if (!connection.sse.isConnected) return;
    if (connection.raw.writableLength > this.#maxBufferedBytes) {
      this.#log.warn({ collection: connection.collection }, 'sync stream client too slow; closing its stream');
      connection.sse.close();
      return;
    }
    connection.sse.send(data).catch(() => connection.sse.close());
  }

  #feed(collection: SyncCollection): Promise<ChangeFeed> {
    let feed = this.#feeds.get(collection);
    if (!feed) {
      feed = ChangeFeed.open(this.#db, collection, {
        onError: (error) => this.#log.error({ err: error, collection }, 'sync feed read failed; retrying'),
      });
      this.#feeds.set(collection, feed);
      // A feed that failed to start is forgotten, so the next stream tries again.
      feed.catch(() => this.#feeds.delete(collection));
    }
    return feed;
  }

  #verifier(): Promise<TokenVerifier> {
    if (!this.#tokens) {
      this.#tokens = createTokenVerifier(this.#db);
      this.#tokens.catch(() => (this.#tokens = undefined));
    }
    return this.#tokens;
  }

  #check(): void {
    for (const feed of this.#feeds.values()) void feed.then((f) => f.wake(), () => {});
    void this.#closeRevoked().catch((error: unknown) => this.#log.error({ err: error }, 'sync stream token check failed'));
  }

  async #closeRevoked(): Promise<void> {
    const tokens = await this.#verifier();
    const verdicts = new Map<string, Promise<string | undefined>>();
    for (const connection of [...this.#connections]) {
      if (!verdicts.has(connection.token)) verdicts.set(connection.token, tokens.verify(connection.token));
      if (!(await verdicts.get(connection.token))) connection.sse.close();
    }
  }

  /** Ends every stream (clients reconnect elsewhere or later and resync); stops the feeds. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    clearInterval(this.#heartbeat);
    for (const connection of [...this.#connections]) connection.sse.close();
    const feeds = await Promise.allSettled(this.#feeds.values());
    const tokens = await Promise.allSettled(this.#tokens ? [this.#tokens] : []);
    await Promise.all([
      ...feeds.map((f) => (f.status === 'fulfilled' ? f.value.close() : undefined)),
      ...tokens.map((t) => (t.status === 'fulfilled' ? t.value.close() : undefined)),
    ]);
  }
}
