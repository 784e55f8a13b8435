// The desktop's own operations (shared/desktop.ts) over the main-process services.
import { z } from 'zod';
import { conflictChoice, learnerBrowseQuery, profileBrowseQuery, restoreRequest, settingsUpdate, type BackupEntry } from '../../shared/desktop';
import { id } from '../../shared/schemas/common';
import { ok, type Result } from '../../shared/result';
import { publicLearner, publicProfile } from '../../shared/service/public';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import { parseInput } from '../../shared/validation';
import type { AppDatabase } from '../db/database';
import type { LearnerIndex } from '../db/learner-index';
import type { DashboardIndex } from '../reports/dashboard-index';
import type { ReportOperation } from '../reports/report-handlers';
import type { SettingsService } from '../settings';
import type { SyncService } from '../sync/sync-service';
import type { DesktopHandlers } from './api';

export interface DesktopContext {
  db: AppDatabase;
  settings: SettingsService;
  sync: SyncService;
  learners: LearnerIndex;
  backups: {
    /** Writes a backup now (and keeps the newest N). */
    make(): Promise<BackupEntry & { path: string }>;
    list(): Promise<BackupEntry[]>;
    /** Puts a backup in place of the database; the app reopens on it. */
    restore(name: string): Promise<Result>;
  };
  /** Sync restarts in the background: a server that does not answer must not hold up the answer. */
  onSettingsSaved(): void;
  info: { version: string; dataDir: string; databaseFile: string; movedAside: string | null; restoredFrom: string | null };
  /** The dashboard's facts, by which the list is also filtered. */
  dashboard: DashboardIndex;
}

type KioskOperation = 'app.session' | 'kiosk.identify' | 'kiosk.done' | 'kiosk.unlock' | 'kiosk.lock' | 'kiosk.touch' | 'kiosk.setPin' | 'kiosk.exit' | 'learner.accessCode';
type LockOperation = 'app.lockState' | 'app.unlock' | 'app.createPassphrase' | 'app.lock' | 'app.touch';

const idList = z.array(id).max(500);

export function createDesktopHandlers(context: DesktopContext): Omit<DesktopHandlers, KioskOperation | LockOperation | ReportOperation> {
  const { db, settings, sync, learners, dashboard } = context;
  return {
    'settings.get': async () => ok('Successfully fetched the settings', await settings.get()),
    async 'settings.update'(body) {
      const parsed = parseInput(settingsUpdate, body, 'body');
      if (!parsed.ok) return parsed.result;
      const updated = await settings.update(parsed.value);
      // Only the connection concerns sync: a new language or lock time must not drop a sync under way.
      const { serverUrl, token, deviceName } = parsed.value;
      if (serverUrl != null || token != null || deviceName != null) context.onSettingsSaved();
      return ok('Successfully updated the settings', updated);
    },
    'sync.status': async () => ok('Successfully fetched the sync status', sync.status()),
    'sync.now': async () => ok('Sync finished', await sync.now()),
    'sync.conflicts': async () => ok('Successfully fetched the conflicts', await sync.conflicts()),
    'sync.allowDeletes': async () => ok('Deletions allowed; syncing', await sync.allowDeletes()),
    async 'sync.resolveConflict'(conflictId, choice) {
      const parsed = parseInput(conflictChoice, choice, 'body');
      if (!parsed.ok) return parsed.result;
      return sync.resolveConflict(conflictId as string, parsed.value);
    },
    async 'learner.browse'(query) {
      const parsed = parseInput(learnerBrowseQuery, query, 'query');
      if (!parsed.ok) return parsed.result;
      const { total, uuids } = await learners.browse(parsed.value, await dashboard.matcher(parsed.value));
      const docs = await db.learners.findByIds(uuids).exec();
      const items = uuids.flatMap((uuid) => {
        const doc = docs.get(uuid);
        return doc ? [publicLearner(doc.toMutableJSON(false) as StoredLearner)] : [];
      });
      return ok('Successfully fetched the learners', { records: items, total_count: total });
    },
    async 'learnerProfile.browse'(query) {
      const parsed = parseInput(profileBrowseQuery, query, 'query');
      if (!parsed.ok) return parsed.result;
      const selector = { is_deleted: false };
      const [docs, total] = await Promise.all([
        db.learner_profiles.find({ selector, sort: [{ created_time: 'desc' }, { uuid: 'desc' }], skip: parsed.value.offset, limit: parsed.value.limit }).exec(),
        db.learner_profiles.count({ selector }).exec(),
      ]);
      const records = docs.map((doc) => publicProfile(doc.toMutableJSON(false) as StoredProfile));
      return ok('Successfully fetched the learner profiles', { records, total_count: total });
    },
    async 'learner.syncStates'(ids) {
      const parsed = parseInput(idList, ids, 'body');
      if (!parsed.ok) return parsed.result;
      return ok('Successfully fetched the sync states', await sync.recordStates(parsed.value));
    },
    async 'app.backup'(): Promise<Result> {
      return ok('Backup written', await context.backups.make());
    },
    'app.listBackups': async () => ok('Successfully fetched the backups', await context.backups.list()),
    async 'app.restoreBackup'(body): Promise<Result> {
      const parsed = parseInput(restoreRequest, body, 'body');
      if (!parsed.ok) return parsed.result;
      return context.backups.restore(parsed.value.name);
    },
    'app.info': async () => ok('Successfully fetched the app information', context.info),
  };
}
