// The open `GET stream` connections of one server: each gets RESYNC, then every change batch of its collection's
// feed. Feeds start with the first stream of their collection and live until the server closes.
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { SSEReplyInterface } from '@fastify/sse';
import { HEARTBEAT, HEARTBEAT_INTERVAL_S, RESYNC, type ChangeBatch, type SyncCollection } from '../../shared/sync-protocol';
import type { Database } from '../db/database';
import type { Scope } from '../../shared/repository';
import type { Identity, TokenVerifier } from '../tokens';
import { wireChanges } from './changes';
import { ChangeFeed, type FeedBatch } from './feed';

export interface StreamOptions {
  /**
   * How often each feed reads anyway (in case a notification was lost) and each stream's token is checked again
   * (besides at once, when any token is revoked).
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
  identity: Identity;
  sse: SSEReplyInterface;
  raw: FastifyReply['raw'];
}

/** Streams one token may hold at once: a device needs one per collection, and a few more while reconnecting. */
export const MAX_STREAMS_PER_TOKEN = 8;

export class TooManyStreams extends Error {
  override name = 'TooManyStreams';
}

export class SyncStreams {
  readonly #db: Database;
  readonly #log: FastifyBaseLogger;
  readonly #checkMs: number;
  readonly #maxBufferedBytes: number;
  readonly #feeds = new Map<SyncCollection, Promise<ChangeFeed>>();
  readonly #connections = new Set<Connection>();
  readonly #tokens: TokenVerifier;
  readonly #stopHearingTokens: () => void;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #heartbeatMs: number;
  #closed = false;
  // Every stream of a collection is handed the same batch object in turn: serialize each scope's view once.
  #lastBatch: FeedBatch | undefined;
  #texts = new Map<string, string | null>();

  constructor(db: Database, log: FastifyBaseLogger, tokens: TokenVerifier, options: StreamOptions = {}) {
    this.#db = db;
    this.#log = log;
    this.#tokens = tokens;
    // A token revoked anywhere ends its streams here at once (the verifier reloads on the revocation's NOTIFY).
    this.#stopHearingTokens = tokens.onChange(() => this.#closeRevoked());
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
  async open(collection: SyncCollection, token: string, identity: Identity, reply: FastifyReply): Promise<void> {
    const closing = () => new Error('the server is closing');
    if (this.#closed) throw closing();
    const held = [...this.#connections].filter((c) => c.identity.name === identity.name).length;
    if (held >= MAX_STREAMS_PER_TOKEN) throw new TooManyStreams(`this token holds ${held} streams already`);
    const feed = await this.#feed(collection);
    // Closed meanwhile: a stream opened now would never be ended, and would hold the server open.
    if (this.#closed) throw closing();
    this.#timer ??= setInterval(() => this.#check(), this.#checkMs).unref();
    this.#heartbeat ??= setInterval(() => {
      for (const connection of this.#connections) this.#send(connection, HEARTBEAT);
    }, this.#heartbeatMs).unref();
    const connection: Connection = { collection, token, identity, sse: reply.sse, raw: reply.raw };
    reply.sse.keepAlive();
    // A stream's connection is never reused: once the stream ends, the socket closes too, instead of idling until
    // the client drops it (which would hold up a closing server for the client's keep-alive time).
    reply.header('connection', 'close');
    // Subscribed before RESYNC goes out: every change the client's resync pull might miss is committed after that
    // pull began, so after this point, and this subscription hands it out.
    const unsubscribe = feed.subscribe((batch) => {
      const text = this.#view(batch, identity);
      if (text !== null) this.#send(connection, text);
    });
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

  /**
   * What a token may see of a batch: its centers' documents (everything, for an administrator); RESYNC where a
   * document left one of its centers (the pull it makes then purges it); nothing when nothing concerns it.
   */
  #view(batch: FeedBatch, scope: Scope): string | null {
    if (batch !== this.#lastBatch) {
      this.#lastBatch = batch;
      this.#texts = new Map();
    }
    const key = scope.admin ? '*' : [...scope.centers].sort().join(',');
    if (!this.#texts.has(key)) {
      const mine = (center: string | null) => scope.admin || center === null || scope.centers.includes(center);
      const rows = batch.rows.filter((row) => mine(row.center));
      const left = !scope.admin && batch.left.some((exit) => scope.centers.includes(exit.center));
      this.#texts.set(key, left ? RESYNC : rows.length === 0 ? null : JSON.stringify({ documents: wireChanges(rows), checkpoint: batch.checkpoint } satisfies ChangeBatch));
    }
    return this.#texts.get(key)!;
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

  #check(): void {
    for (const feed of this.#feeds.values()) void feed.then((f) => f.wake(), () => {});
    this.#closeRevoked();
  }

  #closeRevoked(): void {
    for (const connection of [...this.#connections]) if (!this.#tokens.verify(connection.token)) connection.sse.close();
  }

  /** Ends every stream (clients reconnect elsewhere or later and resync); stops the feeds. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    clearInterval(this.#heartbeat);
    this.#stopHearingTokens();
    for (const connection of [...this.#connections]) connection.sse.close();
    const feeds = await Promise.allSettled(this.#feeds.values());
    await Promise.all(feeds.map((f) => (f.status === 'fulfilled' ? f.value.close() : undefined)));
  }
}
