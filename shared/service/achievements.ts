import { randomId } from '../ids';
import { messages } from '../messages';
import type { Repository } from '../repository';
import { done, fail, ok, type Result } from '../result';
import { achievementCreate, achievementUpdate, completeAchievement, type StoredAchievement } from '../schemas/achievement';
import { achievementListQuery, achievementSearchQuery } from '../schemas/queries';
import { laterThan, now } from '../time';
import { parseInput } from '../validation';
import { learnerLock, locksFor } from './locks';
import { mayAdminister } from './centers';
import { publicAchievement } from './public';

const m = messages.achievement;

const live = (achievement: StoredAchievement | undefined) => (achievement && !achievement.is_deleted ? achievement : undefined);

/** A new catalog entry from a create's parsed input. */
export function newAchievement(input: ReturnType<typeof achievementCreate.parse>, time: string): StoredAchievement {
  return { uuid: randomId(), ...input, is_deleted: false, created_time: time, last_modified_time: time };
}

export async function createAchievement(repo: Repository, body: unknown): Promise<Result> {
  // The catalog is authored centrally: administrators only.
  if (!mayAdminister(repo.scope)) return fail(403, messages.notAllowed);
  const parsed = parseInput(achievementCreate, body, 'body');
  if (!parsed.ok) return parsed.result;
  const achievement = newAchievement(parsed.value, now());
  await repo.transaction((tx) => tx.putAchievement(achievement));
  return ok(m.created, publicAchievement(achievement));
}

export async function getAchievement(repo: Repository, uuid: string): Promise<Result> {
  const achievement = live(await repo.getAchievement(uuid));
  return achievement ? ok(m.fetched, publicAchievement(achievement)) : fail(404, m.notFound(uuid));
}

export async function updateAchievement(repo: Repository, uuid: string, body: unknown): Promise<Result> {
  // The catalog is authored centrally: administrators only.
  if (!mayAdminister(repo.scope)) return fail(403, messages.notAllowed);
  const parsed = parseInput(achievementUpdate, body, 'body');
  if (!parsed.ok) return parsed.result;
  return repo.transaction(async (tx) => {
    const achievement = live(await tx.getAchievement(uuid));
    if (!achievement) return fail(404, m.notFound(uuid));
    const updated: StoredAchievement = {
      ...completeAchievement(achievement),
      ...parsed.value,
      last_modified_time: laterThan(achievement.last_modified_time),
    };
    await tx.putAchievement(updated);
    return ok(m.updated, publicAchievement(updated));
  });
}

/** Soft delete; the id also leaves every live profile that lists it (as the reference does), as ordinary edits. */
export async function deleteAchievement(repo: Repository, uuid: string): Promise<Result> {
  // The catalog is authored centrally: administrators only.
  if (!mayAdminister(repo.scope)) return fail(403, messages.notAllowed);
  return repo.transaction(async (tx) => {
    const achievement = live(await tx.getAchievement(uuid));
    if (!achievement) return fail(404, m.notFound(uuid));
    const profiles = await tx.findProfilesWithAchievement(uuid);
    for (const key of locksFor(profiles.map((profile) => learnerLock(profile.learner_id)))) await tx.lock(key);
    for (const profile of profiles) {
      const current = await tx.getProfile(profile.uuid);
      if (!current || current.is_deleted || !current.achievements.includes(uuid)) continue;
      await tx.putProfile({
        ...current,
        achievements: current.achievements.filter((id) => id !== uuid),
        last_modified_time: laterThan(current.last_modified_time),
      });
    }
    await tx.putAchievement({ ...achievement, is_deleted: true, last_modified_time: laterThan(achievement.last_modified_time) });
    return done(m.deleted);
  });
}

export async function listAchievements(repo: Repository, query: unknown): Promise<Result> {
  const parsed = parseInput(achievementListQuery, query, 'query');
  if (!parsed.ok) return parsed.result;
  const { records, total } = await repo.listAchievements(parsed.value);
  return ok(m.listed, { records: records.map(publicAchievement), total_count: total });
}

export async function searchAchievements(repo: Repository, query: unknown): Promise<Result> {
  const parsed = parseInput(achievementSearchQuery, query, 'query');
  if (!parsed.ok) return parsed.result;
  const { type } = parsed.value;
  return ok(m.listed, type ? (await repo.findAchievementsByType(type)).map(publicAchievement) : []);
}
