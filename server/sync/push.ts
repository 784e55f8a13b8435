// `POST push`: RxDB's compare-and-set, one document at a time. A row is stored when the server still holds the
// state the client assumed; otherwise the client gets the server's state back as a conflict and merges.
//
// Each row runs in its own transaction, under its learner's advisory lock. One row's conflict or rejection then
// leaves the others alone (RxDB judges rows one by one), a transaction never holds more than one learner's lock,
// so concurrent pushes of many rows cannot deadlock on lock order, and locks are held for one row's work only.
// A push cut off midway has stored a prefix of its rows; the client's retry finds those already stored as sent,
// which the idempotence rule below turns into plain successes.
import fastDeepEqual from 'fast-deep-equal';
import type { Repository } from '../../shared/repository';
import {
  OUT_OF_SCOPE,
  toWireDocument,
  withoutReplicationKeys,
  type PushCollection,
  type PushResult,
  type PushRow,
} from '../../shared/sync-protocol';
import { hlcMillis } from '../../shared/hlc';
import { UNMERGED_FIELDS, type SyncAttribute } from '../../shared/merge';
import { parseTime } from '../../shared/time';
import { serverClock } from '../server-clock';
import type { Scope } from '../../shared/repository';
import { conflictRules, learnerRules, MOVE_NOT_ALLOWED, profileRules, type DocumentRules } from './rules';

type Outcome<T> =
  | { kind: 'stored' }
  | { kind: 'unchanged' }
  | { kind: 'conflict'; current: T }
  | { kind: 'rejected'; reason: string };

export const HARD_DELETE_REASON = '_deleted: true is not accepted; a document is deleted by setting is_deleted';

/** JSON as jsonb will hand it back: no undefined members, so comparisons see what is stored. */
const asStored = <T>(doc: T): T => JSON.parse(JSON.stringify(doc)) as T;

/** How far ahead of this server's clock a device may date a change (../spec/trust.md "Abuse and exposure"). */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

export const clockAheadReason = (minutes: number) =>
  `This device's clock is ${minutes > 90 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`} ahead of the server's, so its change was not accepted. ` +
  'Set the correct date and time on this device; the change stays here and is sent again.';

/** How many minutes past the allowed margin a document's latest time is, or 0. */
function minutesAhead(doc: { last_modified_time: string; created_time: string; sync: SyncAttribute }, serverNow: number): number {
  const times = [parseTime(doc.last_modified_time) / 1000, parseTime(doc.created_time) / 1000, ...Object.values(doc.sync.times).map(hlcMillis)];
  const latest = Math.max(...times);
  return latest > serverNow + MAX_CLOCK_AHEAD_MS ? Math.ceil((latest - serverNow) / 60_000) : 0;
}

/**
 * A push may not undo a newer edit: every field it changes must carry a later edit time than the stored one. A
 * state sent from an older view of the document (a retried or late push) comes back as a conflict instead, so the
 * device merges it by field time.
 */
function undoesNewerEdit(current: { sync: SyncAttribute } & Record<string, unknown>, next: { sync: SyncAttribute } & Record<string, unknown>): boolean {
  const fields = new Set([...Object.keys(current), ...Object.keys(next), ...Object.keys(current.sync.times)]);
  for (const field of fields) {
    if (UNMERGED_FIELDS.has(field)) continue;
    const mine = next.sync.times[field] ?? '';
    const theirs = current.sync.times[field] ?? '';
    if (mine < theirs) return true;
    if (mine === theirs && !fastDeepEqual(current[field], next[field])) return true;
  }
  return false;
}

const inScope = (scope: Scope | undefined, center: string | undefined) => !scope || scope.admin || (center !== undefined && scope.centers.includes(center));

/**
 * A learner made on a device before it met the server carries no center: it joins the token's only center; a token
 * of several must say which.
 */
function withCenter<T>(doc: T, scope: Scope | undefined): T | undefined {
  const learner = doc as { center_id?: string; sync: SyncAttribute };
  if (learner.center_id !== undefined || !scope) return doc;
  if (scope.centers.length !== 1) return undefined;
  const time = serverClock.tick();
  return { ...doc, center_id: scope.centers[0], sync: { ...learner.sync, times: { ...learner.sync.times, center_id: time } } };
}

