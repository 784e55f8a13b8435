// The app lock, applied in the main process to every call, whatever the caller (IPC or the preview's bridge): while
// locked, only the lock screen's own operations run and every other answers 403; no change event reaches the
// screens but the lock's own. It locks on "Lock now", and by itself after a while without a touch from the person at
// the screen (the renderer reports activity; the main process keeps its own clock, so a renderer that stops
// reporting cannot keep the app open).
import type { ApiOperationId } from '../../shared/contract';
import type { ChangeEvent } from '../../shared/desktop';
import { fail, type Result } from '../../shared/result';

export const LOCKED_MESSAGE = 'The app is locked. Unlock it with the passphrase or the staff PIN.';

/** What the lock screen needs, and all that runs while locked. */
export const LOCK_SCREEN_OPERATIONS: ReadonlySet<ApiOperationId> = new Set<ApiOperationId>(['app.lockState', 'app.unlock', 'app.createPassphrase']);

/** The one event that always reaches the screens: the lock state changed, ask for it again. */
export const LOCK_EVENT: ChangeEvent = { collection: 'lock', ids: [] };

export interface AppLock {
  readonly locked: boolean;
  lock(): void;
  unlock(): void;
  /** The person at the screen did something: the idle time starts again. */
  touch(): void;
  /** Locks by itself after this many minutes without a touch; 0: never. */
  setIdleMinutes(minutes: number): void;
  readonly idleMinutes: number;
  /** A refusal, or undefined when the call may run. */
  admit(id: ApiOperationId): Result | undefined;
  /** The events the screens may hear of now: none while locked. */
  visibleEvents(events: ChangeEvent[]): ChangeEvent[];
  /** Hears every change of `locked`. */
  onChange(listener: (locked: boolean) => void): () => void;
  close(): void;
}

/** How often the main process looks at its idle clock, so a lock by idle reaches the screens without a call. */
const IDLE_CHECK_MS = 5_000;

export function createAppLock(options: { clock?: () => number; locked?: boolean } = {}): AppLock {
  const clock = options.clock ?? (() => Date.now());
  let locked = options.locked ?? false;
  let idleMs = 0;
  let lastTouch = clock();
  const listeners = new Set<(locked: boolean) => void>();
  let timer: NodeJS.Timeout | undefined;

  const set = (next: boolean) => {
    if (next === locked) return;
    locked = next;
    lastTouch = clock();
    for (const listener of listeners) listener(locked);
  };
  const expireIfIdle = () => {
    if (!locked && idleMs > 0 && clock() - lastTouch >= idleMs) set(true);
  };

  return {
    get locked() {
      expireIfIdle();
      return locked;
    },
    get idleMinutes() {
      return idleMs / 60_000;
    },
    lock: () => set(true),
    unlock: () => set(false),
    touch() {
      expireIfIdle();
      if (!locked) lastTouch = clock();
    },
    setIdleMinutes(minutes) {
      idleMs = Math.max(0, minutes) * 60_000;
      lastTouch = clock();
      clearInterval(timer);
      timer = undefined;
      if (idleMs > 0) {
        timer = setInterval(expireIfIdle, Math.min(IDLE_CHECK_MS, idleMs));
        timer.unref();
      }
    },
    admit(id) {
      expireIfIdle();
      if (!locked || LOCK_SCREEN_OPERATIONS.has(id)) return undefined;
      return fail(403, LOCKED_MESSAGE);
    },
    visibleEvents(events) {
      expireIfIdle();
      return locked ? [] : events;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      clearInterval(timer);
      listeners.clear();
    },
  };
}
