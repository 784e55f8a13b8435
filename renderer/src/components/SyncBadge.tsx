import type { RecordSyncState } from '../../../shared/desktop';

const TEXT: Record<RecordSyncState, string> = {
  synced: 'Synced',
  pending: 'Not sent yet',
  conflict: 'Conflict',
  rejected: 'Refused by server',
};

/** A record's sync state; nothing at all when sync is off, since then every record is simply local. */
export function SyncBadge({ state }: { state: RecordSyncState | undefined }) {
  if (!state) return null;
  return <span className={`badge badge-${state}`}>{TEXT[state]}</span>;
}
