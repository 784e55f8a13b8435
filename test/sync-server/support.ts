// A sync client for tests: the three endpoints over real HTTP, an SSE reader, and stored documents to push.
import { editorClock, stampEdit } from '../../shared/edits';
import { HybridClock } from '../../shared/hlc';
import { unstamped } from '../../shared/schemas/sync';
import { randomId, profileUuidFor } from '../../shared/ids';
import type { StoredLearner } from '../../shared/schemas/learner';
import { profileDefaults, type StoredProfile } from '../../shared/schemas/profile';
import { HEARTBEAT, syncPath, type WhoAmI, type ChangeBatch, type PushResult, type SyncCheckpoint, type SyncCollection } from '../../shared/sync-protocol';
import { now } from '../../shared/time';
import { uniqueEmail } from '../contract/cases';
import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import type { Backend } from '../support/backends';
import { httpHost } from '../support/hosts';

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export interface Envelope {
  success: boolean;
  message: string;
  data: unknown;
}

export interface ErrorDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export function syncClient(baseUrl: string, token: string | undefined) {
  const request = async <T>(method: string, path: string, body?: string): Promise<Answer<T>> => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    request,
    /** From a checkpoint the server gave (its position is sent, not its history), or a raw `checkpoint` parameter. */
    pull: (collection: string, checkpoint?: number | string | SyncCheckpoint, limit?: number | string) => {
      // With `xid` always, as current builds send it (a pull without it is a legacy build's: `pullLegacy`).
      const query = new URLSearchParams({ xid: '0' });
      if (typeof checkpoint === 'object') {
        query.set('checkpoint', String(checkpoint.seq));
        if (checkpoint.xid !== undefined) query.set('xid', String(checkpoint.xid));
      } else if (checkpoint !== undefined) query.set('checkpoint', String(checkpoint));
      if (limit !== undefined) query.set('limit', String(limit));
      return request<ChangeBatch>('GET', `${syncPath(collection as SyncCollection, 'pull')}?${query}`);
    },
    /** As a build from before `xid` pulls: its checkpoint's fields sent back as they came, and no `xid`. */
    pullLegacy: (collection: string, checkpoint: { seq: number; epoch?: string; generation?: number }, limit: number) => {
      const query = new URLSearchParams({ checkpoint: String(checkpoint.seq), limit: String(limit) });
      if (checkpoint.epoch !== undefined) query.set('epoch', checkpoint.epoch);
      if (checkpoint.generation !== undefined) query.set('generation', String(checkpoint.generation));
      return request<ChangeBatch>('GET', `${syncPath(collection as SyncCollection, 'pull')}?${query}`);
    },
    push: (collection: string, rows: unknown) =>
      request<PushResult>('POST', syncPath(collection as SyncCollection, 'push'), JSON.stringify(rows)),
    pushRaw: (collection: string, body: string) => request<Envelope>('POST', syncPath(collection as SyncCollection, 'push'), body),
    stream: (collection: string) => openStream(`${baseUrl}${syncPath(collection as SyncCollection, 'stream')}`, token),
    /** Every document after `checkpoint`, paging to the end. */
    async pullAll(collection: string, checkpoint: SyncCheckpoint = { seq: 0 }, limit = 100) {
      const documents: Record<string, unknown>[] = [];
      for (;;) {
        const page = await this.pull(collection, checkpoint, limit);
        if (page.status !== 200) throw new Error(`pull answered ${page.status}: ${JSON.stringify(page.body)}`);
        documents.push(...page.body.documents);
        if (page.body.documents.length === 0) return { documents, checkpoint: page.body.checkpoint };
        checkpoint = page.body.checkpoint;
      }
    },
  };
}
export type SyncClient = ReturnType<typeof syncClient>;

/** The checkpoint schema of builds from before positions named their transaction, as they parse it (strictly). */
export const legacyCheckpoint = z.strictObject({
  seq: z.int().min(0),
  epoch: z.string().max(40).optional(),
  generation: z.int().min(0).optional(),
});

/** Whether checkpoint `a` is past `b` in the server's order of changes (transaction, then seq). */
export const isAfter = (a: SyncCheckpoint, b: SyncCheckpoint) => {
  const [ax, bx] = [a.xid ?? 0, b.xid ?? 0];
  return ax > bx || (ax === bx && a.seq > b.seq);
};

/** Just the position of a checkpoint, to compare two from the same history. */
export const positionOf = (checkpoint: SyncCheckpoint) => ({ seq: checkpoint.seq, xid: checkpoint.xid ?? 0 });

/** Waits bounded so a missing event fails the test with a message instead of hanging it. */
const WAIT_MS = 15_000;

