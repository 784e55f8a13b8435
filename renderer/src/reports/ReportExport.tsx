// Export buttons for a report the main process writes (the learner list, the dashboard's tables), CSV or XLSX: a
// progress bar that follows the main process's progress events, then the file: downloaded (browser preview) or saved
// where the counselor chose (the app asks), and a line that says which.
import { useEffect, useRef, useState } from 'react';
import type { ReportFile, ReportFormat } from '../../../shared/desktop';
import type { Result } from '../../../shared/result';
import { api } from '../api';
import { data } from '../lib/result';
import { downloadUrl } from '../lib/files';

const TEXT = {
  button: (what: string, format: ReportFormat) => `Export ${what} (${format.toUpperCase()})`,
  writing: (what: string) => `Writing the ${what}`,
  of: (done: number, total: number) => ` — ${done.toLocaleString()} of ${total.toLocaleString()}`,
  downloaded: (file: ReportFile) => `Exported ${file.rows.toLocaleString()} rows to ${file.file_name}.`,
  saved: (file: ReportFile, path: string) => `Exported ${file.rows.toLocaleString()} rows to ${path}.`,
  cancelled: 'Not saved.',
  failed: (message: string) => `The export failed: ${message}`,
};

const FORMATS: ReportFormat[] = ['csv', 'xlsx'];


interface Props {
  /** What is exported, in the buttons' words: "list", "tables". */
  what: string;
  /** The operation, whose progress events this follows. */
  operation: 'report.exportLearners' | 'report.exportDashboard';
  run(format: ReportFormat): Promise<Result>;
}

export function ReportExport({ what, operation, run }: Props) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [summary, setSummary] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const running = useRef(false);

  useEffect(
    () =>
      api.subscribe((events) => {
        if (!running.current) return;
        for (const event of events) {
          if (event.collection === 'progress' && event.progress?.operation === operation) {
            setProgress({ done: event.progress.done, total: event.progress.total });
          }
        }
      }),
    [operation],
  );

  const start = async (format: ReportFormat) => {
    running.current = true;
    setSummary(null);
    setProgress({ done: 0, total: 0 });
    try {
      const file = await data<ReportFile>(run(format));
      const { delivery } = file;
      if (delivery.kind === 'download') downloadUrl(delivery.url, file.file_name);
      setSummary(
        delivery.kind === 'cancelled'
          ? { tone: 'ok', text: TEXT.cancelled }
          : { tone: 'ok', text: delivery.kind === 'saved' ? TEXT.saved(file, delivery.path) : TEXT.downloaded(file) },
      );
    } catch (error) {
      setSummary({ tone: 'error', text: TEXT.failed((error as Error).message) });
    } finally {
      running.current = false;
      setProgress(null);
    }
  };

  const busy = progress !== null;
  return (
    <div className="report-export">
      <div className="actions">
        {FORMATS.map((format) => (
          <button key={format} type="button" disabled={busy} onClick={() => void start(format)}>
            {TEXT.button(what, format)}
          </button>
        ))}
      </div>
      {progress && (
        <div className="task" role="status">
          <label>
            {TEXT.writing(what)}
            {progress.total > 0 && TEXT.of(progress.done, progress.total)}
            <progress max={progress.total || undefined} value={progress.total ? progress.done : undefined} />
          </label>
        </div>
      )}
      {summary && (
        <p className={summary.tone === 'ok' ? 'summary' : 'summary error'} role={summary.tone === 'ok' ? 'status' : 'alert'}>
          {summary.text}
        </p>
      )}
    </div>
  );
}
