// A device holds only its own centers' records (../../../shared/spec/trust.md "Who may see what"). A token for fewer
// centers (a laptop handed to a counselor of another center) takes the others' learners off it at the first
// connection that says so, with their profiles and conflict log entries, as a learner moved to another center
// leaves. Learners not yet placed in a center (made here before this device met the server) stay: their push places
// them.
import { profileUuidFor } from '../../shared/ids';
import type { SyncCollection } from '../../shared/sync-protocol';
import type { AppDatabase } from '../db/database';

/** What a token may see: every center, or these (by id). */
export interface Scope {
  admin: boolean;
  centers: readonly string[];
}

/**
 * How the scope changed since the one records were last checked against: records may have fallen outside it
 * (`narrowed`), or records the pull's checkpoint has passed may now be this device's (`widened`).
 */
export function scopeChange(before: Scope | undefined, now: Scope): { narrowed: boolean; widened: boolean } {
  if (!before) return { narrowed: !now.admin, widened: true };
  return {
    narrowed: !now.admin && (before.admin || before.centers.some((center) => !now.centers.includes(center))),
    widened: !before.admin && (now.admin || now.centers.some((center) => !before.centers.includes(center))),
  };
}

/** The records held here that belong to none of these centers, by collection. */
export async function outsideScope(db: AppDatabase, scope: Scope): Promise<Partial<Record<SyncCollection, string[]>>> {
  if (scope.admin) return {};
  const learners = (await db.learners.find({ selector: { center_id: { $exists: true, $nin: [...scope.centers] } } }).exec()).map((doc) => doc.uuid);
  if (learners.length === 0) return {};
  const profiles = [...(await db.learner_profiles.findByIds(learners.map(profileUuidFor)).exec()).keys()];
  const conflicts = (await db.conflicts.find({ selector: { learner_id: { $in: learners } } }).exec()).map((doc) => doc.uuid);
  return { learners, learner_profiles: profiles, conflicts };
}
