// The kiosk's own operations: what the screens need to know, a learner proving who they are, "Done", the staff
// unlock and lock, the staff PIN, leaving kiosk mode; and, on a counselor's device, making a learner's one-time code.
import { kioskIdentity, staffPin } from '../../shared/desktop';
import type { Repository } from '../../shared/repository';
import { done, fail, ok, type Result } from '../../shared/result';
import { parseInput } from '../../shared/validation';
import type { DesktopHandlers } from '../api/api';
import type { LearnerIndex } from '../db/learner-index';
import { accessCodeHash, issueAccessCode, redeemAccessCode } from './access-codes';
import { afterFailure, noFailures, secondsToWait, type BackoffPolicy } from './backoff';
import type { KioskGate } from './kiosk-gate';
import type { KioskStore } from './kiosk-store';
import type { StaffPin } from './staff-pin';

export const NO_MATCH = 'We could not find a profile with these details. Check them and try again, or ask a staff member for a code.';
const PROOF_BACKOFF: BackoffPolicy = { freeTries: 5, firstWaitMs: 30_000, maxWaitMs: 15 * 60_000 };

export interface KioskContext {
  repo: Repository;
  learners: LearnerIndex;
  gate: KioskGate;
  pin: StaffPin;
  store: KioskStore;
  /** Staff leave kiosk mode: the shell closes the kiosk window. */
  onExit(): void;
  clock?: () => number;
}

type KioskOperation = 'app.session' | 'kiosk.identify' | 'kiosk.done' | 'kiosk.unlock' | 'kiosk.lock' | 'kiosk.touch' | 'kiosk.setPin' | 'kiosk.exit' | 'learner.accessCode';

export function createKioskHandlers(context: KioskContext): Pick<DesktopHandlers, KioskOperation> {
  const { repo, learners, gate, pin, store } = context;
  const clock = context.clock ?? (() => Date.now());
  const notKiosk = () => fail(409, 'The app is not in kiosk mode');

  /** The learner these details name, or undefined; the same work whether an email is registered or not. */
  async function whoIs(identity: ReturnType<typeof kioskIdentity.parse>): Promise<string | undefined> {
    if ('code' in identity) {
      for (const learnerId of await learners.withAccessCode(accessCodeHash(identity.code))) {
        if (await redeemAccessCode(repo, learnerId, identity.code)) return learnerId;
      }
      return undefined;
    }
    const matches = await repo.findLearnersByEmail(identity.email_address.toLowerCase());
    return matches.find((learner) => learner.birth_date === identity.birth_date)?.uuid;
  }

  return {
    'app.session': async () => ok('Successfully fetched the session', gate.session()),
    async 'kiosk.identify'(body): Promise<Result> {
      if (!gate.enabled) return notKiosk();
      const parsed = parseInput(kioskIdentity, body, 'body');
      if (!parsed.ok) return parsed.result;
      const wait = secondsToWait((await store.read()).proofMisses, clock());
      if (wait > 0) return fail(429, `Too many tries. Please wait ${wait} seconds, or ask a staff member for help.`);
      const learnerId = await whoIs(parsed.value);
      if (!learnerId) {
        const next = await store.update((state) => ({ ...state, proofMisses: afterFailure(state.proofMisses, PROOF_BACKOFF, clock()) }));
        const then = secondsToWait(next.proofMisses, clock());
        return fail(404, then > 0 ? `${NO_MATCH} Please wait ${then} seconds before trying again.` : NO_MATCH);
      }
      await store.update((state) => ({ ...state, proofMisses: noFailures }));
      gate.bind(learnerId);
      return ok('Welcome', gate.session());
    },
    async 'kiosk.done'() {
      gate.reset();
      return ok('See you next time', gate.session());
    },
    async 'kiosk.unlock'(candidate) {
      if (!gate.enabled) return notKiosk();
      const outcome = await pin.verify(String(candidate ?? ''));
      if (outcome.ok) {
        gate.unlockStaff();
        return ok('Unlocked for staff', gate.session());
      }
      if (outcome.waitSeconds > 0) return fail(429, `Too many wrong PINs: try again in ${outcome.waitSeconds} seconds`);
      return fail(403, 'Wrong PIN');
    },
    async 'kiosk.lock'() {
      gate.reset();
      return ok('Locked', gate.session());
    },
    async 'kiosk.touch'() {
      gate.touch();
      return done('Noted');
    },
    async 'kiosk.setPin'(body) {
      const parsed = parseInput(staffPin, body, 'body');
      if (!parsed.ok) return parsed.result;
      await pin.change(parsed.value.pin);
      return done('The staff PIN is changed');
    },
    async 'kiosk.exit'() {
      if (!gate.enabled) return notKiosk();
      context.onExit();
      return done('Kiosk mode ended');
    },
    async 'learner.accessCode'(learnerId) {
      const code = await issueAccessCode(repo, String(learnerId));
      return code ? ok('A one-time kiosk code is ready', code) : fail(404, `Learner with uuid ${String(learnerId)} not found`);
    },
  };
}
