/** Learner-profile-shaped documents for the storage benchmark: deterministic, ~1–2 KB of JSON each. */
import type { RxJsonSchema } from 'rxdb';

export type LearnerProfile = {
  id: string;
  learner_id: string;
  created_time: string;
  is_archived: boolean;
  employment_status: string;
  learning_goals: string[];
  personal_goals: string;
  profile: {
    given_name: string;
    family_name: string;
    email: string;
    phone: string;
    address: { street: string; city: string; postcode: string; country: string };
  };
  education: { level: string; institution: string; year: number }[];
  preferences: { language: string; contact_by: string[]; newsletter: boolean };
};

export const EMPLOYMENT_STATUSES = ['employed', 'unemployed', 'self_employed', 'student', 'retired'] as const;

export const learnerProfileSchema: RxJsonSchema<LearnerProfile> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 20 },
    learner_id: { type: 'string', maxLength: 36 },
    created_time: { type: 'string', maxLength: 32 },
    is_archived: { type: 'boolean' },
    employment_status: { type: 'string', maxLength: 16 },
    learning_goals: { type: 'array', items: { type: 'string' } },
    personal_goals: { type: 'string' },
    profile: { type: 'object' },
    education: { type: 'array', items: { type: 'object' } },
    preferences: { type: 'object' },
  },
  required: ['id', 'learner_id', 'created_time', 'is_archived', 'employment_status'],
  indexes: ['learner_id', ['is_archived', 'created_time'], ['employment_status', 'created_time']],
};

/** mulberry32: a tiny seeded PRNG, so every run measures the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'learn practice improve confidence numeracy literacy digital skills career change apply interview budget ' +
  'community volunteer language speaking writing reading english maths computer course certificate family ' +
  'health wellbeing return work study college apprenticeship qualification online safety teamwork goals'
).split(' ');
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'.split('');

/**
 * Yields the profiles one at a time, the same sequence for the same seed, so a
 * benchmark can stream them in chunks instead of holding them all in its heap.
 */
export function* learnerProfiles(count: number, seed = 42): Generator<LearnerProfile> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const token = (n: number): string => Array.from({ length: n }, () => pick(ALPHABET)).join('');
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const start = Date.UTC(2019, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;

  for (let i = 0; i < count; i++) {
    const created = new Date(start + Math.floor(random() * span));
    const micros = String(Math.floor(random() * 1_000_000)).padStart(6, '0');
    yield {
      id: token(12) + String(i).padStart(8, '0'),
      learner_id: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      created_time: created.toISOString().slice(0, 19).replace('T', ' ') + '.' + micros + '+00:00',
      is_archived: random() < 0.15,
      employment_status: pick(EMPLOYMENT_STATUSES),
      learning_goals: Array.from({ length: 2 + Math.floor(random() * 5) }, () => words(4 + Math.floor(random() * 6))),
      personal_goals: words(40 + Math.floor(random() * 90)),
      profile: {
        given_name: token(6),
        family_name: token(9),
        email: `${token(8)}@example.org`,
        phone: '+44 7' + String(Math.floor(random() * 1e9)).padStart(9, '0'),
        address: { street: `${1 + Math.floor(random() * 200)} ${words(2)} road`, city: token(8), postcode: token(7), country: 'GB' },
      },
      education: Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        level: pick(['entry', 'level 1', 'level 2', 'level 3', 'degree']),
        institution: words(3) + ' college',
        year: 1990 + Math.floor(random() * 35),
      })),
      preferences: { language: pick(['en', 'cy', 'pl', 'ur', 'ar']), contact_by: ['email', 'sms'].slice(0, 1 + Math.floor(random() * 2)), newsletter: random() < 0.5 },
    };
  }
}

/** The profiles as RxDB document data, in chunks of `size`. */
export function* learnerDocumentChunks<T extends LearnerProfile>(
  count: number,
  size: number,
  toDocument: (profile: LearnerProfile, index: number) => T,
): Generator<T[]> {
  let chunk: T[] = [];
  let index = 0;
  for (const profile of learnerProfiles(count)) {
    chunk.push(toDocument(profile, index++));
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
