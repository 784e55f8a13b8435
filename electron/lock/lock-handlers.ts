// The lock screen's operations: where the app stands, opening the data with the passphrase at start (or choosing
// one at the first start), "Lock now", unlocking with the passphrase or the staff PIN, and activity reports for the
// idle clock. The same handlers serve before the data is open (no staff PIN yet) and after.
import { newPassphrase, unlockRequest, type AppPhase, type Language, type LockState } from '../../shared/desktop';
import { done, fail, invalid, ok, type Result } from '../../shared/result';
import { parseInput } from '../../shared/validation';
import type { DesktopHandlers } from '../api/api';
import { passphraseProblem, type DataKeys } from '../keys/data-keys';
import { MIN_PASSPHRASE_LENGTH } from '../keys/passphrase';
import type { StaffPin } from '../kiosk/staff-pin';
import type { AppLock } from './app-lock';

export type LockOperation = 'app.lockState' | 'app.unlock' | 'app.createPassphrase' | 'app.lock' | 'app.touch';

export interface LockContext {
  lock: AppLock;
  /** The data key's source: whether a passphrase exists, and checking one. */
  keys?: Pick<DataKeys, 'mode' | 'checkPassphrase'>;
  kiosk: boolean;
  phase(): AppPhase;
  /** Why the data could not be opened, in plain words. */
  failure(): string | null;
  /** Once the data is open: the staff PIN, and whether one is set. */
  pin?: { verify: StaffPin['verify']; isSet(): Promise<boolean> };
  /** Before the data is open: open it with the passphrase, or with a new one at the first start. */
  open?: { withPassphrase(passphrase: string): Promise<Result>; create(passphrase: string): Promise<Result> };
  /** Once the data is open: the language chosen in Settings (kept in the data). */
  language?(): Promise<Language | null>;
}

const NOT_NOW: Partial<Record<AppPhase, string>> = {
  starting: 'The app is opening its data; try again in a moment.',
  restoring: 'A backup is being restored; try again in a moment.',
};

/** Whether anything could unlock the app if it were locked now. */
export async function canLock(context: LockContext): Promise<boolean> {
  if (context.kiosk || context.phase() !== 'running') return false;
  return context.keys?.mode === 'passphrase' || ((await context.pin?.isSet()) ?? false);
}

export async function lockState(context: LockContext): Promise<LockState> {
  const phase = context.phase();
  const running = phase === 'running';
  const passphrase = context.keys?.mode === 'passphrase';
  const pin = running && ((await context.pin?.isSet()) ?? false);
  const unlockWith: LockState['unlockWith'] =
    phase === 'passphrase' ? ['passphrase'] : running ? [...(passphrase ? (['passphrase'] as const) : []), ...(pin ? (['pin'] as const) : [])] : [];
  return {
    phase,
    locked: running && context.lock.locked,
    unlockWith,
    canLock: await canLock(context),
    autoLockMinutes: context.lock.idleMinutes,
    minPassphraseLength: MIN_PASSPHRASE_LENGTH,
    protectedBy: context.keys?.mode ?? null,
    message: context.failure(),
    language: running && context.language ? await context.language() : null,
  };
}

export function createLockHandlers(context: LockContext): Pick<DesktopHandlers, LockOperation> {
  const { lock } = context;
  const state = () => lockState(context);
  return {
    'app.lockState': async () => ok('Successfully fetched the lock state', await state()),
    async 'app.unlock'(body): Promise<Result> {
      const parsed = parseInput(unlockRequest, body, 'body');
      if (!parsed.ok) return parsed.result;
      const phase = context.phase();
      const notNow = NOT_NOW[phase];
      if (notNow) return fail(503, notNow);
      if (phase === 'failed') return fail(409, context.failure() ?? 'The data could not be opened.');
      if (phase === 'new-passphrase') return fail(409, 'Choose a passphrase first: this device has none yet.');
      if (phase === 'passphrase') {
        if (!('passphrase' in parsed.value)) return fail(409, 'Enter the passphrase: it opens the data when the app starts.');
        return context.open!.withPassphrase(parsed.value.passphrase);
      }
      if (!lock.locked) return fail(409, 'The app is not locked');
      if ('passphrase' in parsed.value) {
        if (context.keys?.mode !== 'passphrase') return fail(409, 'This device has no passphrase: unlock it with the staff PIN.');
        if (!(await context.keys.checkPassphrase(parsed.value.passphrase))) return fail(403, 'Wrong passphrase');
      } else {
        if (!context.pin || !(await context.pin.isSet())) return fail(409, 'No staff PIN is set: unlock with the passphrase.');
        const outcome = await context.pin.verify(parsed.value.pin);
        if (!outcome.ok) return outcome.waitSeconds > 0 ? fail(429, `Too many wrong PINs: try again in ${outcome.waitSeconds} seconds`) : fail(403, 'Wrong PIN');
      }
      lock.unlock();
      return ok('Unlocked', await state());
    },
    async 'app.createPassphrase'(body): Promise<Result> {
      if (context.phase() !== 'new-passphrase') return fail(409, 'This device has its passphrase already.');
      const parsed = parseInput(newPassphrase, body, 'body');
      if (!parsed.ok) return parsed.result;
      const problem = passphraseProblem(parsed.value.passphrase);
      if (problem) return invalid([{ loc: ['body', 'passphrase'], msg: problem, type: 'value_error.passphrase' }]);
      if (parsed.value.confirm !== parsed.value.passphrase) {
        return invalid([{ loc: ['body', 'confirm'], msg: 'The two passphrases are not the same', type: 'value_error.confirm' }]);
      }
      return context.open!.create(parsed.value.passphrase);
    },
    async 'app.lock'(): Promise<Result> {
      if (context.kiosk) return fail(409, 'In kiosk mode, staff end their session with Lock.');
      if (!(await canLock(context))) return fail(409, 'Set a staff PIN in Settings first: it unlocks the app when it is locked.');
      lock.lock();
      return ok('Locked', await state());
    },
    async 'app.touch'() {
      lock.touch();
      return done('Noted');
    },
  };
}
