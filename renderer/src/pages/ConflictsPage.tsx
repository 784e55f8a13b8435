// Edits that met another device's edit of the same field: both values side by side, and the counselor's choice.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConflictChoice, ConflictEntry } from '../../../shared/desktop';
import { api } from '../api';
import { useToast } from '../components/Toast';
import { formatWhen } from '../lib/format';
import { data } from '../lib/result';

const show = (value: unknown) => (typeof value === 'string' ? value || '(empty)' : JSON.stringify(value, null, 1));

export function ConflictsPage() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const conflicts = useQuery({ queryKey: ['sync', 'conflicts'], queryFn: () => data<ConflictEntry[]>(api.sync.conflicts()) });
  const open = (conflicts.data ?? []).filter((c) => !c.resolved);

  const resolve = async (conflict: ConflictEntry, choice: ConflictChoice) => {
    setError(null);
    try {
      await data(api.sync.resolveConflict(conflict.id, choice));
      await queryClient.invalidateQueries({ queryKey: ['sync'] });
      toast('Choice saved; it will sync like any other edit');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <section className="page" aria-labelledby="conflicts-title">
      <header className="page-header">
        <h1 id="conflicts-title">Conflicts to review</h1>
      </header>
      <p className="hint">
        When two devices change the same field while offline, the later change is kept and the other is saved here, so nothing is lost.
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      {conflicts.isPending && <p>Loading…</p>}
      {conflicts.data && open.length === 0 && <p className="empty">Nothing to review.</p>}
      <ul className="conflicts">
        {open.map((conflict) => (
          <li key={conflict.id} className="card">
            <h2>
              {conflict.collection === 'learners' ? 'Learner' : 'Profile'} {conflict.documentId}: <code>{conflict.field}</code>
            </h2>
            <p className="hint">{formatWhen(conflict.at)} · kept: {conflict.kept === 'mine' ? 'this device' : 'the other device'}</p>
            <div className="compare">
              <div>
                <h3>This device{conflict.mineDevice ? ` (${conflict.mineDevice})` : ''}</h3>
                <pre>{show(conflict.mine)}</pre>
              </div>
              <div>
                <h3>Other device{conflict.theirsDevice ? ` (${conflict.theirsDevice})` : ''}</h3>
                <pre>{show(conflict.theirs)}</pre>
              </div>
            </div>
            <div className="actions">
              <button type="button" onClick={() => resolve(conflict, 'mine')}>Keep mine</button>
              <button type="button" onClick={() => resolve(conflict, 'theirs')}>Keep theirs</button>
              <button type="button" onClick={() => resolve(conflict, 'restore')}>Restore the value that lost</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