async function applyRow<T extends { uuid: string; created_time: string; last_modified_time: string; sync: SyncAttribute }>(
  repo: Repository,
  rules: DocumentRules<T>,
  row: PushRow,
  serverNow: number,
  scope: Scope | undefined,
): Promise<Outcome<T>> {
  if (row.newDocumentState['_deleted'] === true) return { kind: 'rejected', reason: HARD_DELETE_REASON };
  const parsed = rules.parse(withoutReplicationKeys(row.newDocumentState));
  if (!parsed.ok) return { kind: 'rejected', reason: parsed.reason };
  const placed = rules === (learnerRules as unknown) ? withCenter(parsed.doc, scope) : parsed.doc;
  if (!placed) return { kind: 'rejected', reason: 'This learner has no center: choose one of this device’s centers for them' };
  const next = asStored(placed);
  const ahead = minutesAhead(next, serverNow);
  if (ahead > 0) return { kind: 'rejected', reason: clockAheadReason(ahead) };
  const assumed = row.assumedMasterState && withoutReplicationKeys(row.assumedMasterState);

  return repo.transaction(async (tx): Promise<Outcome<T>> => {
    await tx.lock(rules.lockKey(next));
    const current = await rules.get(tx, next.uuid);
    // Outside the token's centers, a record is not the device's to read or change, and nothing of it is answered.
    if (current && !inScope(scope, await rules.centerOf(tx, current))) return { kind: 'rejected', reason: OUT_OF_SCOPE };
    // A profile or conflict entry whose learner has not arrived yet has no center: the rules' check refuses it as
    // an orphan, which the device sends again once the learner is there.
    const center = await rules.centerOf(tx, next);
    const orphan = center === undefined && rules !== (learnerRules as unknown);
    if (!orphan && !inScope(scope, center)) return { kind: 'rejected', reason: OUT_OF_SCOPE };
    const moves = current && (current as { center_id?: string }).center_id !== (next as { center_id?: string }).center_id && rules === (learnerRules as unknown);
    if (moves && scope && !scope.admin) return { kind: 'rejected', reason: MOVE_NOT_ALLOWED };
    // A retried push whose first answer was lost: the server already holds exactly this state. Writing it again
    // would hand every client a change that changes nothing; calling it a conflict would make this client merge
    // its own edit against itself.
    if (current && fastDeepEqual(current, next)) return { kind: 'unchanged' };
    // With nothing stored there is nothing to overwrite, whatever the client assumed (a server restored from an
    // older backup): storing its state loses no one's edit.
    if (current && !(assumed && fastDeepEqual(current, assumed))) return { kind: 'conflict', current };
    if (current && undoesNewerEdit(current as never, next as never)) return { kind: 'conflict', current };
    const problem = await rules.check(tx, next, current);
    if (problem) return { kind: 'rejected', reason: problem };
    // `last_modified_time` and the edit times stay as the device wrote them (merges compare edit times); the write
    // still takes a new seq, which is what orders changes.
    await rules.put(tx, next);
    for (const time of Object.values(next.sync.times)) serverClock.observe(time);
    return { kind: 'stored' };
  });
}

export async function applyPush(repo: Repository, collection: PushCollection, rows: PushRow[], scope?: Scope): Promise<PushResult> {
  const result: PushResult = { conflicts: [], rejected: [] };
  const serverNow = Date.now();
  // In order, so two rows for one document in one push behave as two pushes would.
  for (const row of rows) {
    const outcome =
      collection === 'learners'
        ? await applyRow(repo, learnerRules, row, serverNow, scope)
        : collection === 'learner_profiles'
          ? await applyRow(repo, profileRules, row, serverNow, scope)
          : await applyRow(repo, conflictRules, row, serverNow, scope);
    if (outcome.kind === 'conflict') result.conflicts.push(toWireDocument(outcome.current));
    if (outcome.kind === 'rejected') result.rejected.push({ id: row.newDocumentState.uuid, reason: outcome.reason });
  }
  return result;
}
