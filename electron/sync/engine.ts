// Background sync: connects when the OS says it is online and the server answers, replicates the collections,
// retries with exponential backoff and jitter (capped at a minute) forever, stops and says so when the server
// refuses the token, and keeps the status the screens show. "Synced" is claimed only while the live stream is
// heard (a heartbeat at least every 15 s); after a full cycle the device and the server compare their records and
// repair what differs.
import { backOff } from 'exponential-backoff';
import type { RxCollection } from 'rxdb';
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import type { ConflictChoice, SyncStatus } from '../../shared/desktop';
import type { Repository } from '../../shared/repository';
import { fail, type Result } from '../../shared/result';
import { HEARTBEAT_TIMEOUT_S, syncCollections, syncPath, WHOAMI_PATH, whoAmI, type SyncCollection, type WhoAmI } from '../../shared/sync-protocol';
import { currentMillis, laterThan, now } from '../../shared/time';
import type { AppDatabase } from '../db/database';
import type { Log } from '../log';
import type { SettingsService } from '../settings';
import type { ConflictLog } from './conflict-log';
import { WRONG_CLOCK_MS, type DeviceClock } from './device-clock';
import { createSyncHttp, ServerError, UnauthorizedError, UnreachableError, type SyncHttp } from './http';
import type { Outbox } from './outbox';
import { createProfileCascade } from './profile-cascade';
import { isHeldDeletes, isUnauthorized, replicate, type CollectionReplication, type HeldDeletes } from './replication';
import { outsideScope, scopeChange, type Scope } from './scope';
import type { SyncService } from './sync-service';
import { verifyCollection } from './verify';

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
  clock: DeviceClock;
  replicaId: string;
  network: Network;
  log: Log;
  /** Backoff between failed attempts: first delay and cap, in ms. */
  backoff?: { first: number; max: number };
  /** How often a quiet stream is checked for its heartbeat (tests shorten it). */
  livenessCheckMs?: number;
}

const LAST_SYNCED = 'last-synced';
/** The centers this device's records were last checked against (see ./scope.ts). */
const SCOPE_CHECKED = 'scope-checked';
const ORPHAN = /^Learner with uuid (\w+) not found$/;

class Stopped extends Error {}

const RECOUNT_DELAY_MS = 100;
/** "Sync now" answers within this, whatever the network does. */
const SYNC_NOW_TIMEOUT_MS = 30_000;
/** Records are compared with the server's this often while connected, besides after every "Sync now". */
const VERIFY_EVERY_MS = 10 * 60_000;

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const clockTime = (time: string) => new Date(`${time.slice(0, 23).replace(' ', 'T')}Z`).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/** Every failure in words a counselor can act on; never a raw `fetch failed`. */
export function plainError(error: unknown, serverUrl?: string): string {
  const where = serverUrl ? ` at ${new URL(serverUrl).host}` : '';
  if (error instanceof UnreachableError || (error as { name?: string })?.name === 'UnreachableError') {
    return `Can't reach the server${where}. Your changes are kept on this device and sent when it answers again.`;
  }
  if (error instanceof ServerError) {
    if (error.status >= 500) return `The server${where} had a problem (it answered ${error.status}). Sync tries again by itself.`;
    return `The server${where} refused a request (${error.status}): ${error.message.replace(/^the server answered \d+: /, '')}`;
  }
  return 'Sync stopped on an unexpected problem and tries again by itself. If this stays, restart the app.';
}

