// This device's edit clock (../../shared/hlc.ts) and its view of the central server's clock. Edits are dated by the
// system clock corrected by the server's: a device whose clock is days off dates its edits by the server's time once
// it has met the server, so it neither wins every merge nor has its edits refused; and the people using it are told.
import type { EditClock } from '../../shared/edits';
import { HybridClock } from '../../shared/hlc';
import { clockCorrection, currentMillis, setClockCorrection } from '../../shared/time';
import type { AppDatabase } from '../db/database';

const CLOCK = 'edit-clock';
/** Corrections smaller than this are not worth applying; differences larger than the jump mean the clock was changed. */
const NOISE_MS = 5;
const JUMP_MS = 2_000;
/** Beyond this the device's clock is wrong enough to say so (the server refuses times further ahead). */
export const WRONG_CLOCK_MS = 5 * 60_000;

interface StoredClock {
  /** Milliseconds to add to the system clock to get the server's. */
  correctionMs: number;
  /** The latest edit time this device issued or saw. */
  high: string | null;
}

export interface DeviceClock extends EditClock {
  /** The server said what time it is, `roundTripMs` after the request left. */
  heardServerTime(serverMillis: number, roundTripMs: number): void;
  /** In plain words, when the system clock is wrong enough to matter; otherwise null. */
  warning(): string | null;
  save(): Promise<void>;
}

function describe(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const amount = minutes >= 2 * 24 * 60 ? `${Math.round(minutes / (24 * 60))} days` : minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`;
  return `This device's clock is ${amount} ${ms < 0 ? 'ahead of' : 'behind'} the server's. Changes are dated by the server's time meanwhile; set the correct date and time in the system settings.`;
}

/** `signature`: the name the server knows this device by (its token's), which signs its learners and profiles. */
export async function createDeviceClock(
  db: AppDatabase,
  replicaId: string,
  deviceName: () => string,
  signature: () => string | undefined = () => undefined,
): Promise<DeviceClock> {
  const stored = (await db.getLocal<StoredClock>(CLOCK))?.toJSON().data;
  if (stored) setClockCorrection(stored.correctionMs);
  let clock = new HybridClock(replicaId);
  let best: { correction: number; roundTripMs: number } | undefined;
  /** The latest time seen from others: a clock that was set back must still date edits after it. */
  let othersHigh: string | undefined;
  clock.observe(stored?.high ?? undefined);
  let saveTimer: NodeJS.Timeout | undefined;
  const save = async () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    await db.upsertLocal<StoredClock>(CLOCK, { correctionMs: clockCorrection(), high: clock.high });
  };
  // Not on every edit: a restart that loses the last seconds of this costs nothing, since edits are also observed
  // from the documents themselves.
  const saveSoon = () => {
    saveTimer ??= setTimeout(() => void save().catch(() => {}), 2_000);
    saveTimer.unref?.();
  };

  return {
    node: replicaId,
    get name() {
      return deviceName();
    },
    get signature() {
      return signature();
    },
    tick() {
      const time = clock.tick();
      saveSoon();
      return time;
    },
    observe(time) {
      clock.observe(time);
      if (time !== undefined && (othersHigh === undefined || time > othersHigh) && time.slice(30) !== replicaId) othersHigh = time;
    },
    heardServerTime(serverMillis, roundTripMs) {
      const system = currentMillis() - clockCorrection();
      const correction = serverMillis + roundTripMs / 2 - system;
      // As NTP does: the answer with the shortest round trip says the most (its error is at most half of it); an
      // estimate far from the current one means a clock was set meanwhile, and starts over.
      if (best && Math.abs(correction - best.correction) < JUMP_MS && roundTripMs > best.roundTripMs) return;
      const jumped = Math.abs(correction - clockCorrection()) >= JUMP_MS;
      best = { correction, roundTripMs };
      if (Math.abs(correction - clockCorrection()) < NOISE_MS) return;
      setClockCorrection(correction);
      // Times this device issued by its wrong clock are behind it now: its next edits follow the corrected clock
      // (and what others wrote), not its own past mistakes.
      if (jumped) {
        clock = new HybridClock(replicaId);
        clock.observe(othersHigh);
      }
      saveSoon();
    },
    warning: () => (Math.abs(clockCorrection()) > WRONG_CLOCK_MS ? describe(clockCorrection()) : null),
    save,
  };
}
