// A profile never outlives its learner (../../../shared/spec/sync.md "Delete against edit"). Deleting a learner on a
// device deletes the profile it holds; replication can still pair a deleted learner with a live profile when the
// profile was created or revived on another device that had not seen the deletion:
// - the server refuses that profile ("Learner with uuid … not found") once the deletion is there, and only the
//   device that pushed it holds that state: it deletes the profile itself;
// - if the profile reached the server first, every device pulls it live beside the deleted learner: the device that
//   deleted the learner deletes it, so the deletion is dated once and logged once.
// Either way the values the deletion takes away go to the conflict log as "deleted" entries, from which "restore"
// brings them back; the deletion is an ordinary local edit, pushed like any other.
import { auditTime, buffer, concatMap, filter, merge, share, type Subscription } from 'rxjs';
import { profileUuidFor } from '../../shared/ids';
import { mergeByFieldTime, type SyncedDoc } from '../../shared/merge';
import type { Repository } from '../../shared/repository';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import { learnerLock } from '../../shared/service/locks';
import { laterThan } from '../../shared/time';
import type { AppDatabase } from '../db/database';
import type { ConflictLog } from './conflict-log';

/** Writes are checked in bursts, one read of the learners per burst: a pull writes profiles by the hundred. */
const CHECK_EVERY_MS = 250;

const nodeOf = (time: string) => time.slice(30);

export interface ProfileCascade {
  /**
   * Deletes each given profile that is live while its learner is deleted, where this device is the one to do it:
   * it holds a copy the server refused for that reason (`refused`), or it deleted the learner.
   */
  settle(profileIds: readonly string[], refused?: ReadonlySet<string>): Promise<number>;
  /** Settles, as they are written, live profiles beside learners this device deleted. */
  watch(onError: (error: unknown) => void): Subscription;
}

export function createProfileCascade(db: AppDatabase, repo: Repository, conflicts: Pick<ConflictLog, 'record'>, myNode: () => string): ProfileCascade {
  const deletedHere = (learner: StoredLearner | undefined) => learner?.is_deleted === true && nodeOf(learner.sync.times.is_deleted ?? '') === myNode();

  async function settle(profileIds: readonly string[], refused: ReadonlySet<string> = new Set()) {
    let deleted = 0;
    for (const id of new Set(profileIds)) {
      const outcome = await repo.transaction(async (tx) => {
        const profile = await tx.getProfile(id);
        if (!profile || profile.is_deleted) return undefined;
        await tx.lock(learnerLock(profile.learner_id));
        const learner = await tx.getLearner(profile.learner_id);
        if (!learner?.is_deleted || profileUuidFor(learner.uuid) !== id) return undefined;
        if (!refused.has(id) && !deletedHere(learner)) return undefined;
        const tombstone: StoredProfile = { ...profile, is_deleted: true, last_modified_time: laterThan(profile.last_modified_time) };
        // Dated as this device's edit as it is written (the store stamps the object it is given).
        await tx.putProfile(tombstone);
        return { before: profile, after: tombstone };
      });
      if (!outcome) continue;
      deleted++;
      // Every value the live copy held is reported: this device cannot tell which of them the deletion had seen.
      const { lost } = mergeByFieldTime(undefined, outcome.before as unknown as SyncedDoc, outcome.after as unknown as SyncedDoc);
      if (lost.length > 0) await conflicts.record({ collection: 'learner_profiles', document: outcome.after as unknown as SyncedDoc & StoredProfile, values: lost });
    }
    return deleted;
  }

  /** Profiles written live, and the profiles of learners written deleted, each with its learner's id. */
  async function settleWritten(events: { documentData?: unknown; operation: string }[]) {
    const learnerOf = new Map<string, string>();
    for (const event of events) {
      const doc = event.documentData as { uuid: string; learner_id?: string; is_deleted?: boolean } | undefined;
      if (!doc || event.operation === 'DELETE') continue;
      if (doc.learner_id !== undefined && doc.is_deleted === false) learnerOf.set(doc.uuid, doc.learner_id);
      else if (doc.learner_id === undefined && doc.is_deleted === true) learnerOf.set(profileUuidFor(doc.uuid), doc.uuid);
    }
    if (learnerOf.size === 0) return;
    const learners = new Map((await repo.getLearners([...new Set(learnerOf.values())])).map((learner) => [learner.uuid, learner]));
    const candidates = [...learnerOf].filter(([, learnerId]) => deletedHere(learners.get(learnerId))).map(([profileId]) => profileId);
    if (candidates.length > 0) await settle(candidates);
  }

  return {
    settle,
    watch(onError) {
      const written = merge(db.learners.$, db.learner_profiles.$).pipe(share());
      // A timer only while writes come in (auditTime), none on an idle device.
      return written
        .pipe(
          buffer(written.pipe(auditTime(CHECK_EVERY_MS))),
          filter((events) => events.length > 0),
          concatMap((events) => settleWritten(events).catch(onError)),
        )
        .subscribe();
    },
  };
}
