// The staff PIN that unlocks a kiosk: at least six digits, kept only as a salted scrypt hash (slow on purpose),
// provisioned once from KIOSK_PIN (or later changed by staff) and never read from the environment again; wrong PINs
// back off exponentially, and the count survives a restart.
import { randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';
import { STAFF_PIN_PATTERN } from '../../shared/desktop';
import { afterFailure, noFailures, secondsToWait, type BackoffPolicy } from './backoff';
import type { KioskStore } from './kiosk-store';

const PIN_BACKOFF: BackoffPolicy = { freeTries: 3, firstWaitMs: 30_000, maxWaitMs: 60 * 60_000 };
// About 0.1 s per try on a laptop; on libuv's threads, so the main process never waits for it.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

const derive = (pin: string, salt: BinaryLike) =>
  new Promise<Buffer>((resolve, reject) => scrypt(pin, salt, 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))));

export type PinOutcome = { ok: true } | { ok: false; waitSeconds: number };

export class MissingPinError extends Error {
  override name = 'MissingPinError';
}

export interface StaffPin {
  /** At start: keeps a stored PIN, or stores the environment's once. Says which, for the log. */
  provision(fromEnvironment: string | undefined): Promise<'kept' | 'provisioned'>;
  verify(candidate: string): Promise<PinOutcome>;
  change(pin: string): Promise<void>;
}

export function createStaffPin(store: KioskStore, clock: () => number = () => Date.now()): StaffPin {
  const hashOf = async (pin: string) => {
    const salt = randomBytes(16);
    return { salt: salt.toString('base64'), hash: (await derive(pin, salt)).toString('base64') };
  };
  // Guesses are judged one at a time, so a burst of them cannot outrun the count.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>) => {
    const next = queue.then(work);
    queue = next.catch(() => {});
    return next;
  };

  return {
    async provision(fromEnvironment) {
      if ((await store.read()).pin) return 'kept';
      if (!fromEnvironment || !STAFF_PIN_PATTERN.test(fromEnvironment)) {
        throw new MissingPinError('kiosk mode needs a staff PIN of at least 6 digits: set KIOSK_PIN for the first start');
      }
      const pin = await hashOf(fromEnvironment);
      await store.update((state) => ({ ...state, pin, pinFailures: noFailures }));
      return 'provisioned';
    },
    verify: (candidate) =>
      serial(async (): Promise<PinOutcome> => {
        const state = await store.read();
        const wait = secondsToWait(state.pinFailures, clock());
        if (wait > 0) return { ok: false, waitSeconds: wait };
        if (!state.pin) return { ok: false, waitSeconds: 0 };
        const expected = Buffer.from(state.pin.hash, 'base64');
        const actual = await derive(String(candidate), Buffer.from(state.pin.salt, 'base64'));
        if (timingSafeEqual(actual, expected)) {
          await store.update((s) => ({ ...s, pinFailures: noFailures }));
          return { ok: true };
        }
        const next = await store.update((s) => ({ ...s, pinFailures: afterFailure(s.pinFailures, PIN_BACKOFF, clock()) }));
        return { ok: false, waitSeconds: secondsToWait(next.pinFailures, clock()) };
      }),
    async change(pin) {
      if (!STAFF_PIN_PATTERN.test(pin)) throw new MissingPinError('a staff PIN has at least 6 digits');
      const hashed = await hashOf(pin);
      await store.update((state) => ({ ...state, pin: hashed, pinFailures: noFailures }));
    },
  };
}
