// The conflict log: values that lost when two devices changed the same thing apart, or edits made to a record that
// another device deleted. Shared by every device of the center; resolving one resolves it everywhere.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConflictChoice, ConflictEntry } from '../../../shared/desktop';
import { api } from '../api';
import { useToast } from '../components/Toast';
import { useT } from '../i18n/LanguageProvider';
import type { Translator } from '../i18n/translator';
import { fieldLabel } from '../i18n/value-labels';
import { data } from '../lib/result';

const show = ({ t }: Translator, value: unknown) =>
  value === null || value === undefined || value === '' ? t('conflicts.empty') : typeof value === 'string' ? value : JSON.stringify(value, null, 1);

const when = (translator: Translator, instant: string | null) => (instant ? translator.when(instant) : translator.t('conflicts.unknownTime'));
const device = ({ t }: Translator, name: string | null, mine: boolean) =>
  t('conflicts.device', { name: name ?? t('conflicts.anotherDevice'), mine: mine ? 'yes' : 'no' });

function Entry({ entry, onResolve }: { entry: ConflictEntry; onResolve(choice: ConflictChoice): void }) {
  const translator = useT();
  const { t } = translator;
  const heading = (
    <h2>
      {t('conflicts.what', { name: entry.learnerName, record: entry.recordType === 'learner_profile' ? 'profile' : 'learner' })}:{' '}
      <span className="field-name">{fieldLabel(translator, entry.field)}</span>
    </h2>
  );
  const kept = { device: device(translator, entry.keptDevice, entry.mine === 'kept'), when: when(translator, entry.keptAt) };
  const lost = { device: device(translator, entry.lostDevice, entry.mine === 'lost'), when: when(translator, entry.lostAt) };
  if (entry.kind === 'deleted') {
    return (
      <li className="card conflict">
        {heading}
        <p>{t('conflicts.deletedMeanwhile', { keptDevice: kept.device, keptWhen: kept.when, lostDevice: lost.device, lostWhen: lost.when })}</p>
        <pre className="value">{show(translator, entry.lost)}</pre>
        <div className="actions">
          <button type="button" onClick={() => onResolve('kept')}>{t('conflicts.keepDeleted')}</button>
          <button type="button" className="primary" onClick={() => onResolve('restore')}>
            {t('conflicts.restore', { record: entry.recordType === 'learner' ? 'learner' : 'profile' })}
          </button>
        </div>
      </li>
    );
  }
  return (
    <li className="card conflict">
      {heading}
      <p className="hint">{t('conflicts.explain')}</p>
      <div className="compare">
        <div>
          <h3>{t('conflicts.kept', kept)}</h3>
          <pre className="value">{show(translator, entry.kept)}</pre>
        </div>
        <div>
          <h3>{t('conflicts.notKept', lost)}</h3>
          <pre className="value">{show(translator, entry.lost)}</pre>
        </div>
      </div>
      <div className="actions">
        <button type="button" onClick={() => onResolve('kept')}>{t('conflicts.keepKept')}</button>
        <button type="button" className="primary" onClick={() => onResolve('lost')}>{t('conflicts.useOther')}</button>
      </div>
    </li>
  );
}

export function ConflictsPage() {
  const translator = useT();
  const { t } = translator;
  const queryClient = useQueryClient();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const conflicts = useQuery({ queryKey: ['sync', 'conflicts'], queryFn: () => data<ConflictEntry[]>(api.sync.conflicts()) });
  const open = (conflicts.data ?? []).filter((c) => !c.resolved);
  const resolved = (conflicts.data ?? []).filter((c) => c.resolved).slice(0, 20);

  const resolve = async (entry: ConflictEntry, choice: ConflictChoice) => {
    setError(null);
    try {
      await data(api.sync.resolveConflict(entry.id, choice));
      await queryClient.invalidateQueries({ queryKey: ['sync'] });
      toast(t('conflicts.saved'));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <section className="page" aria-labelledby="conflicts-title">
      <header className="page-header">
        <h1 id="conflicts-title">{t('conflicts.title')}</h1>
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      {conflicts.isPending && <p>{t('app.loading')}</p>}
      {conflicts.data && open.length === 0 && <p className="empty">{t('conflicts.none')}</p>}
      <ul className="conflicts">
        {open.map((entry) => (
          <Entry key={entry.id} entry={entry} onResolve={(choice) => void resolve(entry, choice)} />
        ))}
      </ul>
      {resolved.length > 0 && (
        <details className="resolved">
          <summary>{t('conflicts.recentlyResolved', { count: resolved.length })}</summary>
          <ul>
            {resolved.map((entry) => (
              <li key={entry.id}>
                {t('conflicts.resolvedEntry', {
                  name: entry.learnerName,
                  field: fieldLabel(translator, entry.field),
                  resolution: entry.resolution ?? 'lost',
                  device: entry.resolvedBy ?? t('conflicts.anotherDevice'),
                  dated: entry.resolvedAt ? 'yes' : 'no',
                  when: entry.resolvedAt ? translator.when(entry.resolvedAt) : '',
                })}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
