// The admin PIN that ends kiosk mode. Kept as a salted scrypt hash and compared in constant time; repeated wrong
// PINs slow down, so a passer-by cannot try them all.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export const KIOSK_PIN_PATTERN = /^\d{4,12}$/;
const MAX_FREE_TRIES = 3;
const LOCKOUT_MS = 30_000;

export interface KioskLock {
  readonly enabled: boolean;
  /** `locked-out` after too many wrong PINs, for a while. */
  unlock(pin: string): 'ok' | 'wrong' | 'locked-out';
}

export function createKioskLock(enabled: boolean, pin: string | undefined, clock = () => Date.now()): KioskLock {
  if (enabled && (!pin || !KIOSK_PIN_PATTERN.test(pin))) throw new Error('kiosk mode needs an admin PIN of 4 to 12 digits (KIOSK_PIN)');
  const salt = randomBytes(16);
  const hash = pin ? scryptSync(pin, salt, 32) : undefined;
  let failures = 0;
  let lockedUntil = 0;
  return {
    enabled,
    unlock(candidate) {
      if (!enabled || !hash) return 'wrong';
      if (clock() < lockedUntil) return 'locked-out';
      if (timingSafeEqual(scryptSync(String(candidate), salt, 32), hash)) {
        failures = 0;
        return 'ok';
      }
      failures++;
      if (failures >= MAX_FREE_TRIES) lockedUntil = clock() + LOCKOUT_MS;
      return 'wrong';
    },
  };
}
