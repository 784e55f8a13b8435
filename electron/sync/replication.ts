// One collection's RxDB replication against the central server: pull (validated: a document that fails the shared
// schema stops the checkpoint just before it; merged with this device's copy by field edit time, so a pull never
// takes back an edit the device holds), push (each row settled, refused or in conflict) and the live stream.
import { EventSource } from 'eventsource';
import isEqual from 'fast-deep-equal';
import { Subject } from 'rxjs';
import type { RxCollection, RxReplicationPullStreamItem } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { z } from 'zod';
import { mergeByFieldTime, type SyncedDoc } from '../../shared/merge';
import { storedAchievement } from '../../shared/schemas/achievement';
import { storedConflict } from '../../shared/schemas/conflict';
import { storedLearner } from '../../shared/schemas/learner';
import { storedProfile } from '../../shared/schemas/profile';
import {
  changeBatch,
  HEARTBEAT,
  OUT_OF_SCOPE,
  pushResult,
  RESYNC,
  syncPath,
  withoutReplicationKeys,
  type SyncCheckpoint,
  type SyncCollection,
} from '../../shared/sync-protocol';
import { UnauthorizedError, type SyncHttp } from './http';
import type { Outbox } from './outbox';

const schemas: Record<SyncCollection, z.ZodType> = {
  learners: storedLearner,
  learner_profiles: storedProfile,
  achievements: storedAchievement,
  conflicts: storedConflict,
};

export const PULL_BATCH = 500;
export const PUSH_BATCH = 100;

type Doc = Record<string, unknown> & { uuid: string; last_modified_time: string };

/** A pull would delete most of this device's records at once: held until the user confirms. */
export class HeldDeletes extends Error {
  override name = 'HeldDeletes';
  readonly count: number;
  constructor(count: number, live: number, collection: SyncCollection) {
    super(`The server would delete ${count} of the ${live} ${collection === 'learners' ? 'learners' : 'learner profiles'} on this device. Nothing was deleted; confirm in Settings if this is expected.`);
    this.count = count;
  }
}

/** More deletions than this share of the live records, in one pull, are held (and never fewer than the minimum). */
const MASS_DELETE_SHARE = 0.5;
const MASS_DELETE_MINIMUM = 20;

export interface ReplicationHooks {
  /** A pulled document failed validation: sync reports it and does not move past it. */
  onInvalid(collection: SyncCollection, id: string, problem: string): void;
  onUnauthorized(): void;
  /** Rows the server stored; rows it refused are recorded in the outbox. */
  onPushed(collection: SyncCollection): void;
  /** Rows the server refused because this device's clock is ahead: dated again once the clock is corrected. */
  onClockRefused(collection: SyncCollection, ids: string[]): void;
  /** Whether the user has confirmed mass deletions. */
  deletesAllowed(): boolean;
  /** Deletions already applied by this session's pulls, per collection: a purge arriving one by one adds up. */
  deletions: Map<SyncCollection, number>;
  onHeld(held: HeldDeletes): void;
  /** The stream said something (a batch, RESYNC, a heartbeat): the server is there. */
  onHeard(): void;
  /** The stream broke (it reconnects by itself); the server may be gone. */
  onStreamLost(): void;
  /** Edit times seen in pulled documents: this device's next edits come after them. */
  observe(time: string): void;
  /** The server answered from another history (restored from a backup): its records need comparing. */
  onRestarted(collection: SyncCollection): void;
  /** Documents this device holds newer edits of than the server: to be sent again. */
  onServerBehind(collection: SyncCollection, ids: string[]): void;
  /** Changes waiting here for records outside this device's centers (moved away, or a new token's scope): dropped. */
  onMovedAway(count: number): void;
}

