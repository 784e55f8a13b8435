// The conflict log (../../../shared/spec/sync.md "Conflicts"): every value that lost a merge, with both sides, the
// devices and the times, named by the learner it concerns. Entries are replicated documents: written by the device
// whose merge found them, they reach every device of the record's center through the server, and resolving one is an
// ordinary edit (of the record, and of the entry, which is then resolved everywhere).
import type { ConflictChoice, ConflictEntry } from '../../shared/desktop';
import { stampEdit } from '../../shared/edits';
import { hlcMillis } from '../../shared/hlc';
import { idFromText } from '../../shared/ids';
import type { LostValue } from '../../shared/merge';
import type { Repository } from '../../shared/repository';
import { fail, ok, type Result } from '../../shared/result';
import type { StoredConflict } from '../../shared/schemas/conflict';
import { storedLearner, type StoredLearner } from '../../shared/schemas/learner';
import { storedProfile, type StoredProfile } from '../../shared/schemas/profile';
import { unstamped } from '../../shared/schemas/sync';
import { laterThan, now } from '../../shared/time';
import type { AppDatabase } from '../db/database';
import type { LostValues } from './conflict-handler';
import type { DeviceClock } from './device-clock';

const json = (value: unknown) => JSON.stringify(value ?? null);
const parse = (text: string): unknown => JSON.parse(text);
const instant = (time: string) => (time ? new Date(hlcMillis(time)).toISOString() : null);
const nodeOf = (time: string) => time.slice(30);

const fullName = (learner: Pick<StoredLearner, 'first_name' | 'last_name'> | undefined) =>
  learner ? `${learner.first_name} ${learner.last_name}`.slice(0, 130) : 'A learner not on this device';

export class ConflictLog {
  private readonly db: AppDatabase;
  private readonly clock: DeviceClock;
  constructor(db: AppDatabase, clock: DeviceClock) {
    this.db = db;
    this.clock = clock;
  }

  /** Idempotent: a loss found twice (on two devices, or twice here) is one entry, whose id derives from it. */
  async record(lost: LostValues): Promise<void> {
    if (lost.collection === 'conflicts') return;
    const doc = lost.document as unknown as StoredLearner | StoredProfile;
    const isLearner = lost.collection === 'learners';
    const learnerId = isLearner ? doc.uuid : (doc as StoredProfile).learner_id;
    const learner = isLearner ? (doc as StoredLearner) : ((await this.db.learners.findOne(learnerId).exec())?.toJSON() as StoredLearner | undefined);
    for (const value of lost.values) {
      const entry = this.entryFor(value, isLearner ? 'learner' : 'learner_profile', doc.uuid, learnerId, fullName(learner));
      if (await this.db.conflicts.findOne(entry.uuid).exec()) continue;
      await this.db.conflicts.insert(entry).catch((error: unknown) => {
        // Written meanwhile by the same merge, or pulled from another device that found it too.
        if ((error as { code?: string }).code !== 'CONFLICT') throw error;
      });
    }
  }

  private entryFor(value: LostValue, recordType: StoredConflict['record_type'], recordId: string, learnerId: string, learnerName: string): StoredConflict {
    const time = now();
    const entry: StoredConflict = {
      uuid: idFromText(`conflict:${recordId}:${value.field}:${value.kind}:${value.lostTime}:${value.keptTime}`),
      record_type: recordType,
      record_id: recordId,
      learner_id: learnerId,
      learner_name: learnerName,
      field: value.field,
      kind: value.kind,
      lost_value: json(value.lost),
      kept_value: json(value.kept),
      lost_device: value.lostDevice,
      kept_device: value.keptDevice,
      lost_time: value.lostTime,
      kept_time: value.keptTime,
      resolved: false,
      resolution: null,
      resolved_by: null,
      resolved_time: null,
      is_deleted: false,
      sync: unstamped(),
      created_time: time,
      last_modified_time: time,
    };
    return stampEdit(undefined, entry, this.clock.tick(), this.clock);
  }

  async list(): Promise<ConflictEntry[]> {
    const docs = await this.db.conflicts.find({ selector: { is_deleted: false }, sort: [{ created_time: 'desc' }] }).exec();
    return docs.map((doc) => this.view(doc.toJSON() as StoredConflict));
  }

  private view(entry: StoredConflict): ConflictEntry {
    const mine = nodeOf(entry.lost_time) === this.clock.node ? 'lost' : nodeOf(entry.kept_time) === this.clock.node ? 'kept' : null;
    return {
      id: entry.uuid,
      recordType: entry.record_type,
      recordId: entry.record_id,
      learnerId: entry.learner_id,
      learnerName: entry.learner_name,
      field: entry.field,
      kind: entry.kind,
      kept: parse(entry.kept_value),
      lost: parse(entry.lost_value),
      keptDevice: entry.kept_device,
      lostDevice: entry.lost_device,
      keptAt: instant(entry.kept_time),
      lostAt: instant(entry.lost_time),
      mine,
      resolved: entry.resolved,
      resolution: entry.resolution,
      resolvedBy: entry.resolved_by,
      resolvedAt: entry.resolved_time,
    };
  }

