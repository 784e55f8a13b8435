import type { RecordSyncState } from '../../../shared/desktop';
import type { MessageId } from '../i18n/catalogs';
import { useT } from '../i18n/LanguageProvider';

const TEXT: Record<RecordSyncState, MessageId> = {
  synced: 'syncBadge.synced',
  pending: 'syncBadge.pending',
  conflict: 'syncBadge.conflict',
  rejected: 'syncBadge.rejected',
};

/** A record's sync state; nothing at all when sync is off, since then every record is simply local. */
export function SyncBadge({ state }: { state: RecordSyncState | undefined }) {
  const { t } = useT();
  if (!state) return null;
  return <span className={`badge badge-${state}`}>{t(TEXT[state])}</span>;
}
