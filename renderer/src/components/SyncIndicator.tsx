// Sync state at a glance, on every screen: online or not, syncing, last sync, pending changes, conflicts, errors.
import { Link } from 'react-router';
import type { SyncStatus } from '../../../shared/desktop';
import { useSyncStatus } from '../lib/queries';
import { formatWhen } from '../lib/format';

const LABELS: Record<SyncStatus['state'], string> = {
  disabled: 'Sync off',
  offline: 'Offline',
  connecting: 'Connecting…',
  syncing: 'Syncing…',
  idle: 'Synced',
  error: 'Sync error',
  unauthorized: 'Sync stopped: sign-in refused',
};

export function SyncIndicator() {
  const { data: status } = useSyncStatus();
  if (!status) return <div className="sync" role="status">Checking sync…</div>;
  return (
    <div className={`sync sync-${status.state}`} role="status" aria-live="polite">
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-state">
        {status.state === 'offline' && status.offlineSince
          ? `Offline since ${new Date(status.offlineSince).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`
          : LABELS[status.state]}
      </span>
      {status.state === 'disabled' && (
        <Link to="/settings" className="sync-detail">
          set up a server
        </Link>
      )}
      {status.lastSyncedAt && <span className="sync-detail">last {formatWhen(status.lastSyncedAt)}</span>}
      {status.pending > 0 && <span className="sync-detail">{status.pending} to send</span>}
      {status.conflicts > 0 && (
        <Link to="/conflicts" className="sync-detail sync-warn">
          {status.conflicts} to review
        </Link>
      )}
      {status.rejected > 0 && <span className="sync-detail sync-warn">{status.rejected} refused by the server</span>}
      {status.error && status.state !== 'idle' && <span className="sync-detail sync-warn" title={status.error}>{status.error}</span>}
      {status.clockWarning && <span className="sync-detail sync-warn" title={status.clockWarning}>Device clock is wrong</span>}
      {status.mismatch && <span className="sync-detail sync-warn" title={status.mismatch}>Some records differ from the server</span>}
    </div>
  );
}
