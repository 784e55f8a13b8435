// Kiosk mode seen by a member of the public: every operation id, called with argument lists aimed at another
// learner, must be refused or harmless, and no answer may carry another learner's personal data. Shared by the IPC
// and the preview-bridge tests.
import { expect } from 'vitest';
import { apiOperationIds, kioskAccess } from '../../shared/contract';
import type { Repository } from '../../shared/repository';
import type { Result } from '../../shared/result';
import { invoke } from '../../shared/operations';

export type Call = (id: string, ...args: unknown[]) => Promise<Result>;

export interface OtherLearner {
  learnerId: string;
  profileUuid: string;
  email: string;
  birthDate: string;
  /** Every personal value of this learner that must never reach a kiosk session that is not theirs. */
  secrets: string[];
}

/** A learner registered by a counselor, with values distinctive enough to be found in any answer. */
export async function seedOtherLearner(repo: Repository, tag: string): Promise<OtherLearner> {
  const email = `zeb.quag.${tag}@example.org`;
  const learner = await invoke(repo, 'learner.create', [
    {
      first_name: `Zebulonia${tag}`,
      last_name: 'Quagmirestein',
      email_address: email,
      birth_date: '2009-04-17',
      city: `Secretville${tag}`,
      phone_number: { mobile: { phone_number: '+1 555 0199 321' } },
    },
  ]);
  const learnerId = (learner.body.data as { uuid: string }).uuid;
  const profile = await invoke(repo, 'learnerProfile.create', [learnerId, { personal_goals: `Recovering from something private ${tag}`, learning_goals: ['Teamwork'] }]);
  const profileUuid = (profile.body.data as { uuid: string }).uuid;
  return {
    learnerId,
    profileUuid,
    email,
    birthDate: '2009-04-17',
    secrets: [`Zebulonia${tag}`, 'Quagmirestein', email, '2009-04-17', `Secretville${tag}`, '555 0199 321', `Recovering from something private ${tag}`],
  };
}

/** Argument lists a curious or hostile caller would try against an operation. */
function probes(other: OtherLearner): unknown[][] {
  const { learnerId, profileUuid, email } = other;
  return [
    [],
    [learnerId],
    [learnerId, profileUuid],
    [learnerId, { first_name: 'Changed', is_archived: true }],
    [learnerId, profileUuid, { personal_goals: 'changed' }],
    [{ text: '' }],
    [{ text: 'Zebulonia' }],
    [{ first_name: other.secrets[0] }],
    [{ email_address: email }],
    [{ learner_id: learnerId }],
    [{ skip: 0, limit: 100 }],
    [[learnerId]],
    [learnerId, 'mine'],
    [{ email_address: email, birth_date: '2001-01-01' }],
    [{ code: 'ABCD-EFGH' }],
    ['000000'],
    [{ pin: '123456' }],
    [{ serverUrl: 'https://127.0.0.1:1', token: 'x' }],
  ];
}

/** A value of the other learner in an answer, unless the caller sent it in (an echo reveals nothing new). */
function leaks(result: Result, args: unknown[], other: OtherLearner): string[] {
  const answer = JSON.stringify(result);
  const sent = JSON.stringify(args);
  return other.secrets.filter((secret) => answer.includes(secret) && !sent.includes(secret));
}

/**
 * Calls every operation with every probe in a fresh kiosk session: operations outside the allow-list answer exactly
 * 403 "Not available in kiosk mode"; allowed ones never answer with another learner's data. `snapshot` reads the
 * other learner's stored documents, which must be the same at the end.
 */
export async function expectKioskRefusesEveryoneElse(call: Call, other: OtherLearner, snapshot: () => Promise<unknown>) {
  const before = await snapshot();
  const refused = { status: 403, body: { success: false, message: 'Not available in kiosk mode', data: null } };
  let allowedCalls = 0;
  for (const id of apiOperationIds) {
    for (const args of probes(other)) {
      // Each probe in a session of its own, as the next person at the kiosk would find it.
      await call('kiosk.done');
      const result = await call(id, ...args);
      const label = `${id}(${JSON.stringify(args)}) → ${JSON.stringify(result)}`;
      if (kioskAccess[id] === undefined) {
        expect(result, label).toEqual(refused);
      } else {
        allowedCalls++;
        expect(leaks(result, args, other), label).toEqual([]);
        expect(result.status, label).not.toBe(500);
      }
    }
  }
  expect(allowedCalls).toBeGreaterThan(0);
  expect(await snapshot()).toEqual(before);
}
