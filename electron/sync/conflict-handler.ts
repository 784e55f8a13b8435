// RxDB's conflict handler for the replicated collections: the shared merge by field edit time, with every value that
// lost handed to the conflict log.
import isEqual from 'fast-deep-equal';
import type { RxConflictHandler } from 'rxdb';
import { mergeByFieldTime, type LostValue, type SyncedDoc } from '../../shared/merge';

export interface LostValues {
  collection: 'learners' | 'learner_profiles' | 'conflicts';
  /** The merged document, as it now stands. */
  document: SyncedDoc & { uuid: string };
  values: LostValue[];
}

const withoutMeta = (doc: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_') || key === '_deleted'));

export function createConflictHandler<T extends { uuid: string; last_modified_time: string }>(
  collection: LostValues['collection'],
  onLost: (lost: LostValues) => Promise<void>,
): RxConflictHandler<T> {
  return {
    isEqual: (a, b) => isEqual(withoutMeta(a as Record<string, unknown>), withoutMeta(b as Record<string, unknown>)),
    async resolve({ assumedMasterState, newDocumentState, realMasterState }) {
      const strip = (doc: unknown) => withoutMeta(doc as Record<string, unknown>) as SyncedDoc;
      const { merged, lost } = mergeByFieldTime(
        assumedMasterState ? strip(assumedMasterState) : undefined,
        strip(newDocumentState),
        strip(realMasterState),
      );
      if (lost.length > 0) await onLost({ collection, document: merged as SyncedDoc & { uuid: string }, values: lost });
      return { ...(merged as object), _deleted: false } as typeof newDocumentState;
    },
  };
}
