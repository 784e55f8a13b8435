// The sync service of a device that replicates with no server: every record stays local and says so.
import { fail } from '../../shared/result';
import type { SyncStatus } from '../../shared/desktop';
import type { SyncService } from './sync-service';

export function createLocalOnlySync(reason: string | null = null): SyncService {
  const status: SyncStatus = { state: 'disabled', lastSyncedAt: null, pending: 0, conflicts: 0, rejected: 0, error: reason };
  return {
    status: () => ({ ...status }),
    now: async () => ({ ...status }),
    conflicts: async () => [],
    resolveConflict: async () => fail(404, 'Conflict not found'),
    recordStates: async (ids) => Object.fromEntries(ids.map((id) => [id, 'pending' as const])),
    restart: async () => {},
    onStatus: () => () => {},
    close: async () => {},
  };
}
