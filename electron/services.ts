// The main process's services, independent of Electron: the database, the API, the change feed, settings and
// sync, once the data key is had. The Electron shell and the browser preview both run exactly this (through
// runtime.ts, which gets the key and starts them, and starts them again after a restore).
import type { DeviceIdentity } from '../shared/desktop';
import type { Progress } from '../shared/progress';
import type { Result } from '../shared/result';
import { fail } from '../shared/result';
import type { SecretBox } from './secrets';
import type { Log } from './log';
import { createApi, type Api } from './api/api';
import { createDesktopHandlers } from './api/desktop-handlers';
import { createChangeFeed, type ChangeFeed } from './changes';
import { join } from 'node:path';
import { backupsFolder, listBackups, makeBackup, pruneBackups } from './db/backups';
import { pruneMovedAside } from './db/integrity';
import { openLocalDatabase, type LocalDatabase } from './db/open';
import { createKioskGate, type KioskGate } from './kiosk/kiosk-gate';
import { createKioskHandlers } from './kiosk/kiosk-handlers';
import { kioskStore } from './kiosk/kiosk-store';
import { createStaffPin } from './kiosk/staff-pin';
import type { DataKeys } from './keys/data-keys';
import { createAppLock, type AppLock } from './lock/app-lock';
import { createLockHandlers, type LockContext } from './lock/lock-handlers';
import { centerNamesOf } from './reports/centers';
import { DashboardIndex } from './reports/dashboard-index';
import { Downloads, type Deliver } from './reports/deliveries';
import { createReportHandlers } from './reports/report-handlers';
import { createSettings, type SettingsService } from './settings';
import type { EditClock } from '../shared/edits';
import { ConflictLog } from './sync/conflict-log';
import { createDeviceClock, type DeviceClock } from './sync/device-clock';
import type { LostValues } from './sync/conflict-handler';
import { createSyncEngine, type Network } from './sync/engine';
import { Outbox } from './sync/outbox';
import { replicaIdentity } from './sync/replica';
import type { SyncService } from './sync/sync-service';

/** Kiosk mode: two minutes without a touch or a key, and the screens start over for the next person. */
export const DEFAULT_KIOSK_IDLE_SECONDS = 120;

export interface ServicesOptions {
  dataDir: string;
  /** The data key (32 bytes): the database, its WAL and its backups are sealed with it. */
  dataKey: Uint8Array;
  secrets: SecretBox;
  log: Log;
  version: string;
  /** `center`: where a member of the public registers, on a device of several centers (KIOSK_CENTER). */
  kiosk?: { enabled: boolean; pin?: string; idleSeconds?: number; center?: string };
  /** Sync settings given at start (the preview's SYNC_URL and SYNC_TOKEN), as if the user had saved them. */
  initialSync?: { serverUrl?: string; token?: string; deviceName?: string };
  /** Staff ended kiosk mode (the shell quits). */
  onKioskExit?: () => void;
  /** The OS's word on connectivity (Electron's `net.isOnline`); the server's answer decides the rest. */
  network?: Network;
  /** Sync's retry delays (tests shorten them). */
  backoff?: { first: number; max: number };
  /** Settings given at start (the preview's AUTO_LOCK_MINUTES), as if the user had saved them. */
  initialSettings?: { autoLockMinutes?: number };
  /** The app lock, kept across restarts of the services by whoever runs them; an open one otherwise. */
  lock?: { gate: AppLock; keys?: Pick<DataKeys, 'mode' | 'checkPassphrase'> };
  /** Puts a backup in place of the database: these services are closed and new ones started on it. */
  restore?: (name: string) => Promise<Result>;
  /**
   * Where reports go: the app's save dialog (the one place they are written unencrypted: the file the user chose);
   * by default (the preview) one-time download links from `downloads`, held in memory only.
   */
  deliverFile?: Deliver;
  /** The app window's print view as a PDF (Electron only). */
  printToPdf?: () => Promise<Uint8Array>;
}

export interface Services {
  api: Api;
  changes: ChangeFeed;
  settings: SettingsService;
  sync: SyncService;
  local: LocalDatabase;
  kiosk: KioskGate;
  lock: LockContext;
  /** Reports waiting to be downloaded (the browser preview's way to hand over a file). */
  downloads: Downloads;
  close(): Promise<void>;
}

