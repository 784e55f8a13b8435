// Background sync: connects when the OS says it is online and the server answers, replicates the three
// collections, retries with exponential backoff and jitter (capped at a minute) forever, stops and says so when
// the server refuses the token, and keeps the status the screens show.
import { backOff } from 'exponential-backoff';
import type { Subscription } from 'rxjs';
import type { ConflictChoice, SyncStatus } from '../../shared/desktop';
import type { Repository } from '../../shared/repository';
import { fail, type Result } from '../../shared/result';
import { syncCollections, syncPath, type SyncCollection } from '../../shared/sync-protocol';
import { laterThan, now } from '../../shared/time';
import type { AppDatabase } from '../db/database';
import type { Log } from '../log';
import type { SettingsService } from '../settings';
import type { ConflictLog } from './conflict-log';
import { createSyncHttp, UnauthorizedError, UnreachableError, type SyncHttp } from './http';
import type { Outbox } from './outbox';
import { isHeldDeletes, isUnauthorized, replicate, type CollectionReplication, type HeldDeletes } from './replication';
import type { SyncService } from './sync-service';

export interface Network {
  /** What the operating system says; the server's answer decides the rest. */
  isOnline(): boolean;
}

export interface SyncEngineOptions {
  db: AppDatabase;
  repo: Repository;
  settings: SettingsService;
  outbox: Outbox;
  conflicts: ConflictLog;
  replicaId: string;
  network: Network;
  log: Log;
  /** Backoff between failed attempts: first delay and cap, in ms. */
  backoff?: { first: number; max: number };
}

const LAST_SYNCED = 'last-synced';
const ORPHAN = /^Learner with uuid (\w+) not found$/;

class Stopped extends Error {}

const RECOUNT_DELAY_MS = 100;