export function createSyncEngine(options: SyncEngineOptions): SyncService {
  const { db, repo, settings, outbox, conflicts, clock, log, network } = options;
  const backoff = options.backoff ?? { first: 1_000, max: 60_000 };
  let status: SyncStatus = {
    state: 'connecting',
    lastSyncedAt: null,
    pending: 0,
    conflicts: 0,
    rejected: 0,
    error: null,
    heldDeletes: 0,
    offlineSince: null,
    clockWarning: clock.warning(),
    verifiedAt: null,
    repairs: 0,
    mismatch: null,
    movedAway: 0,
  };
  let deletesAllowed = false;
  const deletions = new Map<SyncCollection, number>();
  const listeners = new Set<(status: SyncStatus) => void>();
  let generation = 0;
  let serverUrl: string | undefined;
  let session:
    | { http: SyncHttp; replications: Map<SyncCollection, CollectionReplication>; subscriptions: Subscription[]; lastHeard: number; busy: boolean }
    | undefined;

  const publish = (changes: Partial<SyncStatus>) => {
    status = { ...status, ...changes, clockWarning: clock.warning() };
    for (const listener of listeners) listener({ ...status });
  };
  // Counts can overlap on a busy storage: one that started earlier but answers later must not undo a newer one.
  let countsStarted = 0;
  let countsPublished = 0;
  const refreshCounts = async () => {
    const mine = ++countsStarted;
    const [counts, open] = await Promise.all([outbox.counts(), conflicts.unresolvedCount()]);
    if (mine < countsPublished) return;
    countsPublished = mine;
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
  const countSubscriptions = [db.sync_outbox.$.subscribe(recount), db.conflicts.$.subscribe(recount)];

  const cascade = createProfileCascade(db, repo, conflicts, () => clock.node);
  const cascadeSubscription = cascade.watch((error) => log.warn('deleting profiles of deleted learners failed', { error: String(error) }));

  /** Offline since the server was last heard; said within the heartbeat timeout of losing it. */
  const wentQuiet = (since: number) => {
    publish({ state: 'offline', offlineSince: new Date(since).toISOString(), error: `Not hearing the server since ${clockTime(new Date(since).toISOString().replace('T', ' '))}. Reconnecting…` });
  };

  async function stopSession() {
    const current = session;
    session = undefined;
    if (!current) return;
    current.subscriptions.forEach((s) => s.unsubscribe());
    await Promise.all([...current.replications.values()].map((r) => r.close().catch(() => {})));
  }

  /** Sends this device's copies again: a write that changes nothing but the time, which replication then pushes. */
  async function resend(name: SyncCollection, ids: string[]) {
    if (name === 'achievements') return;
    // The server lacks what left this device's centers on purpose: such a record is taken off, not sent again.
    const replication = session?.replications.get(name);
    const gone = replication ? ids.filter((id) => replication.left.has(id)) : [];
    if (gone.length > 0) await replication!.purge(gone);
    const docs = await (db[name] as unknown as RxCollection<{ uuid: string; last_modified_time: string }>).findByIds(ids.filter((id) => !replication?.left.has(id))).exec();
    for (const doc of docs.values()) {
      if (name !== 'conflicts' && (await outbox.isPending(name, doc.uuid))) continue;
      const time = laterThan(doc.last_modified_time);
      if (name !== 'conflicts') await outbox.markPending([{ collection: name, uuid: doc.uuid, last_modified_time: time }]);
      await doc.incrementalPatch({ last_modified_time: time });
    }
  }

  /** Edits the server refused for a fast clock get times from the corrected clock, and go again. */
  async function redate(name: SyncCollection, ids: string[]) {
    if (name === 'achievements') return;
    // Times the server would refuse (over its 5 minutes' margin), against the corrected clock.
    const limit = currentMillis() + WRONG_CLOCK_MS - 60_000;
    const docs = await (db[name] as unknown as RxCollection<Record<string, unknown> & { uuid: string }>).findByIds(ids).exec();
    for (const doc of docs.values()) {
      await doc.incrementalModify((latest) => {
        const data = latest as unknown as { sync: { times: Record<string, string> }; last_modified_time: string; created_time: string };
        const time = clock.tick();
        const times = Object.fromEntries(Object.entries(data.sync.times).map(([field, t]) => [field, Date.parse(t.slice(0, 24)) > limit ? time : t]));
        const lmt = now();
        return { ...latest, sync: { ...data.sync, times }, last_modified_time: lmt, created_time: data.created_time > lmt ? lmt : data.created_time } as typeof latest;
      });
      if (name !== 'conflicts') await outbox.markPending([{ collection: name, uuid: doc.uuid, last_modified_time: (doc.getLatest().toJSON() as unknown as { last_modified_time: string }).last_modified_time }]);
    }
  }

  /**
   * A profile refused because its learner had not reached the server yet is sent again once the learner has
   * (`resend`); one refused because its learner was deleted meanwhile is deleted here (see ./profile-cascade.ts).
   */
  async function retryOrphans({ resend = true } = {}) {
    const orphans = (await outbox.rejected('learner_profiles')).filter((entry) => entry.reason?.match(ORPHAN));
    if (orphans.length === 0) return;
    const learners = new Map((await repo.getLearners(orphans.map((entry) => entry.reason!.match(ORPHAN)![1]!))).map((learner) => [learner.uuid, learner]));
    const ready: string[] = [];
    const gone: string[] = [];
    for (const entry of orphans) {
      const learnerId = entry.reason!.match(ORPHAN)![1]!;
      if (learners.get(learnerId)?.is_deleted) gone.push(entry.uuid);
      else if (resend && !(await outbox.isPending('learners', learnerId))) ready.push(entry.uuid);
    }
    if (gone.length > 0) await cascade.settle(gone, new Set(gone));
    for (const uuid of ready) {
      const doc = await db.learner_profiles.findOne(uuid).exec();
      if (!doc) continue;
      const time = laterThan(doc.last_modified_time);
      await outbox.markPending([{ collection: 'learner_profiles', uuid, last_modified_time: time }]);
      await doc.incrementalPatch({ last_modified_time: time });
    }
  }

  async function verify(repair = true): Promise<void> {
    const current = session;
    if (!current || current.busy) return;
    current.busy = true;
    try {
      const { pending } = await outbox.counts();
      // Changes still on their way make the two sides differ on purpose: compare once they are through.
      if (pending > 0) return;
      let repaired = 0;
      let differing = 0;
      for (const name of syncCollections) {
        const replication = current.replications.get(name);
        if (!replication) continue;
        const outcome = await verifyCollection(
          current.http,
          {
            name,
            collection: db[name] as unknown as RxCollection,
            apply: async (documents) => replication.inject(documents as never),
            resend: (ids) => resend(name, ids),
          },
          repair,
        );
        repaired += outcome.repaired;
        differing += outcome.buckets;
      }
      if (session !== current) return;
      if (differing === 0) publish({ verifiedAt: now(), mismatch: null });
      else if (repair) publish({ repairs: status.repairs + 1 });
      else publish({ mismatch: `Some records on this device differ from the server's (${differing} group${differing === 1 ? '' : 's'}). Sync keeps repairing them.` });
      if (repaired > 0) log.warn('records differed from the server and were repaired', { repaired });
    } catch (error) {
      log.warn('comparing records with the server failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      current.busy = false;
    }
  }

  async function startSession(http: SyncHttp, mine: number) {
    const replications = new Map<SyncCollection, CollectionReplication>();
    const subscriptions: Subscription[] = [];
    const current = { http, replications, subscriptions, lastHeard: Date.now(), busy: false };
    session = current;
    const fail = (error: unknown) => {
      if (mine !== generation) return;
      if (isUnauthorized(error)) return void unauthorized();
      // Reported through onHeld already; not retried until the user confirms (or the server's data is put right).
      if (isHeldDeletes(error)) return;
      log.warn('sync failed; retrying', { error: error instanceof Error ? error.message : String(error) });
      void reconnect(mine, plainError(error, serverUrl));
    };
    const active = new Map<SyncCollection, boolean>();
    for (const name of syncCollections) {
      const replication = replicate(name, db[name] as never, http, `learner-profiles/${name}/${http.baseUrl}/${options.replicaId}`, outbox, {
        onInvalid: (collection, id, problem) => {
          log.error('the server sent a document that fails validation', { collection, id, problem });
          const what = collection === 'learners' ? 'learner' : collection === 'learner_profiles' ? 'profile' : collection === 'conflicts' ? 'conflict log entry' : 'catalog entry';
          publish({ state: 'error', error: `The server sent a ${what} (${id}) that this app cannot accept: ${problem}. Update the app, or ask your administrator.` });
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
          // Only a learner's arrival is worth sending its profiles again; a refused profile may have lost its learner.
          void retryOrphans({ resend: collection === 'learners' }).catch(() => {});
        },
        onClockRefused: (collection, ids) => void redate(collection, ids).catch((error: unknown) => log.warn('re-dating refused changes failed', { error: String(error) })),
        onStreamLost: () => {
          // A stream that broke may mean the server went away: ask it at once rather than wait for the heartbeat.
          void http.get(`${syncPath('achievements', 'pull')}?limit=1`).catch((error: unknown) => {
            if (mine !== generation || !(error instanceof UnreachableError || error instanceof ServerError)) return;
            wentQuiet(current.lastHeard);
            void reconnect(mine, plainError(error, serverUrl));
          });
        },
        onHeard: () => {
          current.lastHeard = Date.now();
          if (status.state === 'offline' && mine === generation && ![...active.values()].some(Boolean)) settled();
        },
        observe: (time) => clock.observe(time),
        onRestarted: () => {
          log.warn('the server answered from another history (restored from a backup?): comparing records');
          setTimeout(() => void verify(), 1_000).unref();
        },
        onServerBehind: (collection, ids) => void resend(collection, ids).catch(() => {}),
        onMovedAway: (count) => {
          log.warn("changes to records outside this device's centers could not be sent", { count });
          publish({ movedAway: status.movedAway + count });
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

  /** Nothing left to send or fetch: "Synced", if the server is being heard right now. */
  function settled() {
    const current = session;
    if (!current) return;
    if (Date.now() - current.lastHeard > HEARTBEAT_TIMEOUT_S * 1000) return wentQuiet(current.lastHeard);
    const time = now();
    publish({ state: 'idle', lastSyncedAt: time, error: null, heldDeletes: 0, offlineSince: null });
    void db.upsertLocal(LAST_SYNCED, { at: time }).catch(() => {});
  }

  // The stream's heartbeat: a server that stops answering (or a link that silently died) is noticed within the
  // heartbeat timeout, and the session starts again.
  const liveness = setInterval(() => {
    const current = session;
    if (!current || status.state === 'error' || status.state === 'unauthorized') return;
    if (Date.now() - current.lastHeard > HEARTBEAT_TIMEOUT_S * 1000) {
      wentQuiet(current.lastHeard);
      void reconnect(generation, status.error ?? 'Reconnecting…');
    }
  }, options.livenessCheckMs ?? 5_000);
  liveness.unref();
  const verifier = setInterval(() => void verify(), VERIFY_EVERY_MS);
  verifier.unref();

  function unauthorized() {
    generation++;
    void stopSession();
    publish({ state: 'unauthorized', error: 'The server refused this device’s token. Sync is stopped; your data stays on this device. Enter a new token in Settings.' });
  }

  /** Waits until the OS says online and the server answers with this token; then replicates. */
  async function connect(mine: number, since?: number) {
    const connection = await settings.connection().catch((error: unknown) => {
      publish({ state: 'error', error: error instanceof Error ? error.message : String(error) });
      return null;
    });
    if (connection === null) return;
    if (!connection) return publish({ state: 'disabled', error: null, offlineSince: null });
    serverUrl = connection.serverUrl;
    const http = createSyncHttp(connection.serverUrl, connection.token, (serverMillis, roundTrip) => {
      clock.heardServerTime(serverMillis, roundTrip);
      if ((status.clockWarning ?? null) !== clock.warning()) publish({});
    });
    const quietSince = since ?? Date.now();
    publish({ state: 'connecting' });
    let identity: WhoAmI | undefined;
    try {
      await backOff(
        async () => {
          if (mine !== generation) throw new Stopped();
          if (!network.isOnline()) throw new UnreachableError('this device is offline');
          // Reachable and accepting this token (a captive portal answers neither), and who the server says we are:
          // the name our changes are signed with, the centers whose learners this device holds.
          const answer = whoAmI.safeParse(await http.get(WHOAMI_PATH));
          if (!answer.success) throw new Error('the server did not say who this device is');
          await settings.setIdentity(answer.data);
          identity = answer.data;
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
            const offline = error instanceof UnreachableError;
            publish({
              state: offline ? 'offline' : 'error',
              offlineSince: new Date(quietSince).toISOString(),
              error: offline && !network.isOnline() ? 'This device is offline. Your changes are kept here and sent when it is back online.' : plainError(error, connection.serverUrl),
            });
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
    if (identity) void keepToScope(identity).catch((error: unknown) => log.warn("taking other centers' records off this device failed", { error: String(error) }));
    void retryOrphans().catch(() => {});
  }

  /** Takes off this device the records of centers its token does not serve, once for each narrower scope. */
  async function keepToScope(identity: WhoAmI) {
    const current = session;
    if (!current) return;
    // Once the replications have run a first cycle (what they are handed before that is not seen), unless the session
    // ends first: a replication stopped before its first cycle never says it had one.
    const replications = [...current.replications.values()];
    const unlessEnded = (wait: (replication: CollectionReplication) => Promise<unknown>) =>
      Promise.race([
        Promise.all(replications.map(wait)),
        ...replications.map((replication) => firstValueFrom(replication.state.canceled$.pipe(filter(Boolean)))),
      ]);
    await unlessEnded((replication) => replication.state.awaitInitialReplication());
    if (session !== current) return;
    const scope: Scope = { admin: identity.admin, centers: identity.centers.map((center) => center.id).sort() };
    const checked = (await db.getLocal<Scope>(SCOPE_CHECKED))?.toJSON().data;
    const change = scopeChange(checked, scope);
    if (change.narrowed) {
      const outside = await outsideScope(db, scope);
      for (const [name, uuids] of Object.entries(outside) as [SyncCollection, string[]][]) {
        if (session !== current) return;
        if (uuids.length > 0) await current.replications.get(name)?.purge(uuids);
      }
      const count = outside.learners?.length ?? 0;
      if (count > 0) {
        log.info("records of centers this device does not serve were taken off it", { learners: count });
        // Recorded as checked only once they are gone: a stop before that checks again at the next connection.
        await unlessEnded((replication) => replication.state.awaitInSync());
        if (session !== current || Object.keys(await outsideScope(db, scope)).length > 0) return;
      }
    }
    if (JSON.stringify(checked) !== JSON.stringify(scope)) await db.upsertLocal(SCOPE_CHECKED, scope);
    // The added centers' records older than the checkpoint come from the comparison with the server, at once.
    if (change.widened && checked) await verify();
  }

  async function reconnect(mine: number, reason: string) {
    if (mine !== generation) return;
    const next = ++generation;
    const since = session?.lastHeard ?? Date.now();
    await stopSession();
    publish({ state: 'offline', error: reason, offlineSince: status.offlineSince ?? new Date(since).toISOString() });
    await connect(next, since);
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

  /** A full cycle (push, then pull to the end, then a comparison); answers within SYNC_NOW_TIMEOUT_MS. */
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
      // A pull that answered means the server is there now, whatever the stream last said.
      current.lastHeard = Date.now();
      if (session === current) settled();
      await verify();
      if (status.repairs > 0 && session === current) {
        for (const replication of current.replications.values()) replication.state.reSync();
        await inSync();
        await verify(false);
      }
    } catch (error) {
      log.warn('sync now failed', { error: String(error) });
    }
    await refreshCounts();
    return currentStatus();
  }

  /** "Synced" is true now, or not said: the server was heard within the heartbeat timeout. */
  const currentStatus = (): SyncStatus => {
    const current = session;
    if (status.state === 'idle' && current && Date.now() - current.lastHeard > HEARTBEAT_TIMEOUT_S * 1000) {
      return { ...status, state: 'offline', offlineSince: new Date(current.lastHeard).toISOString(), error: 'Not hearing the server. Reconnecting…' };
    }
    return { ...status };
  };

  return {
    status: currentStatus,
    now: syncNow,
    conflicts: () => conflicts.list(),
    resolveConflict: async (id: string, choice: ConflictChoice): Promise<Result> => {
      const result = await conflicts.resolve(repo, id, choice);
      await refreshCounts();
      return result.status === 200 || result.status !== 404 ? result : fail(404, 'Conflict not found');
    },
    async recordStates(ids) {
      if (status.state === 'disabled') return Object.fromEntries(ids.map((id) => [id, 'pending' as const]));
      return outbox.states(ids, await conflicts.unresolvedRecords());
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
      clearInterval(liveness);
      clearInterval(verifier);
      countSubscriptions.forEach((s) => s.unsubscribe());
      cascadeSubscription.unsubscribe();
      clearTimeout(recountTimer);
      await stopSession();
      await clock.save().catch(() => {});
    },
  };
}