export async function startServices(options: ServicesOptions): Promise<Services> {
  const { dataDir, log } = options;
  const kioskEnabled = options.kiosk?.enabled ?? false;
  const idleSeconds = options.kiosk?.idleSeconds ?? DEFAULT_KIOSK_IDLE_SECONDS;
  // The conflict log, the outbox and the edit clock need the database, and the database's merges and writes need them.
  const late: { conflicts?: ConflictLog; outbox?: Outbox; clock?: DeviceClock; identity?: DeviceIdentity | null } = {};
  const pendingLost: LostValues[] = [];
  const editor: EditClock = {
    tick: () => late.clock!.tick(),
    observe: (time) => late.clock!.observe(time),
    get node() {
      return late.clock!.node;
    },
    get name() {
      return late.clock!.name;
    },
    get signature() {
      return late.clock!.signature;
    },
  };
  const local = await openLocalDatabase(dataDir, log, {
    key: options.dataKey,
    onLostValues: async (lost) => (late.conflicts ? late.conflicts.record(lost) : void pendingLost.push(lost)),
    outboxEntriesOf: Outbox.entriesFor,
    editor,
    // The device's centers as the server last said: a new learner goes to the only one, or to the one chosen.
    scope: () => (late.identity ? { admin: late.identity.admin, centers: late.identity.centers.map((center) => center.id) } : undefined),
    // Which document, never what it holds.
    onUnreadableDocument: (document) => log.error('a stored document could not be read (damaged or tampered with) and is left out', { ...document }),
  });
  const store = kioskStore(local.db);
  const pin = createStaffPin(store);
  if (kioskEnabled) {
    // Once provisioned, the stored hash is the PIN: KIOSK_PIN is read at the first start only.
    const provisioned = await pin.provision(options.kiosk?.pin).catch(async (error: unknown) => {
      await local.repo.close();
      throw error;
    });
    if (provisioned === 'kept' && options.kiosk?.pin) log.warn('KIOSK_PIN is ignored: this kiosk has a staff PIN already (staff change it in Settings)');
  }
  const kiosk = createKioskGate(kioskEnabled, idleSeconds, undefined, options.kiosk?.center);
  const settings = createSettings(local.db, options.secrets, { enabled: kioskEnabled, idleSeconds });
  const initial = options.initialSync;
  if (initial?.serverUrl || initial?.token || initial?.deviceName) {
    await settings.update({ serverUrl: initial.serverUrl, token: initial.token, deviceName: initial.deviceName });
  }
  if (options.initialSettings?.autoLockMinutes !== undefined) await settings.update({ autoLockMinutes: options.initialSettings.autoLockMinutes });
  const keep = (await settings.get()).backupsToKeep;
  pruneBackups(dataDir, keep);
  pruneMovedAside(local.file, keep);
  late.outbox = new Outbox(local.db);
  const replica = await replicaIdentity(local.db, dataDir);
  if (replica.renewed) log.warn('this database was restored or copied: it syncs under a new replica identity');
  const saved = await settings.get();
  let deviceName = saved.deviceName;
  late.identity = saved.identity;
  settings.onChange((current) => {
    deviceName = current.deviceName;
    late.identity = current.identity;
  });
  late.clock = await createDeviceClock(local.db, replica.id, () => deviceName, () => late.identity?.name);
  late.conflicts = new ConflictLog(local.db, late.clock);
  for (const lost of pendingLost.splice(0)) await late.conflicts.record(lost);
  const sync = createSyncEngine({
    db: local.db,
    repo: local.repo,
    settings,
    outbox: late.outbox,
    conflicts: late.conflicts,
    clock: late.clock,
    replicaId: replica.id,
    network: options.network ?? { isOnline: () => true },
    log,
    backoff: options.backoff,
  });
  const changes = createChangeFeed(local.db);
  sync.onStatus(() => changes.emit('sync'));
  const learners = local.repo.learners;
  const centerName = centerNamesOf(() => late.identity);
  const dashboard = new DashboardIndex(local.db, centerName);
  const downloads = new Downloads();
  // Long work reports between chunks: the screens see how far it is, and IPC and sync get their turn meanwhile.
  const report = async (progress: Progress) => {
    changes.report(progress);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const lockGate = options.lock?.gate ?? createAppLock();
  const lock: LockContext = {
    lock: lockGate,
    keys: options.lock?.keys,
    kiosk: kioskEnabled,
    phase: () => 'running',
    failure: () => null,
    pin: { verify: (candidate) => pin.verify(candidate), isSet: async () => (await store.read()).pin !== null },
    language: async () => (await settings.get()).language,
  };
  const desktop = {
    ...createDesktopHandlers({
      db: local.db,
      settings,
      sync,
      learners,
      backups: {
        async make() {
          const entry = await makeBackup(local.storage, dataDir, (await settings.get()).backupsToKeep);
          return { ...entry, path: join(backupsFolder(dataDir), entry.name) };
        },
        list: () => listBackups(local.storage, dataDir),
        restore: options.restore ?? (async () => fail(409, 'Restoring a backup is not available here')),
      },
      onSettingsSaved: () => void sync.restart().catch((error: unknown) => log.warn('sync did not restart', { error: String(error) })),
      info: { version: options.version, dataDir, databaseFile: local.file, movedAside: local.movedAside, restoredFrom: local.restoredFrom },
      dashboard,
    }),
    ...createKioskHandlers({ repo: local.repo, learners, gate: kiosk, pin, store, onExit: () => options.onKioskExit?.() }),
    ...createLockHandlers(lock),
    ...createReportHandlers({
      db: local.db,
      settings,
      learners,
      dashboard,
      centerName,
      report,
      deliver: options.deliverFile ?? downloads.deliver,
      printToPdf: options.printToPdf,
    }),
  };
  const api = createApi(local.repo, desktop, { lock: lockGate, kiosk }, log, report);
  log.info('services started', { dataDir });

  return {
    api,
    changes,
    settings,
    sync,
    local,
    kiosk,
    lock,
    downloads,
    async close() {
      changes.close();
      dashboard.close();
      downloads.clear();
      await sync.close();
      await local.repo.close();
      log.info('services stopped');
    },
  };
}
