// Export buttons for a report the main process writes (the learner list, the dashboard's tables), CSV or XLSX: a
// progress bar that follows the main process's progress events, then the file: downloaded (browser preview) or saved
// where the counselor chose (the app asks), and a line that says which.
import { useEffect, useRef, useState } from 'react';
import type { ReportFile, ReportFormat } from '../../../shared/desktop';
import type { Result } from '../../../shared/result';
import { api } from '../api';
import { useT } from '../i18n/LanguageProvider';
import { data } from '../lib/result';
import { downloadUrl } from '../lib/files';

const FORMATS: ReportFormat[] = ['csv', 'xlsx'];

interface Props {
  /** What is exported: the learner list, or the dashboard's tables. */
  what: 'list' | 'tables';
  /** The operation, whose progress events this follows. */
  operation: 'report.exportLearners' | 'report.exportDashboard';
  run(format: ReportFormat): Promise<Result>;
}

export function ReportExport({ what, operation, run }: Props) {
  const { t } = useT();
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
          ? { tone: 'ok', text: t('report.notSaved') }
          : { tone: 'ok', text: t('report.exported', { count: file.rows, file: delivery.kind === 'saved' ? delivery.path : file.file_name }) },
      );
    } catch (error) {
      setSummary({ tone: 'error', text: t('importExport.exportFailed', { reason: (error as Error).message }) });
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
            {t('report.button', { what, format: format.toUpperCase() })}
          </button>
        ))}
      </div>
      {progress && (
        <div className="task" role="status">
          <label>
            {t('report.writing', { what })}
            {progress.total > 0 && t('progress.of', { done: progress.done, total: progress.total })}
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