export interface CollectionReplication {
  state: RxReplicationState<Doc, SyncCheckpoint>;
  /** Hands documents to the replication as if pulled (a repair), keeping the checkpoint. */
  inject(documents: Doc[]): void;
  /**
   * Takes these records off this device, as the server's word that they are outside its centers: whatever waits to
   * be sent for them is dropped (and counted), and they are not sent again by a repair.
   */
  purge(uuids: string[]): Promise<void>;
  /** Records the server said are outside this device's centers, in this session (until one is pulled again). */
  readonly left: ReadonlySet<string>;
  close(): Promise<void>;
}

function validated(collection: SyncCollection, doc: Record<string, unknown>) {
  const parsed = schemas[collection].safeParse(withoutReplicationKeys(doc));
  return parsed.success ? { ok: true as const, doc: parsed.data as Doc } : { ok: false as const, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

const merged = (name: SyncCollection) => name !== 'achievements';

/**
 * What a pull may write here: the server's document, merged with this device's copy by field edit time. A late
 * stream event, or a server restored from an older backup, can deliver a state older than one this device holds:
 * the device keeps its newer edits, and the ids whose server copy lacks them are returned to be sent again.
 */
async function mergeWithLocal(collection: RxCollection, documents: Doc[], observe: (time: string) => void): Promise<{ documents: Doc[]; behind: string[] }> {
  const local = await collection.findByIds(documents.map((doc) => doc.uuid)).exec();
  const behind: string[] = [];
  const out = documents.map((doc) => {
    for (const time of Object.values((doc as unknown as SyncedDoc).sync?.times ?? {})) observe(time);
    const mine = local.get(doc.uuid)?.toJSON() as unknown as SyncedDoc | undefined;
    if (!mine?.sync) return doc;
    const result = mergeByFieldTime(undefined, mine, doc as unknown as SyncedDoc).merged as unknown as Doc;
    if (isEqual(result.sync, (doc as unknown as SyncedDoc).sync)) return doc;
    behind.push(doc.uuid);
    return { ...result, created_time: doc.created_time };
  });
  return { documents: out, behind };
}

export function replicate(
  name: SyncCollection,
  collection: RxCollection,
  http: SyncHttp,
  identity: string,
  outbox: Outbox,
  hooks: ReplicationHooks,
): CollectionReplication {
  const stream$ = new Subject<RxReplicationPullStreamItem<Doc, SyncCheckpoint>>();
  let lastCheckpoint: SyncCheckpoint = { seq: 0 };
  const left = new Set<string>();
  const arrived = (documents: Doc[]) => {
    for (const doc of documents) left.delete(doc.uuid);
  };

  const events = new EventSource(`${http.baseUrl}${syncPath(name, 'stream')}`, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...http.headers } }),
  });
  events.onmessage = (event) => {
    hooks.onHeard();
    if (event.data === HEARTBEAT) return;
    if (event.data === RESYNC) return stream$.next(RESYNC);
    const batch = changeBatch.safeParse(JSON.parse(event.data));
    // Anything doubtful on the stream is fetched again through pull, where every rule applies; so are deletions,
    // which pull counts against the mass-deletion guard.
    if (!batch.success || batch.data.documents.some((doc) => !validated(name, doc).ok || doc.is_deleted === true)) return stream$.next(RESYNC);
    const documents = batch.data.documents.map((doc) => doc as unknown as Doc);
    const checkpoint = batch.data.checkpoint;
    void (merged(name) ? mergeWithLocal(collection, documents, hooks.observe) : Promise.resolve({ documents, behind: [] })).then(
      (result) => {
        if (result.behind.length > 0) hooks.onServerBehind(name, result.behind);
        arrived(result.documents);
        stream$.next({ documents: result.documents.map((doc) => ({ ...doc, _deleted: false })), checkpoint });
      },
      () => stream$.next(RESYNC),
    );
  };
  events.onerror = (event) => {
    if ((event as { code?: number }).code === 401) hooks.onUnauthorized();
    else hooks.onStreamLost();
  };

  const state = replicateRxCollection<Doc, SyncCheckpoint>({
    collection: collection as unknown as RxCollection<Doc>,
    replicationIdentifier: identity,
    live: true,
    retryTime: 5_000,
    waitForLeadership: false,
    pull: {
      batchSize: PULL_BATCH,
      stream$: stream$.asObservable(),
      async handler(checkpoint, batchSize) {
        const from = checkpoint ?? { seq: 0 };
        // `xid` always, even 0: a pull without it is answered in the shape of builds that predate it.
        const params = new URLSearchParams({ checkpoint: String(from.seq), xid: String(from.xid ?? 0), limit: String(batchSize) });
        if (from.epoch) params.set('epoch', from.epoch);
        if (from.generation !== undefined) params.set('generation', String(from.generation));
        const batch = changeBatch.parse(await http.get(`${syncPath(name, 'pull')}?${params}`));
        if (batch.restarted) hooks.onRestarted(name);
        const documents: Doc[] = [];
        // Records that left this device's centers (moved elsewhere): purged here, which is no one's delete.
        const exits: string[] = [];
        let stopAt: SyncCheckpoint | undefined;
        for (const raw of batch.documents) {
          if (raw._deleted === true) {
            exits.push(raw.uuid);
            continue;
          }
          const result = validated(name, raw);
          if (!result.ok) {
            hooks.onInvalid(name, String(raw.uuid), result.problem);
            // Keep what came before it, and stay at the old checkpoint: the bad document is asked for again.
            stopAt = batch.restarted ? { seq: 0, epoch: batch.checkpoint.epoch, generation: batch.checkpoint.generation } : from;
            break;
          }
          documents.push(result.doc);
        }
        if (name === 'learners' || name === 'learner_profiles') {
          const flips = await deletionFlips(collection, documents);
          const before = hooks.deletions.get(name) ?? 0;
          if (!hooks.deletesAllowed()) {
            const held = await guardDeletes(name, collection, flips, before);
            if (held) {
              hooks.onHeld(held);
              throw held;
            }
          }
          hooks.deletions.set(name, before + flips);
          await outbox.settleMany(name, documents);
        }
        const { documents: toWrite, behind } = merged(name) ? await mergeWithLocal(collection, documents, hooks.observe) : { documents, behind: [] };
        if (behind.length > 0) hooks.onServerBehind(name, behind);
        lastCheckpoint = stopAt ?? batch.checkpoint;
        // A purge is the master's copy deleted, which RxDB applies here without sending anything back.
        arrived(toWrite);
        await forgetUnsent(exits);
        const purged = exits.length === 0 ? [] : [...(await collection.findByIds(exits).exec()).values()].map((doc) => doc.toJSON() as unknown as Doc);
        return {
          documents: [...toWrite.map((doc) => ({ ...doc, _deleted: false })), ...purged.map((doc) => ({ ...doc, _deleted: true }))],
          checkpoint: lastCheckpoint,
        };
      },
    },
    push:
      name === 'achievements'
        ? undefined
        : {
            batchSize: PUSH_BATCH,
            async handler(rows) {
              const body = rows.map((row) => ({
                assumedMasterState: row.assumedMasterState ? withoutReplicationKeys(row.assumedMasterState) : null,
                newDocumentState: withoutReplicationKeys(row.newDocumentState),
              }));
              const result = pushResult.parse(await http.post(syncPath(name, 'push'), body));
              const conflicts = new Set(result.conflicts.map((doc) => doc.uuid));
              const rejected = new Map(result.rejected.map((row) => [row.id, row.reason]));
              const clockRefused = result.rejected.filter((row) => row.reason.startsWith("This device's clock is")).map((row) => row.id);
              if (clockRefused.length > 0) hooks.onClockRefused(name, clockRefused);
              // A change made here to a record that has since left this device's centers: it cannot be sent, so it is
              // dropped now; the record itself goes once this push is settled (a pull's purge is not applied to a
              // record while a change of it is on its way).
              const outOfScope = result.rejected.filter((row) => row.reason === OUT_OF_SCOPE).map((row) => row.id);
              if (outOfScope.length > 0) {
                await forgetUnsent(outOfScope);
                setTimeout(() => void dropHeld(outOfScope), 0);
              }
              if (name !== 'conflicts') {
                for (const row of rows) {
                  const doc = row.newDocumentState;
                  const reason = rejected.get(doc.uuid);
                  if (reason !== undefined && reason !== OUT_OF_SCOPE) await outbox.reject(name, doc.uuid, doc.last_modified_time, reason);
                }
                await outbox.settleMany(
                  name,
                  rows.map((row) => row.newDocumentState).filter((doc) => !rejected.has(doc.uuid) && !conflicts.has(doc.uuid)),
                );
              }
              hooks.onPushed(name);
              return result.conflicts.flatMap((doc) => {
                const checked = validated(name, doc);
                return checked.ok ? [{ ...checked.doc, _deleted: false }] : [];
              });
            },
          },
  });

  /** Records outside this device's centers: what waits to be sent for them never will be. */
  async function forgetUnsent(uuids: string[]) {
    for (const uuid of uuids) left.add(uuid);
    if (uuids.length === 0 || name === 'achievements' || name === 'conflicts') return;
    const unsent = await outbox.forget(name, uuids);
    if (unsent > 0) hooks.onMovedAway(unsent);
  }

  /** Takes these records off this device as a pull's purge does (the master's copy deleted, nothing sent back). */
  async function dropHeld(uuids: string[]) {
    if (stream$.closed) return;
    const held = [...(await collection.findByIds(uuids).exec()).values()].map((doc) => doc.toJSON() as unknown as Doc);
    if (held.length === 0 || stream$.closed) return;
    stream$.next({ documents: held.map((doc) => ({ ...doc, _deleted: true })), checkpoint: lastCheckpoint });
  }

  return {
    state,
    inject(documents) {
      arrived(documents);
      stream$.next({ documents: documents.map((doc) => ({ ...doc, _deleted: false })), checkpoint: lastCheckpoint });
    },
    async purge(uuids) {
      await forgetUnsent(uuids);
      await dropHeld(uuids);
    },
    left,
    async close() {
      events.close();
      stream$.complete();
      await state.cancel();
    },
  };
}

