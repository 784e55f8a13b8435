import { randomId } from '../ids';
import { messages } from '../messages';
import type { Repository } from '../repository';
import { fail, ok, type Result } from '../result';
import { achievementCreate, type StoredAchievement } from '../schemas/achievement';
import { achievementListQuery } from '../schemas/queries';
import { now } from '../time';
import { parseInput } from '../validation';
import { publicAchievement } from './public';

const m = messages.achievement;

export async function createAchievement(repo: Repository, body: unknown): Promise<Result> {
  const parsed = parseInput(achievementCreate, body, 'body');
  if (!parsed.ok) return parsed.result;
  const time = now();
  const { description, ...required } = parsed.value;
  const achievement: StoredAchievement = {
    uuid: randomId(),
    ...required,
    ...(description === undefined ? {} : { description }),
    is_deleted: false,
    created_time: time,
    last_modified_time: time,
  };
  await repo.transaction((tx) => tx.putAchievement(achievement));
  return ok(m.created, publicAchievement(achievement));
}

export async function getAchievement(repo: Repository, uuid: string): Promise<Result> {
  const achievement = await repo.getAchievement(uuid);
  if (!achievement || achievement.is_deleted) return fail(404, m.notFound(uuid));
  return ok(m.fetched, publicAchievement(achievement));
}

export async function listAchievements(repo: Repository, query: unknown): Promise<Result> {
  const parsed = parseInput(achievementListQuery, query, 'query');
  if (!parsed.ok) return parsed.result;
  return ok(m.listed, (await repo.listAchievements(parsed.value)).map(publicAchievement));
}
