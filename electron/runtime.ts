// The app's life around its services, the same for the Electron shell and the browser preview. The one API table
// and the one change feed exist from the first moment, before the data can be opened: until the data key is had
// (from the keychain at once, or from the passphrase typed on the lock screen) only the lock screen's operations
// answer, and nothing else has started. Then the services start on the key, and the same table answers through them,
// behind the app lock. A restore closes the services, swaps the database and starts them again on it.
import { apiOperationIds, checkArgs, desktopContract, type ApiOperationId, type DesktopOperationId } from '../shared/contract';
import type { AppPhase, ChangeEvent } from '../shared/desktop';
import { messages } from '../shared/messages';
import { fail, internalError, ok, type Result } from '../shared/result';
import type { Api } from './api/api';
import { makeBackup } from './db/backups';
import { abandonRestore, prepareRestore, recordRestore, RestoreRefusedError } from './db/restore';
import { KeyUnavailableError, type DataKeys } from './keys/data-keys';
import { createAppLock, LOCK_EVENT, LOCK_SCREEN_OPERATIONS, LOCKED_MESSAGE, type AppLock } from './lock/app-lock';
import { canLock, createLockHandlers, type LockOperation } from './lock/lock-handlers';
import type { OutgoingFile } from './reports/deliveries';
import type { SecretBox } from './secrets';
import { startServices, type Services, type ServicesOptions } from './services';
import { MissingKeyError, WrongKeyError } from './storage';

export interface EventFeed {
  subscribe(listener: (events: ChangeEvent[]) => void): () => void;
}

export interface RuntimeOptions extends Omit<ServicesOptions, 'dataKey' | 'secrets' | 'lock' | 'restore'> {
  keys: DataKeys;
  /** The box that seals the device token, given the data key. */
  secrets: (dataKey: Uint8Array) => SecretBox;
  /** The lock's clock (tests move it). */
  clock?: () => number;
}

export interface AppRuntime {
  readonly api: Api;
  /** Change events for the screens: none while locked, a kiosk session's own only, and the lock's always. */
  readonly events: EventFeed;
  readonly lock: AppLock;
  phase(): AppPhase;
  /** The running services; undefined until the data is open (and while a backup is being restored). */
  services(): Services | undefined;
  /**
   * The report behind one of the preview's download links, once; a refusal while the data is closed or the app
   * locked (as every operation but the lock screen's is refused then).
   */
  takeDownload(token: string): OutgoingFile | Result | undefined;
  /** Keychain mode: opens the data with the keychain's key. */
  openWithKeychain(): Promise<Result>;
  /** Passphrase mode: opens the data with the passphrase (the first start: sets it). A wrong one changes nothing. */
  openWithPassphrase(passphrase: string): Promise<Result>;
  close(): Promise<void>;
}

const known = new Set<string>(apiOperationIds);

