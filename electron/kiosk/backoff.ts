// Exponential backoff for guesses (staff PINs, identity proofs), kept in the database so a restart does not reset it:
// a few free tries, then a wait that doubles with every further miss, up to a cap.
export interface BackoffState {
  failures: number;
  /** Epoch ms before which no try is taken. */
  lockedUntil: number;
}

export interface BackoffPolicy {
  freeTries: number;
  firstWaitMs: number;
  maxWaitMs: number;
}

export const noFailures: BackoffState = { failures: 0, lockedUntil: 0 };

export function afterFailure(state: BackoffState, policy: BackoffPolicy, now: number): BackoffState {
  const failures = state.failures + 1;
  if (failures < policy.freeTries) return { failures, lockedUntil: 0 };
  const wait = Math.min(policy.firstWaitMs * 2 ** (failures - policy.freeTries), policy.maxWaitMs);
  return { failures, lockedUntil: now + wait };
}

/** Whole seconds left to wait, or 0 when a try may be taken now. */
export const secondsToWait = (state: BackoffState, now: number) => Math.max(0, Math.ceil((state.lockedUntil - now) / 1000));
