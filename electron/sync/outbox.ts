// What this device changed that the server has not confirmed yet: the "pending" count, each record's badge, and
// the changes the server refused (kept, with its reason, never dropped).
import type { RecordSyncState } from '../../shared/desktop';
import { profileUuidFor } from '../../shared/ids';
import type { AppDatabase } from '../db/database';
import type { OutboxEntry } from './state-schemas';

export type OutboxCollection = OutboxEntry['collection_name'];
const keyOf = (collection: OutboxCollection, uuid: string) => `${collection}:${uuid}`;

export class Outbox {
  private readonly db: AppDatabase;
  constructor(db: AppDatabase) {
    this.db = db;
  }

  /** The entries that mark changes as pending. The repository writes them in the same transaction as the changes. */
  static entriesFor(changes: { collection: OutboxCollection; uuid: string; last_modified_time: string }[]): OutboxEntry[] {
    return changes.map(({ collection, uuid, last_modified_time }) => ({ key: keyOf(collection, uuid), collection_name: collection, uuid, last_modified_time, state: 'pending' as const }));
  }

  /** Recorded before the change itself is written, so a crash between the two errs on the side of "pending". */
  async markPending(changes: { collection: OutboxCollection; uuid: string; last_modified_time: string }[]): Promise<void> {
    if (changes.length === 0) return;
    await this.db.sync_outbox.bulkUpsert(Outbox.entriesFor(changes));
  }

  /** The server stored these versions (or later ones of ours): nothing of them is waiting any more. One read for
   * a whole batch, as a pull of thousands of documents needs. */
  async settleMany(collection: OutboxCollection, docs: { uuid: string; last_modified_time: string }[]): Promise<void> {
    if (docs.length === 0) return;
    const entries = await this.db.sync_outbox.findByIds(docs.map((doc) => keyOf(collection, doc.uuid))).exec();
    if (entries.size === 0) return;
    const settled = docs.flatMap((doc) => {
      const entry = entries.get(keyOf(collection, doc.uuid));
      return entry && entry.last_modified_time <= doc.last_modified_time ? [entry.key] : [];
    });
    if (settled.length > 0) await this.db.sync_outbox.bulkRemove(settled);
  }

  /**
   * Records that left this device's centers: whatever was waiting for them cannot be sent any more. Answers how many
   * of them had a change waiting (pending or refused).
   */
  async forget(collection: OutboxCollection, uuids: string[]): Promise<number> {
    if (uuids.length === 0) return 0;
    // Counted by what this call removed: a pull's purge and a refused push's may forget the same entry at once.
    const { success } = await this.db.sync_outbox.bulkRemove(uuids.map((uuid) => keyOf(collection, uuid)));
    return success.length;
  }

  async reject(collection: OutboxCollection, uuid: string, lastModified: string, reason: string): Promise<void> {
    const entry = await this.db.sync_outbox.findOne(keyOf(collection, uuid)).exec();
    if (entry && entry.last_modified_time <= lastModified) await entry.incrementalPatch({ state: 'rejected', reason });
  }

  async rejected(collection: OutboxCollection): Promise<OutboxEntry[]> {
    return (await this.db.sync_outbox.find({ selector: { state: 'rejected', collection_name: collection } }).exec()).map((d) => d.toMutableJSON(false));
  }

  async counts(): Promise<{ pending: number; rejected: number }> {
    const [pending, rejected] = await Promise.all([
      this.db.sync_outbox.count({ selector: { state: 'pending' } }).exec(),
      this.db.sync_outbox.count({ selector: { state: 'rejected' } }).exec(),
    ]);
    return { pending, rejected };
  }

  async isPending(collection: OutboxCollection, uuid: string): Promise<boolean> {
    return (await this.db.sync_outbox.findOne(keyOf(collection, uuid)).exec()) !== null;
  }

  /** A learner's state, counting their profile with them (the screens show one badge per learner). */
  async states(learnerIds: string[], conflicted: Set<string>): Promise<Record<string, RecordSyncState>> {
    const keysOf = (uuid: string) => [keyOf('learners', uuid), keyOf('learner_profiles', profileUuidFor(uuid))];
    const entries = await this.db.sync_outbox.findByIds(learnerIds.flatMap(keysOf)).exec();
    const states: Record<string, RecordSyncState> = {};
    for (const uuid of learnerIds) {
      const found = keysOf(uuid).flatMap((key) => entries.get(key) ?? []);
      states[uuid] =
        conflicted.has(uuid) || conflicted.has(profileUuidFor(uuid))
          ? 'conflict'
          : found.some((entry) => entry.state === 'rejected')
            ? 'rejected'
            : found.length > 0
              ? 'pending'
              : 'synced';
    }
    return states;
  }
}
