import { randomId, profileUuidFor } from '../ids';
import { messages } from '../messages';
import type { Repository, WriteStore } from '../repository';
import { done, fail, ok, type Result } from '../result';
import { EMAIL_PATTERN } from '../schemas/common';
import { completeLearner, learnerCreate, learnerUpdate, type LearnerCreate, type StoredLearner } from '../schemas/learner';
import { learnerListQuery, learnerSearchQuery } from '../schemas/queries';
import { unstamped } from '../schemas/sync';
import { laterThan, now } from '../time';
import { parseInput } from '../validation';
import { emailLock, learnerLock } from './locks';
import { chooseCenter, mayAdminister } from './centers';
import { publicLearner } from './public';

const m = messages.learner;

export { learnerLock } from './locks';

export const sameBackupEmail = (learner: { email_address?: string; backup_email_address?: string }) =>
  Boolean(learner.backup_email_address) &&
  learner.backup_email_address!.toLowerCase() === learner.email_address?.toLowerCase();

/** A new learner from a create's parsed input. */
export function newLearner(input: Omit<LearnerCreate, 'center_id'> & { center_id?: string }, time: string): StoredLearner {
  return { uuid: randomId(), ...input, is_archived: false, is_deleted: false, sync: unstamped(), created_time: time, last_modified_time: time };
}

const live = (learner: StoredLearner | undefined) => (learner && !learner.is_deleted ? learner : undefined);

/** One learner, one email, across every center: the 409 names no center. */
async function emailTaken(tx: WriteStore, email: string, exceptUuid?: string) {
  await tx.lock(emailLock(email));
  return (await tx.emailOwners([email])).some((other) => other.uuid !== exceptUuid);
}

export async function createLearner(repo: Repository, body: unknown): Promise<Result> {
  const parsed = parseInput(learnerCreate, body, 'body');
  if (!parsed.ok) return parsed.result;
  const { center_id: requested, ...input } = parsed.value;
  if (sameBackupEmail(input)) return fail(422, m.sameBackupEmail);
  const center = chooseCenter(repo.scope, requested);
  if (!center.ok) return center.result;

  return repo.transaction(async (tx) => {
    if (await emailTaken(tx, input.email_address)) return fail(409, m.duplicateEmail(input.email_address));
    const learner = newLearner({ ...input, ...(center.center ? { center_id: center.center } : {}) }, now());
    await tx.putLearner(learner);
    // Where the caller's centers are unknown, the store may have placed the learner itself: answer what it holds.
    const stored = center.center === undefined ? ((await tx.getLearner(learner.uuid)) ?? learner) : learner;
    return ok(m.created, publicLearner(stored));
  });
}

export async function getLearner(repo: Repository, uuid: string): Promise<Result> {
  const learner = live(await repo.getLearner(uuid));
  return learner ? ok(m.fetched, publicLearner(learner)) : fail(404, m.notFound(uuid));
}

export async function updateLearner(repo: Repository, uuid: string, body: unknown): Promise<Result> {
  const parsed = parseInput(learnerUpdate, body, 'body');
  if (!parsed.ok) return parsed.result;
  const changes = parsed.value;
  if (sameBackupEmail(changes)) return fail(422, m.sameBackupEmail);

  return repo.transaction(async (tx) => {
    await tx.lock(learnerLock(uuid));
    const learner = live(await tx.getLearner(uuid));
    if (!learner) return fail(404, m.notFound(uuid));
    // A move to another center: administrators only, and only to a center there is.
    if (changes.center_id !== undefined && changes.center_id !== learner.center_id) {
      if (!mayAdminister(repo.scope)) return fail(403, messages.notAllowed);
      const moved = chooseCenter(repo.scope, changes.center_id);
      if (!moved.ok) return moved.result;
    }
    const updated: StoredLearner = { ...completeLearner(learner), ...changes, last_modified_time: laterThan(learner.last_modified_time) };
    if (sameBackupEmail(updated)) return fail(422, m.sameBackupEmail);
    if (updated.email_address !== learner.email_address && (await emailTaken(tx, updated.email_address, uuid))) {
      return fail(409, m.duplicateEmail(updated.email_address));
    }
    await tx.putLearner(updated);

    // Archiving a learner archives their live profile too, as an ordinary change that sync carries.
    if (changes.is_archived !== undefined) {
      const profile = await tx.getProfile(profileUuidFor(uuid));
      if (profile && !profile.is_deleted && profile.is_archived !== changes.is_archived) {
        await tx.putProfile({
          ...profile,
          is_archived: changes.is_archived,
          last_modified_time: laterThan(profile.last_modified_time),
        });
      }
    }
    return ok(m.updated, publicLearner(updated));
  });
}

export async function deleteLearner(repo: Repository, uuid: string): Promise<Result> {
  return repo.transaction(async (tx) => {
    await tx.lock(learnerLock(uuid));
    const learner = live(await tx.getLearner(uuid));
    if (!learner) return fail(404, m.notFound(uuid));
    await tx.putLearner({ ...learner, is_deleted: true, last_modified_time: laterThan(learner.last_modified_time) });
    const profile = await tx.getProfile(profileUuidFor(uuid));
    if (profile && !profile.is_deleted) {
      await tx.putProfile({ ...profile, is_deleted: true, last_modified_time: laterThan(profile.last_modified_time) });
    }
    return done(m.deleted);
  });
}

export async function listLearners(repo: Repository, query: unknown): Promise<Result> {
  const parsed = parseInput(learnerListQuery, query, 'query');
  if (!parsed.ok) return parsed.result;
  const { records, total } = await repo.listLearners(parsed.value);
  return ok(m.listed, { records: records.map(publicLearner), total_count: total });
}

export async function searchLearners(repo: Repository, query: unknown): Promise<Result> {
  const parsed = parseInput(learnerSearchQuery, query, 'query');
  if (!parsed.ok) return parsed.result;
  const { first_name, email_address } = parsed.value;
  if (first_name) return ok(m.searched, (await repo.findLearnersByFirstName(first_name)).map(publicLearner));
  if (email_address) {
    if (!EMAIL_PATTERN.test(email_address)) return fail(422, m.invalidEmail(email_address));
    return ok(m.searched, (await repo.findLearnersByEmail(email_address.toLowerCase())).map(publicLearner));
  }
  return fail(422, messages.missingParameters);
}