export function createRuntime(options: RuntimeOptions): AppRuntime {
  const { keys, log, dataDir } = options;
  const lock = createAppLock({ clock: options.clock });
  let phase: AppPhase = keys.mode === 'keychain' ? 'starting' : keys.needs() === 'new-passphrase' ? 'new-passphrase' : 'passphrase';
  let failure: string | null = null;
  let services: Services | undefined;
  let dataKey: Uint8Array | undefined;
  let detach: (() => void) | undefined;
  let opening: Promise<Result> | undefined;
  const listeners = new Set<(events: ChangeEvent[]) => void>();

  const announce = () => {
    for (const listener of listeners) listener([LOCK_EVENT]);
  };
  lock.onChange(announce);
  // A report waiting for the preview's download link holds personal data: locking forgets it.
  lock.onChange((locked) => {
    if (locked) services?.downloads.clear();
  });
  const setPhase = (next: AppPhase) => {
    phase = next;
    announce();
  };

  /** The idle lock runs only where something can unlock the app again, and never in kiosk mode. */
  async function refreshIdle(): Promise<void> {
    const running = services;
    if (!running) return;
    const minutes = (await canLock(running.lock)) ? (await running.settings.get()).autoLockMinutes : 0;
    if (lock.idleMinutes !== minutes) lock.setIdleMinutes(minutes);
  }

  function failureMessage(error: unknown): string {
    if (error instanceof WrongKeyError || error instanceof MissingKeyError) {
      return `The database in ${dataDir} is encrypted with another key than the one this device has (${keys.file}). Nothing was changed. If the key file was replaced or lost, put the right one back and start the app again.`;
    }
    if (error instanceof KeyUnavailableError) return error.message;
    return `The data could not be opened: ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`;
  }

  /** Starts the services on a key; the phase says how it went. */
  async function open(key: Uint8Array): Promise<Result> {
    setPhase('starting');
    try {
      services = await startServices({
        ...options,
        dataKey: key,
        secrets: options.secrets(key),
        lock: { gate: lock, keys },
        restore,
      });
    } catch (error) {
      // A key file this start wrote for a database that needs another key must not stay: it describes nothing.
      if (error instanceof WrongKeyError || error instanceof MissingKeyError) keys.discardCreated();
      failure = failureMessage(error);
      log.error('the data could not be opened', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      setPhase('failed');
      return fail(500, failure);
    }
    dataKey = key;
    const running = services;
    const unsubscribe = running.changes.subscribe((events) => {
      const visible = running.kiosk.visibleEvents(lock.visibleEvents(events));
      if (visible.length === 0) return;
      for (const listener of listeners) listener(visible);
    });
    running.settings.onChange(() => void refreshIdle());
    detach = unsubscribe;
    await refreshIdle();
    setPhase('running');
    return ok('The data is open', null);
  }

  async function restore(name: string): Promise<Result> {
    const running = services;
    if (!running || !dataKey) return fail(409, 'The data is not open');
    try {
      const summary = await prepareRestore(running.local.storage, dataDir, name);
      // The database as it is now: a restore can be undone by restoring this backup.
      await makeBackup(running.local.storage, dataDir, Number.POSITIVE_INFINITY);
      recordRestore(dataDir, name);
      setPhase('restoring');
      detach?.();
      services = undefined;
      await running.close().catch((error: unknown) => log.error('closing the database before a restore failed', { error: String(error) }));
      // Opening the database carries out the restore the journal describes (as it would after an interruption).
      const reopened = await open(dataKey);
      if (reopened.status !== 200) return reopened;
      log.warn('restored a backup; sync goes on under a new replica identity', { backup: name });
      return ok('The backup is restored', { backup: name, learners: summary?.counts.learners ?? null, profiles: summary?.counts.learner_profiles ?? null });
    } catch (error) {
      if (services) abandonRestore(dataDir);
      if (error instanceof RestoreRefusedError) return fail(409, error.message);
      throw error;
    }
  }

  const openOnce = (work: () => Promise<Result>): Promise<Result> => {
    // Two unlock attempts at once would open the database twice.
    if (opening) return Promise.resolve(fail(503, 'The app is opening its data; try again in a moment.'));
    opening = work().finally(() => (opening = undefined));
    return opening;
  };

  const openWithPassphrase = (passphrase: string): Promise<Result> =>
    openOnce(async () => {
      if (phase === 'new-passphrase') return open(await keys.create(passphrase));
      if (phase !== 'passphrase') return fail(409, 'The data is open already');
      const key = await keys.unlock(passphrase);
      // Nothing was opened or written: the passphrase's check value told it apart.
      if (!key) return fail(403, 'Wrong passphrase');
      return open(key);
    });

  const openWithKeychain = (): Promise<Result> =>
    openOnce(async () => {
      let key: Uint8Array;
      try {
        key = await keys.open();
      } catch (error) {
        failure = failureMessage(error);
        setPhase('failed');
        return fail(500, failure);
      }
      return open(key);
    });

  // Before the data is open: the lock screen's operations, without a staff PIN (it is kept in the database).
  const boot = createLockHandlers({
    lock,
    keys,
    kiosk: options.kiosk?.enabled ?? false,
    phase: () => phase,
    failure: () => failure,
    open: { withPassphrase: openWithPassphrase, create: openWithPassphrase },
  });

  async function beforeOpen(id: ApiOperationId, args: unknown): Promise<Result> {
    if (LOCK_SCREEN_OPERATIONS.has(id)) {
      const bad = checkArgs(desktopContract[id as DesktopOperationId].args, args);
      if (bad) return bad;
      return boot[id as LockOperation](...(args as unknown[]));
    }
    if (phase === 'starting') return fail(503, 'The app is opening its data; try again in a moment.');
    if (phase === 'restoring') return fail(503, 'A backup is being restored; try again in a moment.');
    if (phase === 'failed') return fail(503, failure ?? 'The data could not be opened.');
    return fail(403, LOCKED_MESSAGE);
  }

  const api: Api = {
    ids: apiOperationIds,
    async handle(id, args) {
      if (!known.has(id)) return fail(404, messages.notFound);
      const running = services;
      if (!running || phase !== 'running') {
        try {
          return await beforeOpen(id as ApiOperationId, args);
        } catch (error) {
          log.error('operation failed', { operation: id, error: error instanceof Error ? error.stack : String(error) });
          return internalError();
        }
      }
      const result = await running.api.handle(id, args);
      // A staff PIN set on a laptop is a way to unlock it: the idle lock may start.
      if (id === 'kiosk.setPin' && result.status === 200) void refreshIdle();
      return result;
    },
  };

  return {
    api,
    lock,
    events: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    phase: () => phase,
    services: () => services,
    takeDownload(token) {
      const running = services;
      // Kiosk mode makes no report files (report-handlers.ts): only the app lock has a say here.
      if (!running || phase !== 'running' || lock.locked) return fail(403, LOCKED_MESSAGE);
      return running.downloads.take(token);
    },
    openWithKeychain,
    openWithPassphrase,
    async close() {
      await opening?.catch(() => undefined);
      detach?.();
      lock.close();
      listeners.clear();
      const running = services;
      services = undefined;
      await running?.close();
    },
  };
}
