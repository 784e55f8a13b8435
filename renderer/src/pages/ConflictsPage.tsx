// The conflict log: values that lost when two devices changed the same thing apart, or edits made to a record that
// another device deleted. Shared by every device of the center; resolving one resolves it everywhere.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConflictChoice, ConflictEntry } from '../../../shared/desktop';
import { api } from '../api';
import { useToast } from '../components/Toast';
import { fieldLabel } from '../lib/field-labels';
import { formatWhen } from '../lib/format';
import { data } from '../lib/result';

const show = (value: unknown) =>
  value === null || value === undefined || value === '' ? '(empty)' : typeof value === 'string' ? value : JSON.stringify(value, null, 1);

const when = (instant: string | null) => (instant ? new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : 'an unknown time');
const device = (name: string | null, mine: boolean) => `${name ?? 'another device'}${mine ? ' (this device)' : ''}`;

function Entry({ entry, onResolve }: { entry: ConflictEntry; onResolve(choice: ConflictChoice): void }) {
  const what = `${entry.learnerName}${entry.recordType === 'learner_profile' ? '’s profile' : ''}`;
  if (entry.kind === 'deleted') {
    return (
      <li className="card conflict">
        <h2>
          {what}: <span className="field-name">{fieldLabel(entry.field)}</span>
        </h2>
        <p>
          Deleted on {device(entry.keptDevice, entry.mine === 'kept')} at {when(entry.keptAt)}. Meanwhile {device(entry.lostDevice, entry.mine === 'lost')} changed
          this at {when(entry.lostAt)}, without knowing.
        </p>
        <pre className="value">{show(entry.lost)}</pre>
        <div className="actions">
          <button type="button" onClick={() => onResolve('kept')}>Keep it deleted</button>
          <button type="button" className="primary" onClick={() => onResolve('restore')}>
            Restore {entry.recordType === 'learner' ? 'the learner' : 'the profile'} with this change
          </button>
        </div>
      </li>
    );
  }
  return (
    <li className="card conflict">
      <h2>
        {what}: <span className="field-name">{fieldLabel(entry.field)}</span>
      </h2>
      <p className="hint">Two devices changed this while apart. The later change was kept; the other is here, so nothing is lost.</p>
      <div className="compare">
        <div>
          <h3>Kept: {device(entry.keptDevice, entry.mine === 'kept')}, {when(entry.keptAt)}</h3>
          <pre className="value">{show(entry.kept)}</pre>
        </div>
        <div>
          <h3>Not kept: {device(entry.lostDevice, entry.mine === 'lost')}, {when(entry.lostAt)}</h3>
          <pre className="value">{show(entry.lost)}</pre>
        </div>
      </div>
      <div className="actions">
        <button type="button" onClick={() => onResolve('kept')}>Keep the kept value</button>
        <button type="button" className="primary" onClick={() => onResolve('lost')}>Use the other value</button>
      </div>
    </li>
  );
}

export function ConflictsPage() {
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
      toast('Saved; every device will see it resolved');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <section className="page" aria-labelledby="conflicts-title">
      <header className="page-header">
        <h1 id="conflicts-title">Conflicts to review</h1>
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      {conflicts.isPending && <p>Loading…</p>}
      {conflicts.data && open.length === 0 && <p className="empty">Nothing to review.</p>}
      <ul className="conflicts">
        {open.map((entry) => (
          <Entry key={entry.id} entry={entry} onResolve={(choice) => void resolve(entry, choice)} />
        ))}
      </ul>
      {resolved.length > 0 && (
        <details className="resolved">
          <summary>Recently resolved ({resolved.length})</summary>
          <ul>
            {resolved.map((entry) => (
              <li key={entry.id}>
                {entry.learnerName}: {fieldLabel(entry.field)}. {entry.resolution === 'kept' ? 'Kept as it was' : entry.resolution === 'restore' ? 'Restored' : 'Other value used'} by{' '}
                {entry.resolvedBy ?? 'another device'}
                {entry.resolvedAt ? `, ${formatWhen(entry.resolvedAt)}` : ''}.
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
