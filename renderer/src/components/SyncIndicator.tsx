// Sync state at a glance, on every screen: online or not, syncing, last sync, pending changes, conflicts, errors.
import { Link } from 'react-router';
import type { SyncStatus } from '../../../shared/desktop';
import type { MessageId } from '../i18n/catalogs';
import { useT } from '../i18n/LanguageProvider';
import { syncMessage } from '../i18n/sync-messages';
import { useSyncStatus } from '../lib/queries';

const LABELS: Record<SyncStatus['state'], MessageId> = {
  disabled: 'syncIndicator.disabled',
  offline: 'syncIndicator.offline',
  connecting: 'syncIndicator.connecting',
  syncing: 'syncIndicator.syncing',
  idle: 'syncIndicator.idle',
  error: 'syncIndicator.error',
  unauthorized: 'syncIndicator.unauthorized',
};

export function SyncIndicator() {
  const translator = useT();
  const { t } = translator;
  const { data: status } = useSyncStatus();
  if (!status) return <div className="sync" role="status">{t('syncIndicator.checking')}</div>;
  const error = status.error && syncMessage(translator, status.error, status.offlineSince);
  const clock = status.clockWarning && syncMessage(translator, status.clockWarning);
  const mismatch = status.mismatch && syncMessage(translator, status.mismatch);
  return (
    <div className={`sync sync-${status.state}`} role="status" aria-live="polite">
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-state">
        {status.state === 'offline' && status.offlineSince
          ? t('syncIndicator.offlineSince', { time: translator.clock(status.offlineSince) })
          : t(LABELS[status.state])}
      </span>
      {status.state === 'disabled' && (
        <Link to="/settings" className="sync-detail">
          {t('syncIndicator.setUp')}
        </Link>
      )}
      {status.lastSyncedAt && <span className="sync-detail">{t('syncIndicator.last', { when: translator.when(status.lastSyncedAt) })}</span>}
      {status.pending > 0 && <span className="sync-detail">{t('syncIndicator.pending', { count: status.pending })}</span>}
      {status.conflicts > 0 && (
        <Link to="/conflicts" className="sync-detail sync-warn">
          {t('syncIndicator.conflicts', { count: status.conflicts })}
        </Link>
      )}
      {status.rejected > 0 && <span className="sync-detail sync-warn">{t('syncIndicator.rejected', { count: status.rejected })}</span>}
      {error && status.state !== 'idle' && <span className="sync-detail sync-warn" title={error}>{error}</span>}
      {clock && <span className="sync-detail sync-warn" title={clock}>{t('syncIndicator.clockWrong')}</span>}
      {mismatch && <span className="sync-detail sync-warn" title={mismatch}>{t('syncIndicator.mismatch')}</span>}
      {status.movedAway > 0 && (
        <span className="sync-detail sync-warn" title={t('syncIndicator.movedAwayDetail', { count: status.movedAway })}>
          {t('syncIndicator.movedAway', { count: status.movedAway })}
        </span>
      )}
    </div>
  );
}
