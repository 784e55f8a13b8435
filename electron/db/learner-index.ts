// An in-memory index of learners' names and emails for the screens' list: search as you type, any sort, any offset
// and the total, over 100k learners without a full scan of stored documents per keystroke. Built on first use from
// the collection, then kept current from its change stream.
import type { Subscription } from 'rxjs';
import type { LearnerBrowseQuery } from '../../shared/desktop';
import type { StoredLearner } from '../../shared/schemas/learner';
import { readLive } from '../reports/read-live';
import type { AppDatabase } from './database';

interface Entry {
  uuid: string;
  first_name: string;
  last_name: string;
  created_time: string;
  is_archived: boolean;
  is_deleted: boolean;
  haystack: string;
  accessCode: string | null;
}

type SortField = LearnerBrowseQuery['sort_by'];

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const comparators: Record<SortField, (a: Entry, b: Entry) => number> = {
  first_name: (a, b) => collator.compare(a.first_name, b.first_name) || (a.uuid < b.uuid ? -1 : 1),
  last_name: (a, b) => collator.compare(a.last_name, b.last_name) || (a.uuid < b.uuid ? -1 : 1),
  created_time: (a, b) => (a.created_time < b.created_time ? -1 : a.created_time > b.created_time ? 1 : a.uuid < b.uuid ? -1 : 1),
};

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

function entryOf(learner: StoredLearner): Entry {
  const { uuid, first_name, last_name, created_time, is_archived, is_deleted } = learner;
  const names = [first_name, last_name, learner.preferred_name, learner.middle_name, learner.email_address, learner.student_identifier];
  return {
    uuid,
    first_name,
    last_name,
    created_time,
    is_archived,
    is_deleted,
    haystack: fold(names.filter(Boolean).join(' ')),
    accessCode: learner.access_code?.hash ?? null,
  };
}

export interface BrowseResult {
  total: number;
  uuids: string[];
}

export class LearnerIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly sorted = new Map<SortField, Entry[]>();
  private ready: Promise<void> | undefined;
  private subscription: Subscription | undefined;
  private readonly db: AppDatabase;

  constructor(db: AppDatabase) {
    this.db = db;
  }

  private load(): Promise<void> {
    this.ready ??= (async () => {
      // Subscribe first, so a write during the initial load is not missed.
      this.subscription = this.db.learners.$.subscribe((event) => {
        this.entries.set(event.documentId, entryOf(event.documentData as StoredLearner));
        this.sorted.clear();
      });
      // A page at a time, as plain data: one find() of 100k learners made as many RxDocuments in one go and held the
      // main thread for over 2 s. Deleted learners are never shown, so they need no entry until a change brings one.
      await readLive<StoredLearner>(this.db.learners, (doc) => {
        if (!this.entries.has(doc.uuid)) this.entries.set(doc.uuid, entryOf(doc));
      });
    })();
    return this.ready;
  }

  private sortedBy(field: SortField): Entry[] {
    let list = this.sorted.get(field);
    if (!list) {
      list = [...this.entries.values()].sort(comparators[field]);
      this.sorted.set(field, list);
    }
    return list;
  }

  /** `keep`, when given, is a further test of each learner by id (the dashboard's filters). */
  async browse(query: Pick<LearnerBrowseQuery, 'text' | 'offset' | 'limit' | 'fetch_archive' | 'sort_by' | 'sort_order'>, keep?: (uuid: string) => boolean): Promise<BrowseResult> {
    await this.load();
    const list = this.sortedBy(query.sort_by);
    const terms = fold(query.text).split(/\s+/).filter(Boolean);
    const end = query.offset + query.limit;
    const uuids: string[] = [];
    let total = 0;
    const descending = query.sort_order === 'descending';
    for (let i = 0; i < list.length; i++) {
      const entry = list[descending ? list.length - 1 - i : i]!;
      if (entry.is_deleted) continue;
      if (query.fetch_archive !== undefined && entry.is_archived !== query.fetch_archive) continue;
      if (!terms.every((term) => entry.haystack.includes(term))) continue;
      if (keep && !keep(entry.uuid)) continue;
      if (total >= query.offset && total < end) uuids.push(entry.uuid);
      total++;
    }
    return { total, uuids };
  }

  /** The live learners whose one-time kiosk code has this hash (expiry is the caller's to check). */
  async withAccessCode(hash: string): Promise<string[]> {
    await this.load();
    return [...this.entries.values()].filter((entry) => !entry.is_deleted && entry.accessCode === hash).map((entry) => entry.uuid);
  }

  close(): void {
    this.subscription?.unsubscribe();
  }
}