/** "Sync now" answers within this, whatever the network does. */
const SYNC_NOW_TIMEOUT_MS = 30_000;

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createSyncEngine(options: SyncEngineOptions): SyncService {
  const { db, repo, settings, outbox, conflicts, log, network } = options;
  const backoff = options.backoff ?? { first: 1_000, max: 60_000 };
  let status: SyncStatus = { state: 'connecting', lastSyncedAt: null, pending: 0, conflicts: 0, rejected: 0, error: null, heldDeletes: 0 };
  let deletesAllowed = false;
  const deletions = new Map<SyncCollection, number>();
  const listeners = new Set<(status: SyncStatus) => void>();
  let generation = 0;
  let session: { http: SyncHttp; replications: Map<SyncCollection, CollectionReplication>; subscriptions: Subscription[] } | undefined;

  const publish = (changes: Partial<SyncStatus>) => {
    status = { ...status, ...changes };
    for (const listener of listeners) listener({ ...status });
  };
  const refreshCounts = async () => {
    const [counts, open] = await Promise.all([outbox.counts(), conflicts.unresolvedCount()]);
    publish({ pending: counts.pending, rejected: counts.rejected, conflicts: open });
  };
  // A pull settles hundreds of outbox entries at once: count once after the burst, not once per entry.
  let recountTimer: NodeJS.Timeout | undefined;
  const recount = () => {
    recountTimer ??= setTimeout(() => {
      recountTimer = undefined;
      void refreshCounts().catch(() => {});
    }, RECOUNT_DELAY_MS);
  };
  const countSubscriptions = [db.sync_outbox.$.subscribe(recount), db.sync_conflicts.$.subscribe(recount)];

  async function stopSession() {
    const current = session;
    session = undefined;
    if (!current) return;
    current.subscriptions.forEach((s) => s.unsubscribe());
    await Promise.all([...current.replications.values()].map((r) => r.close().catch(() => {})));
  }

  /** A profile refused because its learner had not reached the server yet is sent again once the learner has. */
  async function retryOrphans() {
    for (const entry of await outbox.rejected('learner_profiles')) {
      const learnerId = entry.reason?.match(ORPHAN)?.[1];
      if (!learnerId || (await outbox.isPending('learners', learnerId))) continue;
      const doc = await db.learner_profiles.findOne(entry.uuid).exec();
      if (!doc) continue;
      const time = laterThan(doc.last_modified_time);
      await outbox.markPending([{ collection: 'learner_profiles', uuid: entry.uuid, last_modified_time: time }]);
      await doc.incrementalPatch({ last_modified_time: time });
    }
  }

  async function startSession(http: SyncHttp, mine: number) {
    const replications = new Map<SyncCollection, CollectionReplication>();
    const subscriptions: Subscription[] = [];
    session = { http, replications, subscriptions };
    const fail = (error: unknown) => {
      if (mine !== generation) return;
      if (isUnauthorized(error)) return void unauthorized();
      // Reported through onHeld already; not retried until the user confirms (or the server's data is put right).
      if (isHeldDeletes(error)) return;
      log.warn('sync failed; retrying', { error: error instanceof Error ? error.message : String(error) });
      void reconnect(mine, error instanceof Error ? error.message : String(error));
    };
    const active = new Map<SyncCollection, boolean>();
    for (const name of syncCollections) {
      const replication = replicate(name, db[name] as never, http, `learner-profiles/${name}/${http.baseUrl}/${options.replicaId}`, outbox, {
        onInvalid: (collection, id, problem) => {
          log.error('the server sent a document that fails validation', { collection, id, problem });
          publish({ state: 'error', error: `The server sent a ${collection === 'learners' ? 'learner' : collection === 'learner_profiles' ? 'profile' : 'catalog entry'} (${id}) that this app cannot accept: ${problem}` });
        },
        onUnauthorized: () => unauthorized(),
        deletesAllowed: () => deletesAllowed,
        deletions,
        onHeld: (held: HeldDeletes) => {
          if (mine !== generation) return;
          generation++;
          void stopSession();
          publish({ state: 'error', error: held.message, heldDeletes: held.count });
        },
        onPushed: (collection) => {
          if (collection === 'learners') void retryOrphans().catch(() => {});
        },
      });
      replications.set(name, replication);
      subscriptions.push(replication.state.error$.subscribe(fail));
      subscriptions.push(
        replication.state.active$.subscribe((isActive) => {
          active.set(name, isActive);
          if (mine !== generation || status.state === 'error') return;
          const busy = [...active.values()].some(Boolean);
          if (busy) publish({ state: 'syncing', error: null });
          else settled();
        }),
      );
    }
  }

  function settled() {
    const time = now();
    publish({ state: 'idle', lastSyncedAt: time, error: null, heldDeletes: 0 });
    void db.upsertLocal(LAST_SYNCED, { at: time }).catch(() => {});
  }

  function unauthorized() {
    generation++;
    void stopSession();
    publish({ state: 'unauthorized', error: 'The server refused this device’s token. Sync is stopped; your data stays on this device. Enter a new token in Settings.' });
  }

  /** Waits until the OS says online and the server answers with this token; then replicates. */
  async function connect(mine: number) {
    const connection = await settings.connection().catch((error: unknown) => {
      publish({ state: 'error', error: error instanceof Error ? error.message : String(error) });
      return null;
    });
    if (connection === null) return;
    if (!connection) return publish({ state: 'disabled', error: null });
    const http = createSyncHttp(connection.serverUrl, connection.token);
    publish({ state: 'connecting' });
    try {
      await backOff(
        async () => {
          if (mine !== generation) throw new Stopped();
          if (!network.isOnline()) throw new UnreachableError('this device is offline');
          // Reachable and accepting this token: a captive portal answers neither.
          await http.get(`${syncPath('achievements', 'pull')}?limit=1`);
        },
        {
          numOfAttempts: Number.MAX_SAFE_INTEGER,
          startingDelay: backoff.first,
          maxDelay: backoff.max,
          timeMultiple: 2,
          jitter: 'full',
          delayFirstAttempt: false,
          retry: (error: unknown) => {
            if (error instanceof Stopped || error instanceof UnauthorizedError || mine !== generation) return false;
            publish({ state: error instanceof UnreachableError ? 'offline' : 'error', error: error instanceof Error ? error.message : String(error) });
            return true;
          },
        },
      );
    } catch (error) {
      if (error instanceof UnauthorizedError) unauthorized();
      return;
    }
    if (mine !== generation) return;
    publish({ state: 'syncing', error: null });
    await startSession(http, mine);
    void retryOrphans().catch(() => {});
  }

  async function reconnect(mine: number, reason: string) {
    if (mine !== generation) return;
    const next = ++generation;
    await stopSession();
    publish({ state: 'offline', error: reason });
    await connect(next);
  }

  async function start() {
    const next = ++generation;
    await stopSession();
    await connect(next);
  }

  // Starting takes a moment (reading settings, the first probe); operations wait for it.
  const ready = (async () => {
    status.lastSyncedAt = (await db.getLocal<{ at: string }>(LAST_SYNCED))?.toJSON().data.at ?? null;
    await refreshCounts();
    const first = ++generation;
    const connection = await settings.connection().catch(() => undefined);
    if (!connection) return publish({ state: 'disabled' });
    void connect(first);
  })().catch((error: unknown) => log.error('sync could not start', { error: String(error) }));

  /** A full cycle (push, then pull to the end); answers within SYNC_NOW_TIMEOUT_MS whatever the network does. */
  async function syncNow(): Promise<SyncStatus> {
    await ready;
    if (!session) {
      if (status.state === 'disabled' || status.state === 'unauthorized') return { ...status };
      await start();
    }
    const current = session;
    if (!current) return { ...status };
    const inSync = () =>
      withTimeout(
        Promise.all([...current.replications.values()].map(async (r) => {
          await r.state.awaitInitialReplication();
          await r.state.awaitInSync();
        })),
        SYNC_NOW_TIMEOUT_MS,
        'sync did not finish in time; it goes on in the background',
      );
    try {
      for (const replication of current.replications.values()) replication.state.reSync();
      await inSync();
      await retryOrphans();
      for (const replication of current.replications.values()) replication.state.reSync();
      await inSync();
      if (session === current) settled();
    } catch (error) {
      log.warn('sync now failed', { error: String(error) });
    }
    await refreshCounts();
    return { ...status };
  }

  return {
    status: () => ({ ...status }),
    now: syncNow,
    conflicts: () => conflicts.list(),
    resolveConflict: async (id: string, choice: ConflictChoice): Promise<Result> => {
      const result = await conflicts.resolve(repo, id, choice);
      await refreshCounts();
      return result.status === 200 || result.status !== 404 ? result : fail(404, 'Conflict not found');
    },
    async recordStates(ids) {
      if (status.state === 'disabled') return Object.fromEntries(ids.map((id) => [id, 'pending' as const]));
      const conflicted = new Set((await conflicts.unresolved()).map((c) => c.documentId));
      return outbox.states(ids, conflicted);
    },
    async allowDeletes() {
      deletesAllowed = true;
      publish({ heldDeletes: 0, error: null });
      await start();
      const result = await syncNow();
      deletesAllowed = false;
      deletions.clear();
      return result;
    },
    restart: start,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await ready;
      generation++;
      countSubscriptions.forEach((s) => s.unsubscribe());
      clearTimeout(recountTimer);
      await stopSession();
    },
  };
}
