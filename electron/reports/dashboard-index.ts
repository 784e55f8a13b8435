// The dashboard's facts in memory: every learner's and every profile's few counted fields, read once a page at a
// time (the main process answers IPC between pages), then kept current from the collections' change streams. A
// query is then one pass over small objects; the last answer is kept until anything changes.
import type { Subscription } from 'rxjs';
import { currentMillis, now } from '../../shared/time';
import type { DashboardFigures, DashboardQuery, LearnerFilter } from '../../shared/dashboard';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import type { AppDatabase } from '../db/database';
import type { CenterNames } from './centers';
import { learnerFactsOf, profileFactsOf, type LearnerFacts, type ProfileFacts } from './facts';
import { computeFigures, learnerMatcher, type FactSource } from './figures';

/** Documents read per page while loading: small enough that no page holds the event loop for long. */
const PAGE = 1000;

interface Change<T> {
  operation: 'INSERT' | 'UPDATE' | 'DELETE';
  documentId: string;
  documentData: T;
}

export class DashboardIndex implements FactSource {
  private readonly learnerFacts = new Map<string, LearnerFacts>();
  /** By learner id: a learner has at most one profile. */
  private readonly profileFacts = new Map<string, ProfileFacts>();
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

  learners(): Iterable<LearnerFacts> {
    return this.learnerFacts.values();
  }

  profileOf(learnerId: string): ProfileFacts | undefined {
    return this.profileFacts.get(learnerId);
  }

  /** Reads every learner and profile once; later calls wait for the same load. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      // Subscribed first, so a write during the load is not missed; what a change says is newer than any page.
      const learners = this.db.learners.$ as unknown as { subscribe(next: (event: Change<StoredLearner>) => void): Subscription };
      const profiles = this.db.learner_profiles.$ as unknown as { subscribe(next: (event: Change<StoredProfile>) => void): Subscription };
      const changed = new Set<string>();
      let loaded = false;
      this.subscriptions.push(
        learners.subscribe((event) => {
          if (!loaded) changed.add(event.documentId);
          if (event.operation === 'DELETE') this.learnerFacts.delete(event.documentId);
          else this.learnerFacts.set(event.documentId, learnerFactsOf(event.documentData));
          this.version++;
        }),
        profiles.subscribe((event) => {
          if (!loaded) changed.add(event.documentId);
          const facts = profileFactsOf(event.documentData);
          if (event.operation === 'DELETE') this.profileFacts.delete(facts.learnerId);
          else this.profileFacts.set(facts.learnerId, facts);
          this.version++;
        }),
      );
      await this.readAll<StoredLearner>('learners', (doc) => {
        if (!changed.has(doc.uuid)) this.learnerFacts.set(doc.uuid, learnerFactsOf(doc));
      });
      await this.readAll<StoredProfile>('learner_profiles', (doc) => {
        if (!changed.has(doc.uuid)) this.profileFacts.set(doc.learner_id, profileFactsOf(doc));
      });
      loaded = true;
      changed.clear();
      this.version++;
    })();
    return this.loading;
  }

  private async readAll<T extends { uuid: string }>(name: 'learners' | 'learner_profiles', take: (doc: T) => void): Promise<void> {
    const collection = this.db[name] as unknown as {
      find(query: object): { exec(): Promise<{ toJSON(): unknown }[]> };
    };
    let after = '';
    for (;;) {
      const page = await collection.find({ selector: { uuid: { $gt: after } }, sort: [{ uuid: 'asc' }], limit: PAGE }).exec();
      for (const doc of page) take(doc.toJSON() as T);
      if (page.length < PAGE) return;
      after = (page.at(-1)!.toJSON() as T).uuid;
    }
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
    const matches = learnerMatcher(filter);
    if (!matches) return undefined;
    await this.ready();
    return (uuid) => {
      const learner = this.learnerFacts.get(uuid);
      return learner !== undefined && matches(learner, this.profileOf(uuid));
    };
  }

  close(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }
}
