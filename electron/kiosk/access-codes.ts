// One-time codes a counselor gives a learner so they can open their own profile at a kiosk. Only the code's hash is
// stored, on the learner (so it syncs to the center's kiosks like any change); using it clears it, and it expires.
import { createHash, randomInt } from 'node:crypto';
import type { AccessCode } from '../../shared/desktop';
import type { Repository } from '../../shared/repository';
import { formatTime, laterThan, now, parseTime } from '../../shared/time';

// No 0/O, 1/I: read aloud or copied from a slip of paper, a code must survive.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
export const ACCESS_CODE_DAYS = 7;

export function accessCodeHash(code: string): string {
  const normal = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return createHash('sha256').update(`kiosk-access-code:${normal}`).digest('hex');
}

function newCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** A new code for a live learner (replacing any earlier one), or undefined when there is no such learner. */
export async function issueAccessCode(repo: Repository, learnerId: string): Promise<AccessCode | undefined> {
  return repo.transaction(async (tx) => {
    const learner = await tx.getLearner(learnerId);
    if (!learner || learner.is_deleted) return undefined;
    const code = newCode();
    const expires_time = formatTime(parseTime(now()) + ACCESS_CODE_DAYS * 86_400_000_000);
    await tx.putLearner({ ...learner, access_code: { hash: accessCodeHash(code), expires_time }, last_modified_time: laterThan(learner.last_modified_time) });
    return { code, expires_time };
  });
}

/** Uses the code of this learner if it matches and has not expired: true when it did (the code is then gone). */
export async function redeemAccessCode(repo: Repository, learnerId: string, code: string): Promise<boolean> {
  const hash = accessCodeHash(code);
  return repo.transaction(async (tx) => {
    const learner = await tx.getLearner(learnerId);
    if (!learner || learner.is_deleted || learner.access_code?.hash !== hash || learner.access_code.expires_time <= now()) return false;
    await tx.putLearner({ ...learner, access_code: null, last_modified_time: laterThan(learner.last_modified_time) });
    return true;
  });
}
