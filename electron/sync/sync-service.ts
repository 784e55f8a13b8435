import type { ConflictChoice, ConflictEntry, RecordSyncState, SyncStatus } from '../../shared/desktop';
import type { Result } from '../../shared/result';

/** What the rest of the main process needs from sync. */
export interface SyncService {
  status(): SyncStatus;
  /** A full cycle (push, then pull to the end); resolves with the status when it ends. */
  now(): Promise<SyncStatus>;
  conflicts(): Promise<ConflictEntry[]>;
  resolveConflict(id: string, choice: ConflictChoice): Promise<Result>;
  recordStates(ids: string[]): Promise<Record<string, RecordSyncState>>;
  /** The user confirms the deletions a pull is holding back: sync goes on and applies them. */
  allowDeletes(): Promise<SyncStatus>;
  /** Settings changed: reconnect with the new ones. */
  restart(): Promise<void>;
  onStatus(listener: (status: SyncStatus) => void): () => void;
  close(): Promise<void>;
}
