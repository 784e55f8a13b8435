// Any JSON in: either a parsed value that the stores accept, or a 422 that says where. Never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { achievementCreate } from '../../shared/schemas/achievement';
import { learnerCreate, learnerUpdate, storedLearner } from '../../shared/schemas/learner';
import { profileCreate, profileUpdate, storedProfile } from '../../shared/schemas/profile';
import { learnerListQuery, learnerSearchQuery, profileListQuery } from '../../shared/schemas/queries';
import type { ErrorDetail } from '../../shared/result';
import { parseInput } from '../../shared/validation';

const profileKeys = Object.keys(storedProfile.shape);
const learnerKeys = Object.keys(storedLearner.shape);

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '\u0000', '\ud800', 'a\u0301', '😀', 'x'.repeat(600), 'Full-time', 'not_attempted', 'a@example.com'),
);
const value = fc.oneof(
  fc.jsonValue(),
  nasty,
  fc.integer({ min: -5, max: 40 }),
  fc.double(),
  fc.array(nasty, { maxLength: 5 }),
  fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('name', 'status', 'weekly_study_time', 'email', 'phone', 'assessments', 'mobile', 'phone_number')), fc.jsonValue(), { maxKeys: 4 }),
);
/** Objects whose keys are mostly the schema's own, so the deep rules get exercised, not just "unknown key". */
const bodyFor = (keys: string[]) =>
  fc.oneof(fc.jsonValue(), fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string()), value, { maxKeys: 8 }));

function checkFailure(result: { status: number; body: { message: string; data?: unknown } }, location: string) {
  expect(result.status).toBe(422);
  expect(result.body.message).toBe('Validation Failed');
  const details = result.body.data as ErrorDetail[];
  expect(details.length).toBeGreaterThan(0);
  for (const detail of details) {
    expect(detail.loc[0]).toBe(location);
    expect(typeof detail.msg).toBe('string');
    expect(typeof detail.type).toBe('string');
  }
}

const server = { is_deleted: false, sync: { times: {}, by: {} }, created_time: '2024-01-01 00:00:00.000000+00:00', last_modified_time: '2024-01-01 00:00:00.000000+00:00' };

const cases: [string, z.ZodType, fc.Arbitrary<unknown>, 'body' | 'query', ((value: unknown) => void)?][] = [
  ['learner create', learnerCreate, bodyFor(learnerKeys), 'body', (v) => expect(storedLearner.safeParse({ uuid: 'A'.repeat(20), ...(v as object), is_archived: false, ...server }).error).toBeUndefined()],
  ['learner update', learnerUpdate, bodyFor(learnerKeys), 'body'],
  ['profile create', profileCreate, bodyFor(profileKeys), 'body', (v) => expect(storedProfile.safeParse({ uuid: 'A'.repeat(20), learner_id: 'B'.repeat(20), ...(v as object), is_archived: false, ...server }).error).toBeUndefined()],
  ['profile update', profileUpdate, bodyFor(profileKeys), 'body'],
  ['achievement create', achievementCreate, bodyFor(['type', 'name', 'description']), 'body'],
  ['learner list query', learnerListQuery, bodyFor(['skip', 'limit', 'fetch_archive', 'sort_by', 'sort_order']), 'query'],
  ['profile list query', profileListQuery, bodyFor(['skip', 'limit', 'fetch_archive', 'learning_goal']), 'query'],
  ['learner search query', learnerSearchQuery, bodyFor(['first_name', 'email_address']), 'query'],
];

describe('validators on arbitrary JSON', () => {
  for (const [name, schema, arbitrary, location, checkAccepted] of cases) {
    it(`${name}: a value the stores accept, or a 422 with a loc`, () => {
      fc.assert(
        fc.property(arbitrary, (input) => {
          const parsed = parseInput(schema, input, location);
          if (parsed.ok) checkAccepted?.(parsed.value);
          else checkFailure(parsed.result, location);
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('accepts what the contract allows (a sanity check of the generators above)', () => {
    expect(parseInput(profileCreate, {}, 'body').ok).toBe(true);
    expect(parseInput(learnerCreate, { first_name: 'A', last_name: 'B', email_address: 'ab@example.com' }, 'body').ok).toBe(true);
    expect(parseInput(profileUpdate, { personal_goals: '\ud83d\ude00' }, 'body').ok).toBe(true);
    expect(parseInput(profileUpdate, { personal_goals: '\ud83d' }, 'body').ok).toBe(false);
  });
});
