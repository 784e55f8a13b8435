// Imports (api.md "Import"): a list of records (or one record), each checked by the same validation and rules as
// its create, all or nothing. A file with any bad record creates nothing and answers 422 with each bad record's index
// in `loc` (`["body", index, field...]`). Long files are worked through in chunks, reporting progress between them.
import { z } from 'zod';
import { profileUuidFor } from '../ids';
import { messages } from '../messages';
import { noProgress, type ProgressReporter } from '../progress';
import type { Repository } from '../repository';
import { fail, invalid, ok, type ErrorDetail, type Result } from '../result';
import { achievementCreate } from '../schemas/achievement';
import { learnerCreate } from '../schemas/learner';
import { profileCreate } from '../schemas/profile';
import { now } from '../time';
import { parseInput } from '../validation';
import { newAchievement } from './achievements';
import { newLearner, sameBackupEmail } from './learners';
import { centerDetail, mayAdminister } from './centers';
import { emailLock, learnerLock, locksFor } from './locks';
import { newProfile } from './profiles';

/** Records checked between two progress reports (and so between two chances for the host to breathe). */
const CHUNK = 250;
/** A file full of mistakes is answered with the first ones, enough to fix it in a few rounds. */
const MAX_DETAILS = 100;

const problem = (index: number, path: (string | number)[], msg: string, type: string): ErrorDetail => ({
  loc: ['body', index, ...path],
  msg,
  type,
});

function recordsOf(body: unknown): unknown[] | Result {
  if (Array.isArray(body)) return body;
  if (body !== null && typeof body === 'object') return [body];
  return invalid([{ loc: ['body'], msg: 'must be a list of records, or one record', type: 'type_error.list' }]);
}

interface Checked<T> {
  /** Each record's parsed value, by its index; undefined where it failed (its details say why). */
  values: (T | undefined)[];
  details: ErrorDetail[];
}

/** Each record through its create's schema, in chunks; a failure's `loc` gets the record's index. */
async function parseEach<S extends z.ZodType>(
  schema: S,
  records: unknown[],
  operation: string,
  report: ProgressReporter,
): Promise<Checked<z.output<S>>> {
  const values: (z.output<S> | undefined)[] = [];
  const details: ErrorDetail[] = [];
  for (const [index, record] of records.entries()) {
    if (index % CHUNK === 0) await report({ operation, phase: 'checking', done: index, total: records.length });
    const parsed = parseInput(schema, record, 'body');
    values.push(parsed.ok ? parsed.value : undefined);
    if (!parsed.ok && details.length < MAX_DETAILS) {
      for (const detail of parsed.result.body.data as ErrorDetail[]) details.push({ ...detail, loc: ['body', index, ...detail.loc.slice(1)] });
    }
  }
  await report({ operation, phase: 'checking', done: records.length, total: records.length });
  return { values, details };
}

const saving = (operation: string, report: ProgressReporter) => ({
  onWrite: (written: number, total: number) => report({ operation, phase: 'saving', done: written, total }),
});

/** Every problem found, record by record (the order of the file). */
const refused = (details: ErrorDetail[]) =>
  invalid(details.sort((a, b) => Number(a.loc[1]) - Number(b.loc[1])).slice(0, MAX_DETAILS));

/** The records that parsed, with their indexes. */
const parsedOnly = <T>(values: (T | undefined)[]) =>
  values.flatMap((value, index) => (value === undefined ? [] : [[index, value] as const]));

export async function importLearners(repo: Repository, body: unknown, report: ProgressReporter = noProgress): Promise<Result> {
  const operation = 'learner.import';
  const records = recordsOf(body);
  if (!Array.isArray(records)) return records;
  const { values, details } = await parseEach(learnerCreate, records, operation, report);

  const firstWithEmail = new Map<string, number>();
  const centers = new Map<number, string | undefined>();
  for (const [index, learner] of parsedOnly(values)) {
    const center = centerDetail(repo.scope, learner.center_id, ['body', index, 'center_id']);
    if (typeof center === 'object') details.push(center);
    else centers.set(index, center);
    if (sameBackupEmail(learner)) details.push(problem(index, ['backup_email_address'], messages.learner.sameBackupEmail, 'value_error.backup_email'));
    const first = firstWithEmail.get(learner.email_address);
    if (first === undefined) firstWithEmail.set(learner.email_address, index);
    else details.push(problem(index, ['email_address'], `${messages.learner.duplicateEmail(learner.email_address)} (record ${first} of this file)`, 'value_error.conflict'));
  }

  return repo.transaction(async (tx) => {
    for (const key of locksFor([...firstWithEmail.keys()].map(emailLock))) await tx.lock(key);
    // Emails are unique across every center, so the check reaches beyond the caller's.
    for (const existing of await tx.emailOwners([...firstWithEmail.keys()])) {
      const index = firstWithEmail.get(existing.email);
      if (index !== undefined) details.push(problem(index, ['email_address'], messages.learner.duplicateEmail(existing.email), 'value_error.conflict'));
    }
    if (details.length > 0) return refused(details);
    const learners = parsedOnly(values).map(([index, { center_id: _requested, ...input }]) => {
      const center = centers.get(index);
      return newLearner({ ...input, ...(center ? { center_id: center } : {}) }, now());
    });
    await tx.putLearners(learners);
    return ok(messages.learner.imported, learners.map((learner) => learner.uuid));
  }, saving(operation, report));
}

