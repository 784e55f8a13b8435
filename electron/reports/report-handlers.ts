// The dashboard's and the reports' operations: every input parsed with zod, every answer in the contract's envelope.
// Files never leave a kiosk, not even for staff (as imports and exports are not offered there).
import { dashboardQuery } from '../../shared/dashboard';
import { dashboardExportRequest, learnerExportRequest, type ReportFile } from '../../shared/desktop';
import { messages } from '../../shared/messages';
import type { ProgressReporter } from '../../shared/progress';
import { fail, ok, type Result } from '../../shared/result';
import { id } from '../../shared/schemas/common';
import type { StoredAchievement } from '../../shared/schemas/achievement';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import { publicLearner, publicProfile } from '../../shared/service/public';
import { currentMillis, now } from '../../shared/time';
import { parseInput } from '../../shared/validation';
import type { DesktopHandlers } from '../api/api';
import type { AppDatabase } from '../db/database';
import type { LearnerIndex } from '../db/learner-index';
import type { SettingsService } from '../settings';
import type { CenterNames } from './centers';
import { exportDashboard } from './dashboard-export';
import type { DashboardIndex } from './dashboard-index';
import type { Deliver, OutgoingFile } from './deliveries';
import { exportLearners } from './learner-export';
import { localDayOf } from './period';
import { profileSheet } from './profile-sheet';

export type ReportOperation = 'dashboard.figures' | 'report.exportLearners' | 'report.exportDashboard' | 'report.profileSheet' | 'report.profilePdf';

export interface ReportContext {
  db: AppDatabase;
  settings: SettingsService;
  learners: LearnerIndex;
  dashboard: DashboardIndex;
  centerName: CenterNames;
  report: ProgressReporter;
  deliver: Deliver;
  /** The app's window as a PDF (Electron's printToPDF of the print view); absent where the host cannot (the preview). */
  printToPdf?: () => Promise<Uint8Array>;
}

const NOT_AT_A_KIOSK = 'Reports are not available on a kiosk';
export const PDF_NOT_AVAILABLE = 'Saving a PDF needs the desktop app: use Print, and choose to save as PDF there';

/** A file name safe on every system, from a learner's name. */
const fileNamePart = (text: string) =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'learner';

export function createReportHandlers(context: ReportContext): Pick<DesktopHandlers, ReportOperation> {
  const { db, settings, dashboard } = context;
  const onKiosk = async () => (await settings.get()).kiosk;

  async function deliver(made: { file: OutgoingFile; rows: number }, message: string): Promise<Result<ReportFile>> {
    const delivery = await context.deliver(made.file);
    return ok(message, { file_name: made.file.name, rows: made.rows, bytes: made.file.bytes.byteLength, delivery });
  }

  /** The learner, live, or undefined. */
  async function liveLearner(uuid: string): Promise<StoredLearner | undefined> {
    const doc = await db.learners.findOne(uuid).exec();
    const learner = doc?.toJSON() as StoredLearner | undefined;
    return learner && !learner.is_deleted ? learner : undefined;
  }

  return {
    async 'dashboard.figures'(query) {
      const parsed = parseInput(dashboardQuery, query, 'query');
      if (!parsed.ok) return parsed.result;
      return ok('Successfully fetched the dashboard', await dashboard.figures(parsed.value));
    },

    async 'report.exportLearners'(body) {
      const parsed = parseInput(learnerExportRequest, body, 'body');
      if (!parsed.ok) return parsed.result;
      if (await onKiosk()) return fail(403, NOT_AT_A_KIOSK);
      return deliver(await exportLearners(context, parsed.value), 'Exported the learners');
    },

    async 'report.exportDashboard'(body) {
      const parsed = parseInput(dashboardExportRequest, body, 'body');
      if (!parsed.ok) return parsed.result;
      if (await onKiosk()) return fail(403, NOT_AT_A_KIOSK);
      return deliver(await exportDashboard(await dashboard.figures(parsed.value.query), parsed.value.format), 'Exported the dashboard');
    },

    async 'report.profileSheet'(uuid) {
      const parsed = parseInput(id, uuid, 'path');
      if (!parsed.ok) return parsed.result;
      const learner = await liveLearner(parsed.value);
      if (!learner) return fail(404, messages.learner.notFound(parsed.value));
      const profileDoc = await db.learner_profiles.findOne({ selector: { learner_id: learner.uuid, is_deleted: false } }).exec();
      const profile = profileDoc ? publicProfile(profileDoc.toJSON() as StoredProfile) : undefined;
      const achievementIds = profile?.achievements ?? [];
      const achievements = await db.achievements.findByIds(achievementIds).exec();
      const name = (achievementId: string) => {
        const achievement = achievements.get(achievementId)?.toJSON() as StoredAchievement | undefined;
        return achievement && !achievement.is_deleted ? achievement.name : undefined;
      };
      const center = (learner as { center_id?: unknown }).center_id;
      const sheet = profileSheet(publicLearner(learner), profile, {
        centerName: context.centerName(typeof center === 'string' ? center : null),
        printedTime: now(),
        achievementName: name,
        canSavePdf: context.printToPdf !== undefined,
      });
      return ok('Successfully fetched the printable profile', sheet);
    },

    async 'report.profilePdf'(uuid) {
      const parsed = parseInput(id, uuid, 'path');
      if (!parsed.ok) return parsed.result;
      if (await onKiosk()) return fail(403, NOT_AT_A_KIOSK);
      if (!context.printToPdf) return fail(501, PDF_NOT_AVAILABLE);
      const learner = await liveLearner(parsed.value);
      if (!learner) return fail(404, messages.learner.notFound(parsed.value));
      const bytes = await context.printToPdf();
      const name = `profile-${fileNamePart(`${learner.first_name} ${learner.last_name}`)}-${localDayOf(currentMillis())}.pdf`;
      return deliver({ file: { name, type: 'application/pdf', bytes }, rows: 1 }, 'Saved the profile as PDF');
    },
  };
}
