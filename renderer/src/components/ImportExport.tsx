// Import learners or profiles from a JSON file (the reference service's import shape), export them in the same
// shape, and export the learner list as it is filtered as CSV or XLSX (written by the main process: ReportExport).
// Long work shows a progress bar; an import ends with a summary: how many records were created, or which records were
// refused (and that nothing was created).
import { useEffect, useRef, useState } from 'react';
import type { LearnerBrowseQuery } from '../../../shared/desktop';
import type { ErrorDetail, Result } from '../../../shared/result';
import type { Learner } from '../../../shared/schemas/learner';
import type { Profile } from '../../../shared/schemas/profile';
import { api } from '../api';
import { apiMessage, knownApiMessage } from '../i18n/api-messages';
import type { MessageId } from '../i18n/catalogs';
import { useT } from '../i18n/LanguageProvider';
import type { Translator } from '../i18n/translator';
import { allPages } from '../lib/export';
import { saveFile, today } from '../lib/files';
import type { ListPage } from '../lib/queries';
import { data } from '../lib/result';
import { ReportExport } from '../reports/ReportExport';

type ImportKind = 'learner.import' | 'learnerProfile.import';
const IMPORTS: Record<ImportKind, { label: MessageId; imported: MessageId }> = {
  'learner.import': { label: 'importExport.importLearners', imported: 'importExport.importedLearners' },
  'learnerProfile.import': { label: 'importExport.importProfiles', imported: 'importExport.importedProfiles' },
};
const SHOWN_PROBLEMS = 10;

/** Long work under way, in words chosen when it is shown. */
type Task =
  | { kind: 'reading' | 'checking' | 'saving'; file: string; done: number; total: number }
  | { kind: 'exportLearners' | 'exportProfiles'; done: number; total: number };

interface Summary {
  tone: 'ok' | 'error';
  text: string;
  problems?: string[];
}

function taskTitle(translator: Translator, task: Task): string {
  const { t } = translator;
  switch (task.kind) {
    case 'reading':
      return t('importExport.reading', { file: task.file });
    case 'checking':
      return t('importExport.checking', { count: task.total, file: task.file });
    case 'saving':
      return t('importExport.saving', { count: task.total, file: task.file });
    case 'exportLearners':
      return t('importExport.exportingLearners');
    case 'exportProfiles':
      return t('importExport.exportingProfiles');
  }
}

/** "Record 4, email_address: field required", counted from 1 as a person reads a file. */
function describe(translator: Translator, detail: ErrorDetail): string {
  const [, index, ...path] = detail.loc;
  const message = knownApiMessage(translator, detail.msg) ?? detail.msg;
  if (typeof index !== 'number') return path.length ? translator.t('importExport.fieldProblem', { field: path.join('.'), message }) : translator.t('importExport.fileProblem', { message });
  return path.length
    ? translator.t('importExport.recordFieldProblem', { record: index + 1, field: path.join('.'), message })
    : translator.t('importExport.recordProblem', { record: index + 1, message });
}

function importSummary(translator: Translator, result: Result, kind: ImportKind, file: string): Summary {
  const { t } = translator;
  if (result.body.success) {
    const count = (result.body.data as string[]).length;
    return { tone: 'ok', text: t(IMPORTS[kind].imported, { count, file }) };
  }
  const details = Array.isArray(result.body.data) ? (result.body.data as ErrorDetail[]) : [];
  if (details.length === 0) return { tone: 'error', text: t('importExport.refused', { reason: apiMessage(translator, result.body.message) }) };
  const problems = details.slice(0, SHOWN_PROBLEMS).map((detail) => describe(translator, detail));
  if (details.length > SHOWN_PROBLEMS) problems.push(t('importExport.moreProblems', { count: details.length - SHOWN_PROBLEMS }));
  return { tone: 'error', text: t('importExport.needsFixing', { file }), problems };
}