  unresolvedCount(): Promise<number> {
    return this.db.conflicts.count({ selector: { resolved: false, is_deleted: false } }).exec();
  }

  /** The records that have unresolved entries (their badges say "conflict"). */
  async unresolvedRecords(): Promise<Set<string>> {
    const docs = await this.db.conflicts.find({ selector: { resolved: false, is_deleted: false } }).exec();
    return new Set(docs.map((doc) => doc.record_id));
  }

  async resolve(repo: Repository, id: string, choice: ConflictChoice): Promise<Result> {
    const doc = await this.db.conflicts.findOne(id).exec();
    if (!doc) return fail(404, 'Conflict not found');
    const entry = doc.toJSON() as StoredConflict;
    if (entry.resolved) return fail(409, `Already resolved by ${entry.resolved_by ?? 'another device'}`);
    const view = this.view(entry);
    const outcome = choice === 'mine' || choice === 'theirs' ? sideOf(view.mine, choice) : choice;
    if (!outcome) return fail(422, 'This device wrote neither value: choose the kept or the lost one');
    const restore = outcome === 'restore' || (outcome === 'lost' && entry.kind === 'deleted');

    const written = outcome === 'kept' ? ok('Kept', null) : await this.apply(repo, entry, restore);
    if (written.status !== 200) return written;
    // Restoring a deleted record brings back every edit made to it without seeing the deletion.
    const settled = restore ? await this.deletionEntries(entry.record_id) : [entry];
    for (const settledEntry of settled) await this.markResolved(settledEntry, settledEntry.uuid === entry.uuid ? (restore ? 'restore' : outcome) : 'restore');
    return ok(outcome === 'kept' ? 'Kept as it is; the entry is resolved on every device' : 'Saved; it syncs like any other edit', null);
  }

  private async deletionEntries(recordId: string): Promise<StoredConflict[]> {
    const docs = await this.db.conflicts.find({ selector: { record_id: recordId, resolved: false, is_deleted: false } }).exec();
    return docs.map((d) => d.toJSON() as StoredConflict).filter((e) => e.kind === 'deleted');
  }

  private async markResolved(entry: StoredConflict, resolution: StoredConflict['resolution']) {
    const doc = await this.db.conflicts.findOne(entry.uuid).exec();
    if (!doc) return;
    await doc.incrementalModify((latest) => {
      const next = { ...latest, resolved: true, resolution, resolved_by: this.clock.name, resolved_time: now(), last_modified_time: laterThan(latest.last_modified_time) };
      return stampEdit(latest as never, next as never, this.clock.tick(), this.clock) as typeof latest;
    });
  }

  /** Puts the lost value back, as an ordinary edit of the record; `restore` also brings a deleted record back. */
  private async apply(repo: Repository, entry: StoredConflict, restore: boolean): Promise<Result> {
    const values = restore ? await this.deletionEntries(entry.record_id) : [entry];
    if (!values.some((v) => v.uuid === entry.uuid)) values.push(entry);
    const changes = Object.fromEntries(values.map((v) => [v.field, parse(v.lost_value)])) as Record<string, unknown>;
    if (restore) changes.is_deleted = false;
    const refused = (message?: string) => fail(422, `That value can no longer be stored: ${message ?? 'invalid'}`);
    return repo.transaction(async (tx) => {
      if (entry.record_type === 'learner') {
        const learner = await tx.getLearner(entry.record_id);
        if (!learner) return fail(404, `${entry.learner_name} is not on this device`);
        const next = storedLearner.safeParse({ ...learner, ...changes, last_modified_time: laterThan(learner.last_modified_time) });
        if (!next.success) return refused(next.error.issues[0]?.message);
        await tx.putLearner(next.data);
      } else {
        const profile = await tx.getProfile(entry.record_id);
        if (!profile) return fail(404, `The profile of ${entry.learner_name} is not on this device`);
        const next = storedProfile.safeParse({ ...profile, ...changes, last_modified_time: laterThan(profile.last_modified_time) });
        if (!next.success) return refused(next.error.issues[0]?.message);
        // A profile comes back with its learner, if the learner was deleted with it.
        const learner = await tx.getLearner(profile.learner_id);
        if (restore && learner?.is_deleted) await tx.putLearner({ ...learner, is_deleted: false, last_modified_time: laterThan(learner.last_modified_time) });
        await tx.putProfile(next.data);
      }
      return ok('Saved', null);
    });
  }
}

function sideOf(mine: ConflictEntry['mine'], choice: 'mine' | 'theirs'): 'kept' | 'lost' | undefined {
  if (!mine) return undefined;
  if (choice === 'mine') return mine;
  return mine === 'kept' ? 'lost' : 'kept';
}
