// The sync wire protocol between the desktop's replication and the central server (../spec/sync.md "Protocol"):
// paths, limits, and the shapes of requests, answers and stream events. Success answers are the bare shapes below;
// failures use the contract's envelope (401 no or revoked token, 404 unknown collection or endpoint, 422 bad input).
import { z } from 'zod';

export const SYNC_BASE = '/sync/v1';

/** Replicated collections; achievements are authored on the server and only pulled. */
export const syncCollections = ['learners', 'learner_profiles', 'achievements', 'conflicts'] as const;
export type SyncCollection = (typeof syncCollections)[number];
export const pushCollections = ['learners', 'learner_profiles', 'conflicts'] as const;
export type PushCollection = (typeof pushCollections)[number];

export const isSyncCollection = (name: string): name is SyncCollection =>
  (syncCollections as readonly string[]).includes(name);
export const isPushCollection = (name: string): name is PushCollection =>
  (pushCollections as readonly string[]).includes(name);

export type SyncEndpoint = 'pull' | 'push' | 'stream';
export const syncPath = (collection: SyncCollection, endpoint: SyncEndpoint) => `${SYNC_BASE}/${collection}/${endpoint}`;

export const PULL_LIMIT_DEFAULT = 100;
export const PULL_LIMIT_MAX = 1000;
export const PUSH_MAX_ROWS = 500;
/** A push body may be larger than a REST body (1 MiB): a full batch of large profiles must fit. Over it: 413. */
export const PUSH_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Where a client is in a collection's change history: the position of the last change it has seen, which is the
 * server's id of the transaction that wrote it (`xid`) and its sequence number (`seq`), both assigned by the server
 * inside the writing transaction (a checkpoint without `xid`, from servers before it, stands for `xid: 0`); in which
 * history (`epoch`, a server database's identity, renewed when it is restored from a backup) and as of which start
 * of the server (`generation`, counting up at every start: a database restored from a backup counts from an older
 * number). A checkpoint never depends on any clock. Clients keep it as they got it and send every field back.
 */
export const syncCheckpoint = z.strictObject({
  seq: z.int().min(0),
  xid: z.int().min(0).optional(),
  epoch: z.string().max(40).optional(),
  generation: z.int().min(0).optional(),
});
export type SyncCheckpoint = z.infer<typeof syncCheckpoint>;

const wholeNumber = (fallback: number, message: string) =>
  z.preprocess((value) => (value === undefined || value === '' ? fallback : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value), z.int(message).min(0));

/**
 * `GET pull?checkpoint=<seq>&xid=<xid>&epoch=<id>&generation=<n>&limit=<n>`; other parameters are ignored. A
 * checkpoint from another history (another epoch, a later generation, a position this server never reached) is
 * answered from the start. Clients send `xid` always (0 to start): a pull without it is a build's from before
 * positions named their transaction, answered in the shape it accepts (server/sync/legacy-checkpoint.ts).
 */
export const pullQuery = z.preprocess(
  (value) => value ?? {},
  z.object({
    checkpoint: wholeNumber(0, 'must be a whole number from 0 up (a checkpoint seq)'),
    xid: wholeNumber(0, 'must be a whole number from 0 up (a checkpoint xid)'),
    epoch: z.string().max(40).optional(),
    generation: wholeNumber(0, 'must be a whole number from 0 up'),
    limit: wholeNumber(PULL_LIMIT_DEFAULT, 'must be a whole number').pipe(z.int().min(1).max(PULL_LIMIT_MAX)),
  }),
);
export type PullQuery = z.output<typeof pullQuery>;

/** A document on the wire: the stored document plus RxDB's `_deleted`, which is always false from the server. */
export type WireDocument<T = Record<string, unknown>> = T & { _deleted: boolean };

/** Answer of `pull` and data of every stream event but the first. */
export interface ChangeBatch<T = Record<string, unknown>> {
  /** Oldest change first; each document in its latest state, at most once. */
  documents: WireDocument<T>[];
  /** The position of the last document; the request's own checkpoint when there is nothing new. */
  checkpoint: SyncCheckpoint;
  /** The request's checkpoint was from another history: this batch starts again from the beginning. */
  restarted?: boolean;
}

export const changeBatch = z.object({
  documents: z.array(z.looseObject({ uuid: z.string(), _deleted: z.boolean() })),
  checkpoint: syncCheckpoint,
  restarted: z.boolean().optional(),
});

const wireObject = z.record(z.string(), z.unknown());

/**
 * One row of `POST push`, as RxDB's replication sends it. `assumedMasterState` is the server state the client last
 * saw (absent or null for a document it created). The documents may carry RxDB's `_`-prefixed keys; the server
 * drops them (see `withoutReplicationKeys`), except that `_deleted: true` is refused: deletion is `is_deleted`.
 */
export const pushRow = z.object({
  assumedMasterState: wireObject.nullish().transform((value) => value ?? null),
  newDocumentState: z.looseObject({ uuid: z.string() }),
});
export type PushRow = z.output<typeof pushRow>;

export const pushRequest = z.array(pushRow).max(PUSH_MAX_ROWS);

/** A row the server will not store as sent; the client keeps its change and shows the reason. */
export interface RejectedRow {
  id: string;
  reason: string;
}

/** Answer of `push`: rows in neither list were stored (or were already stored exactly as sent). */
export interface PushResult<T = Record<string, unknown>> {
  /** The server's current documents for rows whose assumed state was not the server's. */
  conflicts: WireDocument<T>[];
  rejected: RejectedRow[];
}

export const pushResult = z.object({
  conflicts: z.array(z.looseObject({ uuid: z.string(), _deleted: z.boolean() })),
  rejected: z.array(z.object({ id: z.string(), reason: z.string() })),
});

/**
 * `GET stream` sends unnamed Server-Sent Events: first `data: RESYNC` (pull from your checkpoint until nothing is
 * left: changes made while you were away are not replayed on the stream), then one event per committed write
 * batch, whose data is a `ChangeBatch` in JSON. Comment lines are heartbeats. A batch may repeat documents a pull
 * already returned; applying it again changes nothing.
 */
export const RESYNC = 'RESYNC';

/** A stream event that only says the server is there: "Synced" is claimed only while heard. */
export const HEARTBEAT = 'HEARTBEAT';
export const HEARTBEAT_INTERVAL_S = 10;
/**
 * Seconds without a heartbeat (or any event) after which a device stops claiming "Synced": two missed heartbeats
 * and some slack, so a link that dies is said within 30 seconds whenever it dies.
 */
export const HEARTBEAT_TIMEOUT_S = 25;

/** Every sync answer carries the server's clock (epoch milliseconds), so devices can tell when theirs is wrong. */
export const SERVER_TIME_HEADER = 'x-server-time';

/** Keys that belong to the replication machinery, never to a stored document. */
export const isReplicationKey = (key: string) => key.startsWith('_');

export function withoutReplicationKeys(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !isReplicationKey(key)));
}

export const toWireDocument = <T extends object>(doc: T): WireDocument<T> => ({ ...doc, _deleted: false });

export const WHOAMI_PATH = `${SYNC_BASE}/whoami`;

/** `GET /sync/v1/whoami`: the token's name (the device's name in the audit log) and the centers it serves. */
export interface WhoAmI {
  name: string;
  admin: boolean;
  centers: { id: string; name: string }[];
}

export const whoAmI = z.object({
  name: z.string(),
  admin: z.boolean(),
  centers: z.array(z.object({ id: z.string(), name: z.string() })),
});

/** A push's refusal of a record outside the token's centers: the device no longer holds it (it moved, or never was its). */
export const OUT_OF_SCOPE = 'This record belongs to a center this device does not serve';
