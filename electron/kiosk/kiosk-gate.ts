// Kiosk mode's rules, applied in the main process to every call, whatever the caller (IPC or the preview's bridge):
// a member of the public reaches only the operations of `kioskAccess`, and of those that concern a learner, only the
// one learner registered or identified in this kiosk session; an unlocked staff session reaches everything until it
// locks again. The session ends on "Done", and after the idle time even if the screens never said so.
import { argSpecs, kioskAccess, type ApiOperationId } from '../../shared/contract';
import type { AppSession, ChangeEvent } from '../../shared/desktop';
import { profileUuidFor } from '../../shared/ids';
import { fail, type Result } from '../../shared/result';

export const NOT_IN_KIOSK = 'Not available in kiosk mode';
const refused = (): Result => fail(403, NOT_IN_KIOSK);

export interface KioskGate {
  readonly enabled: boolean;
  session(): AppSession;
  /** A refusal, or undefined when the call may run. */
  admit(id: ApiOperationId, args: unknown): Result | undefined;
  /**
   * The arguments an admitted call runs with: a member of the public registers at this kiosk's center, whatever the
   * request names (with no kiosk center set, at the device's only center; a device of several asks for one).
   */
  argsFor(id: ApiOperationId, args: unknown): unknown;
  /** After a call ran: a registration binds the session to the learner it created. */
  settle(id: ApiOperationId, result: Result): void;
  /** The person at the screen did something: the idle time starts again. */
  touch(): void;
  bind(learnerId: string): void;
  /** "Done", or idle: forget the learner; a staff session locks. */
  reset(): void;
  unlockStaff(): void;
  /** Change events a kiosk session may hear of: its own learner's, and the catalog's. */
  visibleEvents(events: ChangeEvent[]): ChangeEvent[];
}

export function createKioskGate(enabled: boolean, idleSeconds: number, clock: () => number = () => Date.now(), center?: string): KioskGate {
  let learnerId: string | null = null;
  let staff = false;
  let lastTouch = clock();

  const expireIfIdle = () => {
    if (clock() - lastTouch > idleSeconds * 1000) {
      learnerId = null;
      staff = false;
    }
  };
  const firstPathArg = (id: ApiOperationId, args: unknown) => {
    const index = argSpecs(id).findIndex((spec) => spec.in === 'path');
    return Array.isArray(args) && index >= 0 ? args[index] : undefined;
  };
  const body = (id: ApiOperationId, args: unknown) => {
    const index = argSpecs(id).findIndex((spec) => spec.in === 'body');
    return Array.isArray(args) && index >= 0 ? args[index] : undefined;
  };

  return {
    enabled,
    session() {
      if (enabled) expireIfIdle();
      return { kiosk: enabled, staff: enabled && staff, learnerId: enabled && !staff ? learnerId : null, idleSeconds };
    },
    admit(id, args) {
      if (!enabled) return undefined;
      expireIfIdle();
      if (staff) return undefined;
      const access = kioskAccess[id];
      if (access === 'anyone') return undefined;
      if (access === 'register') return learnerId === null ? undefined : refused();
      if (access === 'self') {
        if (learnerId === null || firstPathArg(id, args) !== learnerId) return refused();
        // Learners may edit their own details, not archive themselves.
        const sent = body(id, args);
        if (id === 'learner.update' && sent !== null && typeof sent === 'object' && 'is_archived' in sent) return refused();
        return undefined;
      }
      return refused();
    },
    argsFor(id, args) {
      if (!enabled || staff || kioskAccess[id] !== 'register' || !Array.isArray(args)) return args;
      const index = argSpecs(id).findIndex((spec) => spec.in === 'body');
      const sent: unknown = args[index];
      if (index < 0 || sent === null || typeof sent !== 'object' || Array.isArray(sent)) return args;
      const { center_id: _chosen, ...rest } = sent as Record<string, unknown>;
      const placed = center === undefined ? rest : { ...rest, center_id: center };
      return args.map((arg, i) => (i === index ? placed : arg));
    },
    settle(id, result) {
      if (!enabled || staff || kioskAccess[id] !== 'register' || result.status !== 200) return;
      const created = result.body.data as { uuid?: unknown } | null | undefined;
      if (typeof created?.uuid === 'string') learnerId = created.uuid;
    },
    touch() {
      if (!enabled) return;
      expireIfIdle();
      lastTouch = clock();
    },
    bind(id) {
      learnerId = id;
      lastTouch = clock();
    },
    reset() {
      learnerId = null;
      staff = false;
    },
    unlockStaff() {
      learnerId = null;
      staff = true;
      lastTouch = clock();
    },
    visibleEvents(events) {
      if (!enabled) return events;
      expireIfIdle();
      if (staff) return events;
      const own = learnerId === null ? new Set<string>() : new Set([learnerId, profileUuidFor(learnerId)]);
      return events.flatMap((event) => {
        if (event.collection === 'achievements') return [event];
        if (event.collection === 'sync') return [];
        const ids = event.ids.filter((id) => own.has(id));
        return ids.length > 0 ? [{ ...event, ids }] : [];
      });
    },
  };
}
