// An in-memory index of learners' names and emails. The database indexes no personal field (its index keys are
// stored in plain text), so everything that looks learners up or orders them by name comes here: the screens' list
// (search as you type, any sort, any offset and the total, over 100k learners), the API's lists sorted by name, and
// the lookups by email and first name that the one-email-per-learner rule and the kiosk's identity check rely on.
// Loaded once from the collection, then kept current from its change stream, which RxDB emits before a write's
// promise resolves: a lookup made after a write has returned sees that write.
import type { Subscription } from 'rxjs';
import type { LearnerBrowseQuery } from '../../shared/desktop';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { LearnerListQuery } from '../../shared/schemas/queries';
import { readLive } from '../reports/read-live';
import type { AppDatabase } from './database';

interface Entry {
  uuid: string;
  first_name: string;
  last_name: string;
  email_address: string;
  created_time: string;
  is_archived: boolean;
  is_deleted: boolean;
  haystack: string;
  accessCode: string | null;
}

type SortField = LearnerBrowseQuery['sort_by'];

const byUuid = (a: Entry, b: Entry) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);
/** The screens' order: as people read names (accents and case aside, numbers by value). */
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const screenOrder: Record<SortField, (a: Entry, b: Entry) => number> = {
  first_name: (a, b) => collator.compare(a.first_name, b.first_name) || byUuid(a, b),
  last_name: (a, b) => collator.compare(a.last_name, b.last_name) || byUuid(a, b),
  created_time: (a, b) => (a.created_time < b.created_time ? -1 : a.created_time > b.created_time ? 1 : byUuid(a, b)),
};
/** The API's order, as the server's and the reference's: UTF-16 code units, then the uuid. */
const binary = (field: SortField) => (a: Entry, b: Entry) => (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : byUuid(a, b));
const apiOrder: Record<SortField, (a: Entry, b: Entry) => number> = {
  first_name: binary('first_name'),
  last_name: binary('last_name'),
  created_time: binary('created_time'),
};

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

function entryOf(learner: StoredLearner): Entry {
  const { uuid, first_name, last_name, email_address, created_time, is_archived, is_deleted } = learner;
  const names = [first_name, last_name, learner.preferred_name, learner.middle_name, email_address, learner.student_identifier];
  return {
    uuid,
    first_name,
    last_name,
    email_address,
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

/** Adds and removes uuids under a key (an email, a first name). */
class Postings {
  private readonly map = new Map<string, Set<string>>();
  add(key: string, uuid: string): void {
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(uuid);
  }
  remove(key: string, uuid: string): void {
    const set = this.map.get(key);
    if (!set) return;
    set.delete(uuid);
    if (set.size === 0) this.map.delete(key);
  }
  get(key: string): Iterable<string> {
    return this.map.get(key) ?? [];
  }
}

export class LearnerIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly emails = new Postings();
  private readonly firstNames = new Postings();
  private readonly sorted = new Map<string, Entry[]>();
  private loading: Promise<void> | undefined;
  private subscription: Subscription | undefined;
  private readonly db: AppDatabase;

  constructor(db: AppDatabase) {
    this.db = db;
  }

  private put(entry: Entry): void {
    this.remove(entry.uuid);
    this.entries.set(entry.uuid, entry);
    // Deleted learners are kept for sync but looked up by nobody.
    if (!entry.is_deleted) {
      this.emails.add(entry.email_address, entry.uuid);
      this.firstNames.add(entry.first_name, entry.uuid);
    }
    this.sorted.clear();
  }

  private remove(uuid: string): void {
    const old = this.entries.get(uuid);
    if (!old) return;
    this.entries.delete(uuid);
    this.emails.remove(old.email_address, uuid);
    this.firstNames.remove(old.first_name, uuid);
    this.sorted.clear();
  }

  /** Resolves once every stored learner is in the index; later writes are in it as soon as they are stored. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      // Subscribe first, so a write during the initial load is not missed.
      this.subscription = this.db.learners.$.subscribe((event) => {
        const data = event.documentData as StoredLearner & { _deleted?: boolean };
        // A document removed from the database itself (not a learner's soft delete) leaves the index.
        if (event.operation === 'DELETE' || data._deleted) this.remove(event.documentId);
        else this.put(entryOf(data));
      });
      // A page at a time, as plain data: one find() of 100k learners made as many RxDocuments in one go and held the
      // main thread for over 2 s. Deleted learners are looked up by nobody, so they need no entry until a change
      // brings one.
      await readLive<StoredLearner>(this.db.learners, (doc) => {
        if (!this.entries.has(doc.uuid)) this.put(entryOf(doc));
      });
    })();
    return this.loading;
  }

  private sortedBy(name: string, order: (a: Entry, b: Entry) => number): Entry[] {
    let list = this.sorted.get(name);
    if (!list) {
      list = [...this.entries.values()].sort(order);
      this.sorted.set(name, list);
    }
    return list;
  }

  /** One page of live learners in a sorted list, filtered, and how many match in all. */
  private page(list: Entry[], descending: boolean, offset: number, limit: number, keep: (entry: Entry) => boolean): BrowseResult {
    const end = offset + limit;
    const uuids: string[] = [];
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      const entry = list[descending ? list.length - 1 - i : i]!;
      if (entry.is_deleted || !keep(entry)) continue;
      if (total >= offset && total < end) uuids.push(entry.uuid);
      total++;
    }
    return { total, uuids };
  }

  /**
   * The screens' list: text search over names and email, in reading order. `keep`, when given, is a further test of
   * each learner by id (the dashboard's filters).
   */
  async browse(
    query: Pick<LearnerBrowseQuery, 'text' | 'offset' | 'limit' | 'fetch_archive' | 'sort_by' | 'sort_order'>,
    keep?: (uuid: string) => boolean,
  ): Promise<BrowseResult> {
    await this.ready();
    const terms = fold(query.text).split(/\s+/).filter(Boolean);
    const list = this.sortedBy(`screen:${query.sort_by}`, screenOrder[query.sort_by]);
    return this.page(list, query.sort_order === 'descending', query.offset, query.limit, (entry) =>
      (query.fetch_archive === undefined || entry.is_archived === query.fetch_archive) &&
      terms.every((term) => entry.haystack.includes(term)) &&
      (!keep || keep(entry.uuid)),
    );
  }

  /** The API's list (`learner.list`): the server's order and paging. */
  async list(query: LearnerListQuery): Promise<BrowseResult> {
    await this.ready();
    const list = this.sortedBy(`api:${query.sort_by}`, apiOrder[query.sort_by]);
    return this.page(list, query.sort_order === 'descending', query.skip, query.limit, (entry) =>
      query.fetch_archive === undefined || entry.is_archived === query.fetch_archive,
    );
  }

  /** The live learners with any of these emails (exactly as stored). */
  async withEmails(emails: readonly string[]): Promise<string[]> {
    await this.ready();
    return [...new Set(emails.flatMap((email) => [...this.emails.get(email)]))];
  }

  /** The live learners with this first name (exactly as stored). */
  async withFirstName(firstName: string): Promise<string[]> {
    await this.ready();
    return [...this.firstNames.get(firstName)];
  }

  /** The live learners whose one-time kiosk code has this hash (expiry is the caller's to check). */
  async withAccessCode(hash: string): Promise<string[]> {
    await this.ready();
    return [...this.entries.values()].filter((entry) => !entry.is_deleted && entry.accessCode === hash).map((entry) => entry.uuid);
  }

  close(): void {
    this.subscription?.unsubscribe();
  }
}
