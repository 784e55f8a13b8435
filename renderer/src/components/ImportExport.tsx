// Import learners or profiles from a JSON file (the reference service's import shape), export them in the same
// shape, and export the learner list as it is filtered as CSV or XLSX (written by the main process: ReportExport).
// Long work shows a progress bar; an import ends with a summary: how many records were created, or which records were
// refused (and that nothing was created).
import { useEffect, useRef, useState } from 'react';
import type { LearnerBrowseQuery } from '../../../shared/desktop';
import type { Progress } from '../../../shared/progress';
import type { ErrorDetail, Result } from '../../../shared/result';
import type { Learner } from '../../../shared/schemas/learner';
import type { Profile } from '../../../shared/schemas/profile';
import { api } from '../api';
import { allPages } from '../lib/export';
import { saveFile, today } from '../lib/files';
import type { ListPage } from '../lib/queries';
import { data } from '../lib/result';
import { ReportExport } from '../reports/ReportExport';

type ImportKind = 'learner.import' | 'learnerProfile.import';
const IMPORTS: Record<ImportKind, { label: string; noun: string }> = {
  'learner.import': { label: 'Import learners…', noun: 'learners' },
  'learnerProfile.import': { label: 'Import learner profiles…', noun: 'learner profiles' },
};
const SHOWN_PROBLEMS = 10;

interface Task {
  title: string;
  done: number;
  total: number;
}

interface Summary {
  tone: 'ok' | 'error';
  text: string;
  problems?: string[];
}

const phaseTitle = (progress: Progress, file: string) =>
  `${progress.phase === 'checking' ? 'Checking' : 'Saving'} ${progress.total.toLocaleString()} records from ${file}`;

/** "Record 4, email_address: field required", counted from 1 as a person reads a file. */
function describe(detail: ErrorDetail): string {
  const [, index, ...path] = detail.loc;
  if (typeof index !== 'number') return `${path.join('.') || 'The file'}: ${detail.msg}`;
  return `Record ${index + 1}${path.length ? `, ${path.join('.')}` : ''}: ${detail.msg}`;
}

function importSummary(result: Result, noun: string, file: string): Summary {
  if (result.body.success) {
    const count = (result.body.data as string[]).length;
    return { tone: 'ok', text: `Imported ${count.toLocaleString()} ${noun} from ${file}.` };
  }
  const details = Array.isArray(result.body.data) ? (result.body.data as ErrorDetail[]) : [];
  if (details.length === 0) return { tone: 'error', text: `${result.body.message}. Nothing was imported.` };
  const problems = details.slice(0, SHOWN_PROBLEMS).map(describe);
  if (details.length > SHOWN_PROBLEMS) problems.push(`…and ${details.length - SHOWN_PROBLEMS} more.`);
  return { tone: 'error', text: `Nothing was imported: ${file} has records that need fixing. Fix them and import the file again.`, problems };
}

export function ImportExport({ filter }: { filter: Omit<Partial<LearnerBrowseQuery>, 'offset' | 'limit'> & { text: string } }) {
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
          setTask({ title: phaseTitle(progress, current.file), done: progress.done, total: progress.total });
        }
      }),
    [],
  );

  const runImport = async (kind: ImportKind, file: File) => {
    setSummary(null);
    setTask({ title: `Reading ${file.name}`, done: 0, total: 0 });
    try {
      let records: unknown;
      try {
        records = JSON.parse(await file.text());
      } catch (error) {
        setSummary({ tone: 'error', text: `${file.name} is not valid JSON (${(error as Error).message}). Nothing was imported.` });
        return;
      }
      running.current = { operation: kind, file: file.name };
      const count = Array.isArray(records) ? records.length : 1;
      setTask({ title: `Checking ${count.toLocaleString()} records from ${file.name}`, done: 0, total: count });
      const result = await (kind === 'learner.import' ? api.learner.import(records) : api.learnerProfile.import(records));
      setSummary(importSummary(result, IMPORTS[kind].noun, file.name));
    } finally {
      running.current = null;
      setTask(null);
    }
  };

  const runExport = async (title: string, work: (progress: (done: number, total: number) => void) => Promise<void>) => {
    setSummary(null);
    setTask({ title, done: 0, total: 0 });
    try {
      await work((done, total) => setTask({ title, done, total }));
    } catch (error) {
      setSummary({ tone: 'error', text: `The export failed: ${(error as Error).message}` });
    } finally {
      setTask(null);
    }
  };

  const learners = (progress: (done: number, total: number) => void) =>
    allPages((offset, limit) => data<ListPage<Learner>>(api.learner.browse({ ...filter, offset, limit })), progress);

  const exportLearners = () =>
    runExport('Exporting learners', async (progress) => {
      const records = await learners(progress);
      saveFile(`learners-${today()}.json`, JSON.stringify(records, null, 2), 'application/json');
      setSummary({ tone: 'ok', text: `Exported ${records.length.toLocaleString()} learners.` });
    });
  const exportProfiles = () =>
    runExport('Exporting learner profiles', async (progress) => {
      const records = await allPages((offset, limit) => data<ListPage<Profile>>(api.learnerProfile.browse({ offset, limit })), progress);
      saveFile(`learner-profiles-${today()}.json`, JSON.stringify(records, null, 2), 'application/json');
      setSummary({ tone: 'ok', text: `Exported ${records.length.toLocaleString()} learner profiles.` });
    });

  const busy = task !== null;
  return (
    <section className="import-export" aria-label="Import and export">
      <div className="actions">
        {(Object.keys(IMPORTS) as ImportKind[]).map((kind) => (
          <label key={kind} className={`button${busy ? ' disabled' : ''}`}>
            {IMPORTS[kind].label}
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
        <button type="button" disabled={busy} onClick={exportLearners}>Export learners (JSON)</button>
        <button type="button" disabled={busy} onClick={exportProfiles}>Export profiles (JSON)</button>
      </div>
      <ReportExport what="list" operation="report.exportLearners" run={(format) => api.report.exportLearners({ format, query: filter })} />
      {task && (
        <div className="task" role="status">
          <label>
            {task.title}
            {task.total > 0 && ` — ${task.done.toLocaleString()} of ${task.total.toLocaleString()}`}
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
