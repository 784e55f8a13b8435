// The dashboard's facts in memory: every live learner's and profile's few counted fields, read once a page at a
// time (the main process answers IPC between pages), then kept current from the collections' change streams. A
// query is then one pass over small objects; the last answer is kept until anything changes.
import type { Subscription } from 'rxjs';
import { currentMillis, now } from '../../shared/time';
import type { DashboardFigures, DashboardQuery, LearnerFilter } from '../../shared/dashboard';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import type { AppDatabase } from '../db/database';
import type { CenterNames } from './centers';
import { Dictionary, learnerFactsOf, profileFactsOf, type LearnerFacts, type ProfileFacts } from './facts';
import { computeFigures, learnerMatcher, type FactEntry, type FactSource } from './figures';
import { readLive, type Pages } from './read-live';

interface Change<T> {
  operation: 'INSERT' | 'UPDATE' | 'DELETE';
  documentId: string;
  documentData: T;
}
type Stream<T> = { subscribe(next: (event: Change<T>) => void): Subscription };

export class DashboardIndex implements FactSource {
  /** An array, for the fastest pass; the map finds a learner's entry (a learner has at most one profile). */
  private readonly list: FactEntry[] = [];
  private readonly byLearner = new Map<string, FactEntry>();
  readonly dictionaries = { goals: new Dictionary(), careers: new Dictionary() };
  private readonly subscriptions: Subscription[] = [];
  private loading: Promise<void> | undefined;
  private version = 0;
  private cached: { key: string; version: number; figures: DashboardFigures } | undefined;
  private readonly db: AppDatabase;
  private readonly centerName: CenterNames;

  constructor(db: AppDatabase, centerName: CenterNames) {
    this.db = db;
    this.centerName = centerName;
  }

  entries(): readonly FactEntry[] {
    return this.list;
  }

  private entryOf(learnerId: string): FactEntry {
    let entry = this.byLearner.get(learnerId);
    if (!entry) {
      entry = { learner: undefined, profile: undefined };
      this.byLearner.set(learnerId, entry);
      this.list.push(entry);
    }
    return entry;
  }

  private setLearner(uuid: string, facts: LearnerFacts | undefined) {
    this.entryOf(uuid).learner = facts;
  }

  private setProfile(learnerId: string, facts: ProfileFacts | undefined) {
    this.entryOf(learnerId).profile = facts;
  }

  /** Reads every live learner and profile once; later calls wait for the same load. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      // Subscribed first, so a write during the load is not missed; what a change says is newer than any page.
      const changed = new Set<string>();
      let loaded = false;
      const learnerChanges = this.db.learners.$ as unknown as Stream<StoredLearner>;
      const profileChanges = this.db.learner_profiles.$ as unknown as Stream<StoredProfile>;
      this.subscriptions.push(
        learnerChanges.subscribe((event) => {
          if (!loaded) changed.add(event.documentId);
          // A document removed from the store (not a soft delete, which is a field) counts as deleted.
          this.setLearner(event.documentId, event.operation === 'DELETE' ? undefined : learnerFactsOf(event.documentData));
          this.version++;
        }),
        profileChanges.subscribe((event) => {
          if (!loaded) changed.add(event.documentId);
          const facts = profileFactsOf(event.documentData, this.dictionaries);
          this.setProfile(facts.learnerId, event.operation === 'DELETE' ? undefined : facts);
          this.version++;
        }),
      );
      await readLive(this.db.learners as unknown as Pages, (doc: StoredLearner) => {
        if (!changed.has(doc.uuid)) this.setLearner(doc.uuid, learnerFactsOf(doc));
      });
      await readLive(this.db.learner_profiles as unknown as Pages, (doc: StoredProfile) => {
        if (!changed.has(doc.uuid)) this.setProfile(doc.learner_id, profileFactsOf(doc, this.dictionaries));
      });
      loaded = true;
      changed.clear();
      this.version++;
    })();
    return this.loading;
  }

  async figures(query: DashboardQuery): Promise<DashboardFigures> {
    await this.ready();
    const nowMillis = currentMillis();
    // The month is part of the key: "new this month" changes at midnight on the first without any write.
    const key = `${JSON.stringify(query)}|${new Date(nowMillis).getMonth()}`;
    if (this.cached && this.cached.key === key && this.cached.version === this.version) return this.cached.figures;
    const figures = computeFigures(this, query, { nowMillis, computedTime: now(), centerName: (id) => this.centerName(id) });
    this.cached = { key, version: this.version, figures };
    return figures;
  }

  /** A test of a learner id by the list's filters; undefined when none is set. */
  async matcher(filter: LearnerFilter): Promise<((uuid: string) => boolean) | undefined> {
    if (!learnerMatcher(filter, this.dictionaries)) return undefined;
    await this.ready();
    // Made after the load, so that the goals and career fields it names have their numbers.
    const matches = learnerMatcher(filter, this.dictionaries)!;
    return (uuid) => {
      const entry = this.byLearner.get(uuid);
      return entry?.learner !== undefined && matches(entry.learner, entry.profile);
    };
  }

  close(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }
}
