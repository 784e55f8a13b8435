// The conflict log: every value that lost a merge, with both sides, until a counselor resolves it. Resolving is an
// ordinary local edit (it syncs like any other).
import { createHash } from 'node:crypto';
import type { ConflictChoice, ConflictEntry } from '../../shared/desktop';
import { profileUuidFor } from '../../shared/ids';
import type { Repository } from '../../shared/repository';
import { fail, ok, type Result } from '../../shared/result';
import { storedLearner } from '../../shared/schemas/learner';
import { storedProfile } from '../../shared/schemas/profile';
import { laterThan, now } from '../../shared/time';
import type { AppDatabase } from '../db/database';
import type { LostValues } from './conflict-handler';
import type { ConflictRecord } from './state-schemas';

const json = (value: unknown) => JSON.stringify(value ?? null);

export class ConflictLog {
  private readonly db: AppDatabase;
  private readonly deviceName: () => Promise<string>;
  constructor(db: AppDatabase, deviceName: () => Promise<string>) {
    this.db = db;
    this.deviceName = deviceName;
  }

  /** Idempotent: the same lost value reported twice is one entry. */
  async record(lost: LostValues): Promise<void> {
    const device = await this.deviceName();
    for (const value of lost.values) {
      const id = createHash('sha256').update(json([lost.collection, lost.documentId, value.field, value.mine, value.theirs])).digest('hex').slice(0, 40);
      if (await this.db.sync_conflicts.findOne(id).exec()) continue;
      const entry: ConflictRecord = {
        id,
        collection_name: lost.collection,
        documentId: lost.documentId,
        field: value.field,
        mine: json(value.mine),
        theirs: json(value.theirs),
        kept: value.kept,
        mineDevice: device,
        theirsDevice: null,
        at: now(),
        resolved: false,
      };
      await this.db.sync_conflicts.insert(entry).catch(() => {});
    }
  }

  async list(): Promise<ConflictEntry[]> {
    const docs = await this.db.sync_conflicts.find({ sort: [{ at: 'desc' }] }).exec();
    return docs.map((doc) => {
      const entry = doc.toMutableJSON(false);
      const { collection_name, ...rest } = entry;
      return { ...rest, collection: collection_name, mine: JSON.parse(entry.mine) as unknown, theirs: JSON.parse(entry.theirs) as unknown };
    });
  }

  unresolvedCount(): Promise<number> {
    return this.db.sync_conflicts.count({ selector: { resolved: false } }).exec();
  }

  async unresolved(): Promise<ConflictRecord[]> {
    return (await this.db.sync_conflicts.find({ selector: { resolved: false } }).exec()).map((d) => d.toMutableJSON(false));
  }

  async resolve(repo: Repository, id: string, choice: ConflictChoice): Promise<Result> {
    const doc = await this.db.sync_conflicts.findOne(id).exec();
    if (!doc) return fail(404, 'Conflict not found');
    const entry = doc.toMutableJSON(false);
    const mine = JSON.parse(entry.mine) as unknown;
    const theirs = JSON.parse(entry.theirs) as unknown;
    const value = choice === 'mine' ? mine : choice === 'theirs' ? theirs : entry.kept === 'mine' ? theirs : mine;
    const result = await repo.transaction(async (tx) => {
      if (entry.collection_name === 'learners') {
        const learner = await tx.getLearner(entry.documentId);
        if (!learner) return fail(404, `Learner with uuid ${entry.documentId} not found`);
        const next = storedLearner.safeParse({ ...learner, [entry.field]: value ?? undefined, last_modified_time: laterThan(learner.last_modified_time) });
        if (!next.success) return fail(422, `That value can no longer be stored: ${next.error.issues[0]?.message}`);
        await tx.putLearner(next.data);
      } else {
        const profile = await tx.getProfile(entry.documentId);
        if (!profile) return fail(404, `Learner profile ${entry.documentId} not found`);
        const next = storedProfile.safeParse({ ...profile, [entry.field]: value, last_modified_time: laterThan(profile.last_modified_time) });
        if (!next.success || next.data.uuid !== profileUuidFor(next.data.learner_id)) {
          return fail(422, `That value can no longer be stored: ${next.error?.issues[0]?.message ?? 'invalid'}`);
        }
        await tx.putProfile(next.data);
      }
      return ok('Conflict resolved', null);
    });
    if (result.status === 200) await doc.incrementalPatch({ resolved: true });
    return result;
  }
}
