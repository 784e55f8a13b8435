// What a kiosk keeps across restarts, as a local (never replicated) document: the staff PIN's hash and the counts of
// failed guesses, so neither a restart nor a pulled power cord resets a backoff.
import type { AppDatabase } from '../db/database';
import { noFailures, type BackoffState } from './backoff';

export interface KioskState {
  /** scrypt of the staff PIN; null until provisioned. */
  pin: { salt: string; hash: string } | null;
  pinFailures: BackoffState;
  proofMisses: BackoffState;
}

export interface KioskStore {
  read(): Promise<KioskState>;
  update(change: (state: KioskState) => KioskState): Promise<KioskState>;
}

const KIOSK = 'kiosk';
const empty: KioskState = { pin: null, pinFailures: noFailures, proofMisses: noFailures };

export function kioskStore(db: AppDatabase): KioskStore {
  const read = async () => ({ ...empty, ...(await db.getLocal<KioskState>(KIOSK))?.toJSON().data });
  // One change at a time: two wrong guesses sent together must count twice.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    read,
    update(change) {
      const next = queue.then(async () => {
        const state = change(await read());
        await db.upsertLocal(KIOSK, state);
        return state;
      });
      queue = next.catch(() => {});
      return next;
    },
  };
}