export function ImportExport({ filter }: { filter: Omit<Partial<LearnerBrowseQuery>, 'offset' | 'limit'> & { text: string } }) {
  const translator = useT();
  const { t } = translator;
  const [task, setTask] = useState<Task | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const running = useRef<{ operation: string; file: string } | null>(null);

  useEffect(
    () =>
      api.subscribe((events) => {
        for (const event of events) {
          const current = running.current;
          if (event.collection !== 'progress' || !event.progress || event.progress.operation !== current?.operation) continue;
          const progress = event.progress;
          setTask({ kind: progress.phase === 'checking' ? 'checking' : 'saving', file: current.file, done: progress.done, total: progress.total });
        }
      }),
    [],
  );

  const runImport = async (kind: ImportKind, file: File) => {
    setSummary(null);
    setTask({ kind: 'reading', file: file.name, done: 0, total: 0 });
    try {
      let records: unknown;
      try {
        records = JSON.parse(await file.text());
      } catch (error) {
        setSummary({ tone: 'error', text: t('importExport.notJson', { file: file.name, problem: (error as Error).message }) });
        return;
      }
      running.current = { operation: kind, file: file.name };
      const count = Array.isArray(records) ? records.length : 1;
      setTask({ kind: 'checking', file: file.name, done: 0, total: count });
      const result = await (kind === 'learner.import' ? api.learner.import(records) : api.learnerProfile.import(records));
      setSummary(importSummary(translator, result, kind, file.name));
    } finally {
      running.current = null;
      setTask(null);
    }
  };

  const runExport = async (kind: 'exportLearners' | 'exportProfiles', work: (progress: (done: number, total: number) => void) => Promise<void>) => {
    setSummary(null);
    setTask({ kind, done: 0, total: 0 });
    try {
      await work((done, total) => setTask({ kind, done, total }));
    } catch (error) {
      setSummary({ tone: 'error', text: t('importExport.exportFailed', { reason: (error as Error).message }) });
    } finally {
      setTask(null);
    }
  };

  const learners = (progress: (done: number, total: number) => void) =>
    allPages((offset, limit) => data<ListPage<Learner>>(api.learner.browse({ ...filter, offset, limit })), progress);

  const exportLearners = () =>
    runExport('exportLearners', async (progress) => {
      const records = await learners(progress);
      saveFile(`learners-${today()}.json`, JSON.stringify(records, null, 2), 'application/json');
      setSummary({ tone: 'ok', text: t('importExport.exportedLearners', { count: records.length }) });
    });
  const exportProfiles = () =>
    runExport('exportProfiles', async (progress) => {
      const records = await allPages((offset, limit) => data<ListPage<Profile>>(api.learnerProfile.browse({ offset, limit })), progress);
      saveFile(`learner-profiles-${today()}.json`, JSON.stringify(records, null, 2), 'application/json');
      setSummary({ tone: 'ok', text: t('importExport.exportedProfiles', { count: records.length }) });
    });

  const busy = task !== null;
  return (
    <section className="import-export" aria-label={t('importExport.label')}>
      <div className="actions">
        {(Object.keys(IMPORTS) as ImportKind[]).map((kind) => (
          <label key={kind} className={`button${busy ? ' disabled' : ''}`}>
            {t(IMPORTS[kind].label)}
            <input
              type="file"
              accept=".json,application/json"
              className="visually-hidden"
              disabled={busy}
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                if (file) void runImport(kind, file);
              }}
            />
          </label>
        ))}
        <button type="button" disabled={busy} onClick={exportLearners}>{t('importExport.exportLearnersJson')}</button>
        <button type="button" disabled={busy} onClick={exportProfiles}>{t('importExport.exportProfilesJson')}</button>
      </div>
      <ReportExport what="list" operation="report.exportLearners" run={(format) => api.report.exportLearners({ format, query: filter })} />
      {task && (
        <div className="task" role="status">
          <label>
            {taskTitle(translator, task)}
            {task.total > 0 && t('progress.of', { done: task.done, total: task.total })}
            <progress max={task.total || undefined} value={task.total ? task.done : undefined} />
          </label>
        </div>
      )}
      {summary && (
        <div className={summary.tone === 'ok' ? 'summary' : 'summary error'} role={summary.tone === 'ok' ? 'status' : 'alert'}>
          <p>{summary.text}</p>
          {summary.problems && (
            <ul>
              {summary.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
