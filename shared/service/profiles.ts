import { profileUuidFor } from '../ids';
import { messages } from '../messages';
import type { ReadStore, Repository } from '../repository';
import { done, fail, ok, type Result } from '../result';
import type { StoredLearner } from '../schemas/learner';
import { completeProfile, profileCreate, profileUpdate, type ProfileFields, type ProfileUpdate, type StoredProfile } from '../schemas/profile';
import { profileListQuery, profileSearchQuery } from '../schemas/queries';
import { unstamped } from '../schemas/sync';
import { laterThan, now } from '../time';
import { parseInput } from '../validation';
import { learnerLock } from './learners';
import { publicProfile } from './public';

const m = messages.profile;

type Found<T> = { ok: true; value: T } | { ok: false; result: Result };

async function liveLearner(store: ReadStore, learnerId: string): Promise<Found<StoredLearner>> {
  const learner = await store.getLearner(learnerId);
  if (!learner || learner.is_deleted) return { ok: false, result: fail(404, messages.learner.notFound(learnerId)) };
  return { ok: true, value: learner };
}

/** By uuid: a missing profile is reported with the seed's wording, never revealing another learner's. */
async function profileByUuid(store: ReadStore, learnerId: string, uuid: string): Promise<Found<StoredProfile>> {
  const learner = await liveLearner(store, learnerId);
  if (!learner.ok) return learner;
  const profile = await store.getProfile(uuid);
  if (!profile || profile.is_deleted || profile.learner_id !== learnerId) {
    return { ok: false, result: fail(404, messages.learner.notFound(uuid)) };
  }
  return { ok: true, value: profile };
}

async function profileOfLearner(store: ReadStore, learnerId: string): Promise<Found<StoredProfile>> {
  const learner = await liveLearner(store, learnerId);
  if (!learner.ok) return learner;
  const profile = await store.getProfile(profileUuidFor(learnerId));
  if (!profile || profile.is_deleted) return { ok: false, result: fail(404, m.notFoundForLearner(learnerId)) };
  return { ok: true, value: profile };
}

async function missingAchievement(store: ReadStore, ids: readonly string[] | undefined): Promise<Result | undefined> {
  for (const id of new Set(ids ?? [])) {
    const achievement = await store.getAchievement(id);
    if (!achievement || achievement.is_deleted) return fail(404, messages.achievement.notFound(id));
  }
  return undefined;
}

/** A new profile from a create's parsed input. */
export function newProfile(learnerId: string, fields: ProfileFields, time: string): StoredProfile {
  return {
    uuid: profileUuidFor(learnerId),
    learner_id: learnerId,
    ...fields,
    is_archived: false,
    is_deleted: false,
    sync: unstamped(),
    created_time: time,
    last_modified_time: time,
  };
}

export async function createProfile(repo: Repository, learnerId: string, body: unknown): Promise<Result> {
  const parsed = parseInput(profileCreate, body, 'body');
  if (!parsed.ok) return parsed.result;
  const fields = parsed.value;

  return repo.transaction(async (tx) => {
    await tx.lock(learnerLock(learnerId));
    const learner = await liveLearner(tx, learnerId);
    if (!learner.ok) return learner.result;
    if (learner.value.is_archived) return fail(422, m.archivedLearner(learnerId));
    const existing = await tx.getProfile(profileUuidFor(learnerId));
    if (existing && !existing.is_deleted) return fail(409, m.exists(learnerId));
    const missing = await missingAchievement(tx, fields.achievements);
    if (missing) return missing;

    // A deleted profile is created again under its own (derived) uuid: fresh fields, its history kept.
    const fresh = newProfile(learnerId, fields, now());
    const profile = existing ? { ...fresh, created_time: existing.created_time, sync: existing.sync } : fresh;
    await tx.putProfile(profile);
    return ok(m.created, publicProfile(profile));
  });
}

export async function getProfile(repo: Repository, learnerId: string, uuid: string): Promise<Result> {
  const found = await profileByUuid(repo, learnerId, uuid);
  return found.ok ? ok(m.fetched, publicProfile(found.value)) : found.result;
}

export async function getProfileByLearner(repo: Repository, learnerId: string): Promise<Result> {
  const found = await profileOfLearner(repo, learnerId);
  return found.ok ? ok(m.fetched, publicProfile(found.value)) : found.result;
}

/** A top-level merge: a key sent replaces the whole field; `last_modified_time` always moves forward. */
async function update(
  repo: Repository,
  learnerId: string,
  body: unknown,
  find: (store: ReadStore) => Promise<Found<StoredProfile>>,
): Promise<Result> {
  const parsed = parseInput(profileUpdate, body, 'body');
  if (!parsed.ok) return parsed.result;
  const changes: ProfileUpdate = parsed.value;

  return repo.transaction(async (tx) => {
    await tx.lock(learnerLock(learnerId));
    const found = await find(tx);
    if (!found.ok) return found.result;
    const missing = await missingAchievement(tx, changes.achievements);
    if (missing) return missing;
    const profile = found.value;
    const updated: StoredProfile = { ...completeProfile(profile), ...changes, last_modified_time: laterThan(profile.last_modified_time) };
    await tx.putProfile(updated);
    return ok(m.updated, publicProfile(updated));
  });
}

export const updateProfile = (repo: Repository, learnerId: string, uuid: string, body: unknown) =>
  update(repo, learnerId, body, (store) => profileByUuid(store, learnerId, uuid));

export const updateProfileByLearner = (repo: Repository, learnerId: string, body: unknown) =>
  update(repo, learnerId, body, (store) => profileOfLearner(store, learnerId));

export async function deleteProfile(repo: Repository, learnerId: string): Promise<Result> {
  return repo.transaction(async (tx) => {
    await tx.lock(learnerLock(learnerId));
    const found = await profileOfLearner(tx, learnerId);
    if (!found.ok) return found.result;
    const profile = found.value;
    await tx.putProfile({ ...profile, is_deleted: true, last_modified_time: laterThan(profile.last_modified_time) });
    return done(m.deleted);
  });
}

export async function listProfiles(repo: Repository, query: unknown): Promise<Result> {
  const parsed = parseInput(profileListQuery, query, 'query');
  if (!parsed.ok) return parsed.result;
  const { records, total } = await repo.listProfiles(parsed.value);
  return ok(m.listed, { records: records.map(publicProfile), total_count: total });
}

export async function searchProfiles(repo: Repository, query: unknown): Promise<Result> {
  const parsed = parseInput(profileSearchQuery, query, 'query');
  if (!parsed.ok) return parsed.result;
  const learnerId = parsed.value.learner_id;
  if (!learnerId) return fail(422, messages.missingParameters);
  const found = await profileOfLearner(repo, learnerId);
  return found.ok ? ok(m.searched, [publicProfile(found.value)]) : found.result;
}
