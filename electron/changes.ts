// Pushes "this changed" to the screens. Events are gathered for a short moment, so a sync pull of thousands of
// documents reaches the renderer as a few messages rather than thousands.
import type { Observable, Subscription } from 'rxjs';
import type { ChangeEvent } from '../shared/desktop';
import type { AppDatabase } from './db/database';

const BATCH_MS = 50;

export interface ChangeFeed {
  subscribe(listener: (events: ChangeEvent[]) => void): () => void;
  emit(collection: ChangeEvent['collection'], ids?: string[]): void;
  close(): void;
}

export function createChangeFeed(db: AppDatabase): ChangeFeed {
  const listeners = new Set<(events: ChangeEvent[]) => void>();
  let pending = new Map<ChangeEvent['collection'], Set<string>>();
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const events = [...pending.entries()].map(([collection, ids]) => ({ collection, ids: [...ids] }));
    pending = new Map();
    for (const listener of listeners) listener(events);
  };
  const emit = (collection: ChangeEvent['collection'], ids: string[] = []) => {
    const set = pending.get(collection) ?? new Set<string>();
    for (const id of ids) set.add(id);
    pending.set(collection, set);
    timer ??= setTimeout(flush, BATCH_MS);
  };

  const subscriptions: Subscription[] = (['learners', 'learner_profiles', 'achievements'] as const).map((name) =>
    (db[name].$ as Observable<{ documentId: string }>).subscribe((event) => emit(name, [event.documentId])),
  );

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    close() {
      subscriptions.forEach((s) => s.unsubscribe());
      clearTimeout(timer);
      listeners.clear();
    },
  };
}
