// RxDB's conflict handler for the replicated collections: the shared per-field merge, with every losing value
// handed to the conflict log.
import isEqual from 'fast-deep-equal';
import type { RxConflictHandler } from 'rxdb';
import { mergeDocuments, type LostValue } from '../../shared/merge';

export interface LostValues {
  collection: 'learners' | 'learner_profiles';
  documentId: string;
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
      const { merged, lost } = mergeDocuments(assumedMasterState as never, newDocumentState as never, realMasterState as never);
      if (lost.length > 0) await onLost({ collection, documentId: newDocumentState.uuid, values: lost });
      return { ...(merged as object), _deleted: false } as typeof newDocumentState;
    },
  };
}