/** A profile record names its learner; the rest is a profile create's body. */
const profileRecord = z.object({ learner_id: z.string().min(1) }).and(profileCreate);

export async function importProfiles(repo: Repository, body: unknown, report: ProgressReporter = noProgress): Promise<Result> {
  const operation = 'learnerProfile.import';
  const records = recordsOf(body);
  if (!Array.isArray(records)) return records;
  const { values, details } = await parseEach(profileRecord, records, operation, report);
  const parsed = parsedOnly(values);

  const firstForLearner = new Map<string, number>();
  const repeated = new Set<number>();
  for (const [index, profile] of parsed) {
    const first = firstForLearner.get(profile.learner_id);
    if (first === undefined) firstForLearner.set(profile.learner_id, index);
    else {
      repeated.add(index);
      details.push(problem(index, ['learner_id'], `${messages.profile.exists(profile.learner_id)} (record ${first} of this file)`, 'value_error.conflict'));
    }
  }

  return repo.transaction(async (tx) => {
    const learnerIds = [...firstForLearner.keys()];
    for (const key of locksFor(learnerIds.map(learnerLock))) await tx.lock(key);
    const learners = new Map((await tx.getLearners(learnerIds)).map((learner) => [learner.uuid, learner]));
    // A deleted profile does not count: importing one creates it again, as a create would.
    const stored = new Map((await tx.getProfiles(learnerIds.map(profileUuidFor))).map((profile) => [profile.learner_id, profile]));
    const existing = new Set([...stored.values()].filter((profile) => !profile.is_deleted).map((profile) => profile.learner_id));
    const achievementIds = [...new Set(parsed.flatMap(([, profile]) => profile.achievements))];
    const achievements = new Set(
      (await tx.getAchievements(achievementIds)).filter((achievement) => !achievement.is_deleted).map((achievement) => achievement.uuid),
    );
    for (const [index, profile] of parsed) {
      const learner = learners.get(profile.learner_id);
      if (repeated.has(index)) {
        // Already refused: one profile per learner.
      } else if (!learner || learner.is_deleted) {
        details.push(problem(index, ['learner_id'], messages.learner.notFound(profile.learner_id), 'value_error.not_found'));
      } else if (learner.is_archived) {
        details.push(problem(index, ['learner_id'], messages.profile.archivedLearner(profile.learner_id), 'value_error.archived'));
      } else if (existing.has(profile.learner_id)) {
        details.push(problem(index, ['learner_id'], messages.profile.exists(profile.learner_id), 'value_error.conflict'));
      }
      profile.achievements.forEach((id, position) => {
        if (!achievements.has(id)) details.push(problem(index, ['achievements', position], messages.achievement.notFound(id), 'value_error.not_found'));
      });
    }
    if (details.length > 0) return refused(details);
    const profiles = parsed.map(([, { learner_id, ...fields }]) => {
      const fresh = newProfile(learner_id, fields, now());
      const deleted = stored.get(learner_id);
      return deleted ? { ...fresh, created_time: deleted.created_time, sync: deleted.sync } : fresh;
    });
    await tx.putProfiles(profiles);
    return ok(messages.profile.imported, profiles.map((profile) => profile.uuid));
  }, saving(operation, report));
}

export async function importAchievements(repo: Repository, body: unknown, report: ProgressReporter = noProgress): Promise<Result> {
  const operation = 'achievement.import';
  if (!mayAdminister(repo.scope)) return fail(403, messages.notAllowed);
  const records = recordsOf(body);
  if (!Array.isArray(records)) return records;
  const { values, details } = await parseEach(achievementCreate, records, operation, report);
  if (details.length > 0) return refused(details);
  const achievements = parsedOnly(values).map(([, input]) => newAchievement(input, now()));
  await repo.transaction((tx) => tx.putAchievements(achievements), saving(operation, report));
  return ok(messages.achievement.imported, achievements.map((achievement) => achievement.uuid));
}
