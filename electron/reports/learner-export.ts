// The learner list, as filtered and sorted on screen, to CSV or XLSX: read and written a chunk at a time, with the
// progress reported (and the event loop given back) after each chunk, so 100k rows never stall the main process.
import type { LearnerExportRequest } from '../../shared/desktop';
import { profileUuidFor } from '../../shared/ids';
import type { ProgressReporter } from '../../shared/progress';
import { publicLearner, publicProfile } from '../../shared/service/public';
import type { Profile } from '../../shared/schemas/profile';
import type { StoredLearner } from '../../shared/schemas/learner';
import type { StoredProfile } from '../../shared/schemas/profile';
import { currentMillis } from '../../shared/time';
import type { AppDatabase } from '../db/database';
import type { LearnerIndex } from '../db/learner-index';
import { csvFile, type Cell } from './csv-file';
import type { DashboardIndex } from './dashboard-index';
import type { OutgoingFile } from './deliveries';
import { LEARNER_COLUMN_NAMES, learnerRow } from './learner-columns';
import { localDayOf } from './period';
import { xlsxFileOffThread } from './xlsx-thread';

export const LEARNER_EXPORT = 'report.exportLearners';
/** Learners read and written per step. */
const CHUNK = 100;

export interface LearnerExportContext {
  db: AppDatabase;
  learners: LearnerIndex;
  dashboard: DashboardIndex;
  report: ProgressReporter;
}

export const FILE_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** One table to a file of either format: the rows are added as they come, the bytes asked for at the end. */
export function tableFile(format: LearnerExportRequest['format'], sheetName: string, columns: readonly string[]) {
  if (format === 'csv') {
    const csv = csvFile(columns);
    return { add: (rows: Cell[][]) => csv.add(rows), bytes: () => csv.bytes() };
  }
  const book = xlsxFileOffThread();
  const sheet = book.sheet(sheetName, columns);
  return { add: (rows: Cell[][]) => sheet.add(rows), bytes: () => book.bytes() };
}

export async function exportLearners(context: LearnerExportContext, request: LearnerExportRequest): Promise<{ file: OutgoingFile; rows: number }> {
  const { db, learners, dashboard, report } = context;
  const keep = await dashboard.matcher(request.query);
  const { uuids } = await learners.browse({ ...request.query, offset: 0, limit: Number.MAX_SAFE_INTEGER }, keep);
  const output = tableFile(request.format, 'Learners', LEARNER_COLUMN_NAMES);
  const progress = (done: number) => report({ operation: LEARNER_EXPORT, phase: 'writing', done, total: uuids.length });
  await progress(0);
  let rows = 0;
  for (let start = 0; start < uuids.length; start += CHUNK) {
    const chunk = uuids.slice(start, start + CHUNK);
    // Read by id from the storage, as plain data (a profile's id follows from its learner's): the cheapest read there
    // is, and no RxDocument made for a row only written out.
    const [learnerDocs, profileDocs] = await Promise.all([
      db.learners.storageInstance.findDocumentsById(chunk, false),
      db.learner_profiles.storageInstance.findDocumentsById(chunk.map(profileUuidFor), false),
    ]);
    const profiles = new Map<string, Profile>();
    for (const doc of profileDocs as StoredProfile[]) if (!doc.is_deleted) profiles.set(doc.learner_id, publicProfile(doc));
    const learnersById = new Map((learnerDocs as StoredLearner[]).map((doc) => [doc.uuid, doc]));
    const batch: Cell[][] = [];
    for (const uuid of chunk) {
      const doc = learnersById.get(uuid);
      // Deleted since the list was taken: left out, as the list would now leave it out.
      if (!doc || doc.is_deleted) continue;
      batch.push(learnerRow(publicLearner(doc), profiles.get(uuid)));
    }
    output.add(batch);
    rows += batch.length;
    await progress(Math.min(uuids.length, start + chunk.length));
  }
  const bytes = await output.bytes();
  return { file: { name: `learners-${localDayOf(currentMillis())}.${request.format}`, type: FILE_TYPES[request.format], bytes }, rows };
}