export interface SseStream {
  status: number;
  headers: Headers;
  /** The data of the next event (comment lines are counted, not returned). */
  next(): Promise<string>;
  /** Comment lines seen so far (heartbeats). */
  comments(): number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openStream(url: string, token: string | undefined): Promise<SseStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { headers, signal: abort.signal });
  const events: string[] = [];
  let comments = 0;
  let waiter: (() => void) | undefined;
  let finished = false;
  const wakeWaiter = () => {
    waiter?.();
    waiter = undefined;
  };

  const ended = (async () => {
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let data: string[] = [];
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (data.length > 0) events.push(data.join('\n'));
            data = [];
            wakeWaiter();
          } else if (line.startsWith(':')) {
            comments++;
            wakeWaiter();
          } else if (line.startsWith('data:')) {
            data.push(line.slice(5).replace(/^ /, ''));
          }
        }
      }
    } catch {
      // Aborted by close(), or the connection dropped: either way the stream has ended.
    } finally {
      finished = true;
      wakeWaiter();
    }
  })();

  return {
    status: response.status,
    headers: response.headers,
    async next() {
      const deadline = Date.now() + WAIT_MS;
      while (events.length === 0) {
        if (finished) throw new Error('the stream ended before the next event');
        if (Date.now() > deadline) throw new Error(`no stream event within ${WAIT_MS} ms`);
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, 200);
        });
      }
      return events.shift()!;
    },
    comments: () => comments,
    ended,
    close: () => abort.abort(),
  };
}

/** The next stream event that is a change batch, parsed. */
export async function nextBatch(stream: SseStream): Promise<ChangeBatch> {
  for (;;) {
    const event = await stream.next();
    if (event !== HEARTBEAT) return JSON.parse(event) as ChangeBatch;
  }
}

/** The edit clock of the device these tests play. */
export let testDevice = editorClock(new HybridClock('test-device'), 'test-device', 'Test device');
/** The device's center, as its token's whoami says (set by `useSyncHost`). */
let deviceCenter: string | undefined;
// A device signs its learners and profiles with its token's name, as the server would (conflict entries are not).
const dated = <T extends Record<string, unknown>>(previous: T | undefined, doc: T): T => {
  const stamped = stampEdit(previous as never, doc as never, testDevice.tick(), testDevice) as T;
  const signable = 'email_address' in doc || ('learner_id' in doc && !('field' in doc));
  return testDevice.signature === undefined || !signable ? stamped : { ...stamped, modified_by: testDevice.signature };
};

export function learnerDoc(overrides: Partial<StoredLearner> = {}): StoredLearner {
  const time = now();
  return dated(undefined, {
    uuid: randomId(),
    first_name: 'Ada',
    last_name: 'Lovelace',
    email_address: uniqueEmail(),
    preferred_name_type: 'PreferredName',
    email_address_type: 'Work',
    gender: 'NotSelected',
    is_archived: false,
    is_deleted: false,
    ...(deviceCenter ? { center_id: deviceCenter } : {}),
    sync: unstamped(),
    created_time: time,
    last_modified_time: time,
    ...overrides,
  });
}

export function profileDoc(learnerId: string, overrides: Partial<StoredProfile> = {}): StoredProfile {
  const time = now();
  return dated(undefined, {
    uuid: profileUuidFor(learnerId),
    learner_id: learnerId,
    ...profileDefaults(),
    is_archived: false,
    is_deleted: false,
    sync: unstamped(),
    created_time: time,
    last_modified_time: time,
    ...overrides,
  });
}

/** A later edit of `doc`, as a client writes it. */
export const edited = <T extends { last_modified_time: string }>(doc: T, changes: Partial<T>): T =>
  dated(doc as never, { ...doc, ...changes, last_modified_time: now() } as never) as T;

/** A document as RxDB sends it: with its replication keys. */
export const asRxDocument = <T extends object>(doc: T) => ({
  ...doc,
  _deleted: false,
  _rev: '1-abcdef',
  _meta: { lwt: 1_700_000_000_000 },
  _attachments: {},
});

export const insertRow = (doc: object) => ({ newDocumentState: asRxDocument(doc) });
export const updateRow = (assumed: object | null, doc: object) => ({
  assumedMasterState: assumed && asRxDocument(assumed),
  newDocumentState: asRxDocument(doc),
});

/** Removes `_deleted`, to compare a wire document with a stored one. */
export const stored = (doc: Record<string, unknown>) => {
  const { _deleted, ...rest } = doc;
  return rest;
};

export type SyncHost = Awaited<ReturnType<typeof httpHost>>;

/** For the enclosing suite: a server on a fresh database of this backend, and a sync client holding its token. */
export function useSyncHost(backend: Backend): { host: SyncHost; sync: SyncClient } {
  const context = {} as { host: SyncHost; sync: SyncClient };
  beforeAll(async () => {
    context.host = await httpHost(await backend.open());
    context.sync = syncClient(context.host.baseUrl, context.host.token);
    // As a device does at connect: its token's name signs its records; its center is where its learners go.
    const me = (await context.sync.request<WhoAmI>('GET', '/sync/v1/whoami')).body;
    testDevice = editorClock(new HybridClock('test-device'), 'test-device', 'Test device', me.name);
    deviceCenter = me.centers[0]?.id;
  });
  afterAll(() => context.host?.close());
  return context;
}
