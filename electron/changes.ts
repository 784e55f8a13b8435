// Pushes "this changed" to the screens. Events are gathered for a short moment, so a sync pull of thousands of
// documents reaches the renderer as a few messages rather than thousands.
import type { Observable, Subscription } from 'rxjs';
import type { ChangeEvent } from '../shared/desktop';
import type { Progress } from '../shared/progress';
import type { AppDatabase } from './db/database';

const BATCH_MS = 50;

export interface ChangeFeed {
  subscribe(listener: (events: ChangeEvent[]) => void): () => void;
  emit(collection: Exclude<ChangeEvent['collection'], 'progress'>, ids?: string[]): void;
  /** How far a long operation has got; only the latest report of a batch is sent. */
  report(progress: Progress): void;
  close(): void;
}

export function createChangeFeed(db: AppDatabase): ChangeFeed {
  const listeners = new Set<(events: ChangeEvent[]) => void>();
  let pending = new Map<ChangeEvent['collection'], Set<string>>();
  let progress: Progress | undefined;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const events: ChangeEvent[] = [...pending.entries()].map(([collection, ids]) => ({ collection, ids: [...ids] }));
    if (progress) events.push({ collection: 'progress', ids: [], progress });
    pending = new Map();
    progress = undefined;
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
    report(next) {
      progress = next;
      timer ??= setTimeout(flush, BATCH_MS);
    },
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
