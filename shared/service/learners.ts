import { randomId, profileUuidFor } from '../ids';
import { messages } from '../messages';
import type { Repository, WriteStore } from '../repository';
import { done, fail, ok, type Result } from '../result';
import { inputEmail } from '../schemas/common';
import { learnerCreate, learnerUpdate, type StoredLearner } from '../schemas/learner';
import { learnerListQuery, learnerSearchQuery } from '../schemas/queries';
import { laterThan, now } from '../time';
import { parseInput } from '../validation';
import { publicLearner } from './public';

const m = messages.learner;

export const learnerLock = (uuid: string) => `learner:${uuid}`;
const emailLock = (email: string) => `email:${email}`;

const sameBackupEmail = (learner: { email_address?: string; backup_email_address?: string }) =>
  learner.backup_email_address !== undefined &&
  learner.backup_email_address.toLowerCase() === learner.email_address?.toLowerCase();

const live = (learner: StoredLearner | undefined) => (learner && !learner.is_deleted ? learner : undefined);

async function emailTaken(tx: WriteStore, email: string, exceptUuid?: string) {
  await tx.lock(emailLock(email));
  return (await tx.findLearnersByEmail(email)).some((other) => other.uuid !== exceptUuid);
}

export async function createLearner(repo: Repository, body: unknown): Promise<Result> {
  const parsed = parseInput(learnerCreate, body, 'body');
  if (!parsed.ok) return parsed.result;
  const input = parsed.value;
  if (sameBackupEmail(input)) return fail(422, m.sameBackupEmail);

  return repo.transaction(async (tx) => {
    if (await emailTaken(tx, input.email_address)) return fail(409, m.duplicateEmail(input.email_address));
    const time = now();
    const learner: StoredLearner = {
      uuid: randomId(),
      ...input,
      is_archived: false,
      is_deleted: false,
      created_time: time,
      last_modified_time: time,
    };
    await tx.putLearner(learner);
    return ok(m.created, publicLearner(learner));
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
    const updated: StoredLearner = { ...learner, ...changes, last_modified_time: laterThan(learner.last_modified_time) };
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
  return ok(m.listed, (await repo.listLearners(parsed.value)).map(publicLearner));
}

export async function searchLearners(repo: Repository, query: unknown): Promise<Result> {
  const parsed = parseInput(learnerSearchQuery, query, 'query');
  if (!parsed.ok) return parsed.result;
  const { first_name, email_address } = parsed.value;
  if (first_name) return ok(m.searched, (await repo.findLearnersByFirstName(first_name)).map(publicLearner));
  if (email_address) {
    const email = inputEmail.safeParse(email_address);
    if (!email.success) return fail(422, m.invalidEmail(email_address));
    return ok(m.searched, (await repo.findLearnersByEmail(email.data)).map(publicLearner));
  }
  return fail(422, messages.missingParameters);
}