/** How many live local records these pulled documents would delete. */
async function deletionFlips(collection: RxCollection, documents: Doc[]): Promise<number> {
  const deleted = documents.filter((doc) => doc.is_deleted === true).map((doc) => doc.uuid);
  if (deleted.length === 0) return 0;
  const local = await collection.findByIds(deleted).exec();
  return deleted.filter((uuid) => (local.get(uuid) as { is_deleted?: boolean } | undefined)?.is_deleted === false).length;
}

async function guardDeletes(name: SyncCollection, collection: RxCollection, flips: number, already: number): Promise<HeldDeletes | undefined> {
  const total = flips + already;
  if (flips === 0 || total < MASS_DELETE_MINIMUM) return undefined;
  const live = await collection.count({ selector: { is_deleted: false } }).exec();
  return total > (live + already) * MASS_DELETE_SHARE ? new HeldDeletes(total, live + already, name) : undefined;
}

const causes = (error: unknown): unknown[] => {
  const found: unknown[] = [];
  let cause: unknown = error;
  for (let depth = 0; depth < 6 && cause; depth++) {
    found.push(cause);
    cause = (cause as { parameters?: { errors?: unknown[] } }).parameters?.errors?.[0] ?? (cause as { cause?: unknown }).cause;
  }
  return found;
};

const named = (name: string) => (error: unknown) => causes(error).some((c) => c instanceof Error ? c.name === name : (c as { name?: string }).name === name);
export const isHeldDeletes = named('HeldDeletes');
export const isUnauthorized = named(new UnauthorizedError().name);
