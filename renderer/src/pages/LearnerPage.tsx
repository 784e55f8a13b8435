// One learner: details, edit, archive and unarchive, delete (confirmed, saying what goes with it), and their profile.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { AccessCode } from '../../../shared/desktop';
import type { Learner } from '../../../shared/schemas/learner';
import { progressKinds, type Profile } from '../../../shared/schemas/profile';
import { api } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { SyncBadge } from '../components/SyncBadge';
import { useToast } from '../components/Toast';
import { formatDay, formatWhen } from '../lib/format';
import { useAchievements, useLearner, useProfile, useRecordStates, useSyncStatus } from '../lib/queries';
import { data } from '../lib/result';
import { LearnerDetails } from '../components/LearnerDetails';
import { LearnerForm } from './LearnerForm';
import { ProfileForm } from './ProfileForm';

const KIND_LABELS: Record<(typeof progressKinds)[number], string> = {
  curriculum_pathways: 'Curriculum pathways',
  learning_experiences: 'Learning experiences',
  learning_objects: 'Learning objects',
  learning_resources: 'Learning resources',
  assessments: 'Assessments',
};

function ProfileView({ profile }: { profile: Profile }) {
  const achievements = useAchievements();
  const names = new Map((achievements.data ?? []).map((a) => [a.uuid, a.name]));
  const list = (items: string[]) => (items.length ? items.join(', ') : '—');
  const progress = progressKinds.flatMap((kind) => Object.entries(profile.progress[kind]).map(([id, entry]) => ({ kind, id, ...entry })));
  return (
    <div className="profile-view">
      <dl className="details">
        <div><dt>Learning goals</dt><dd>{list(profile.learning_goals)}</dd></div>
        <div><dt>Weekly study time</dt><dd>{profile.learning_constraints ? `${profile.learning_constraints.weekly_study_time} h` : '—'}</dd></div>
        <div><dt>Employment status</dt><dd>{profile.employment_status || '—'}</dd></div>
        <div><dt>Career fields</dt><dd>{list(profile.potential_career_fields)}</dd></div>
        <div className="wide"><dt>Personal goals</dt><dd className="prose">{profile.personal_goals || '—'}</dd></div>
        <div><dt>Contact</dt><dd>{[profile.contact_preferences.email && 'email', profile.contact_preferences.phone && 'phone'].filter(Boolean).join(' and ') || 'no contact'}</dd></div>
        <div><dt>Skills</dt><dd>{list(profile.tagged_skills)}</dd></div>
        <div><dt>Competencies</dt><dd>{list(profile.tagged_competencies)}</dd></div>
        <div><dt>Achievements</dt><dd>{list(profile.achievements.map((id) => names.get(id) ?? id))}</dd></div>
        <div><dt>Last changed</dt><dd>{formatWhen(profile.last_modified_time)}</dd></div>
      </dl>
      <h3>Progress</h3>
      {progress.length === 0 ? (
        <p className="hint">No progress recorded yet.</p>
      ) : (
        <table className="progress">
          <thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {progress.map((p) => (
              <tr key={`${p.kind}/${p.id}`}><td>{KIND_LABELS[p.kind]}</td><td>{p.name}</td><td>{p.status.replace(/_/g, ' ')}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function LearnerPage() {
  const { learnerId = '' } = useParams();
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const learner = useLearner(learnerId);
  const profile = useProfile(learnerId);
  const { data: sync } = useSyncStatus();
  const { data: states } = useRecordStates([learnerId], sync !== undefined && sync.state !== 'disabled');
  const [editing, setEditing] = useState<'learner' | 'profile' | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [accessCode, setAccessCode] = useState<AccessCode | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['learner', learnerId] }), queryClient.invalidateQueries({ queryKey: ['profile', learnerId] }), queryClient.invalidateQueries({ queryKey: ['learners'] })]);
  const act = async (work: () => Promise<unknown>, done: string): Promise<boolean> => {
    setActionError(null);
    try {
      await work();
      await refresh();
      toast(done);
      return true;
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
      return false;
    }
  };

  if (learner.isPending) return <p className="page">Loading…</p>;
  if (learner.isError) {
    return (
      <section className="page">
        <h1>Learner not found</h1>
        <p>{learner.error.message}</p>
        <button type="button" onClick={() => navigate('/learners')}>Back to learners</button>
      </section>
    );
  }
  const l = learner.data;
  const archived = l.is_archived;

  return (
    <section className="page" aria-labelledby="learner-title">
      <header className="page-header">
        <div>
          <h1 id="learner-title">
            {l.first_name} {l.last_name}
          </h1>
          <p className="subtitle">
            {archived && <span className="badge badge-archived">Archived</span>} <SyncBadge state={states?.[learnerId]} /> Registered {formatDay(l.created_time)}
          </p>
        </div>
        {editing === null && (
          <div className="actions">
            <button type="button" onClick={() => setEditing('learner')}>Edit details</button>
            <button type="button" onClick={() => act(() => data(api.learner.update(learnerId, { is_archived: !archived })), archived ? 'Learner restored from the archive' : 'Learner archived')}>
              {archived ? 'Unarchive' : 'Archive'}
            </button>
            <button type="button" onClick={() => act(async () => setAccessCode(await data<AccessCode>(api.learner.accessCode(learnerId))), 'Kiosk code made')}>
              Kiosk code
            </button>
            <Link className="button" to={`/learners/${learnerId}/print`}>
              Print profile
            </Link>
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>Delete</button>
          </div>
        )}
      </header>
      {actionError && <p className="error" role="alert">{actionError}</p>}

      {editing === 'learner' ? (
        <LearnerForm
          mode="edit"
          learner={l}
          submitLabel="Save details"
          onCancel={() => setEditing(null)}
          onSubmit={async (body) => {
            await data(api.learner.update(learnerId, body));
            await refresh();
            setEditing(null);
            toast('Details saved');
          }}
        />
      ) : (
        <LearnerDetails learner={l} />
      )}

      <section className="card" aria-labelledby="profile-title">
        <header className="card-header">
          <h2 id="profile-title">Learner profile</h2>
          {profile.data && editing === null && (
            <button type="button" onClick={() => setEditing('profile')}>Edit profile</button>
          )}
        </header>
        {profile.isPending && <p>Loading…</p>}
        {profile.isError && <p className="error" role="alert">{profile.error.message}</p>}
        {profile.data === null && editing !== 'profile' && (
          <div className="empty">
            <p>{l.first_name} has no profile yet.{archived && ' Unarchive the learner to create one.'}</p>
            {!archived && <button type="button" className="primary" onClick={() => setEditing('profile')}>Create profile</button>}
          </div>
        )}
        {editing === 'profile' ? (
          <ProfileForm
            mode={profile.data ? 'edit' : 'create'}
            initial={profile.data ?? undefined}
            onCancel={() => setEditing(null)}
            onSubmit={async (body) => {
              await data(profile.data ? api.learnerProfile.updateByLearner(learnerId, body) : api.learnerProfile.create(learnerId, body));
              await refresh();
              setEditing(null);
              toast(profile.data ? 'Profile saved' : 'Profile created');
            }}
          />
        ) : (
          profile.data && <ProfileView profile={profile.data} />
        )}
      </section>

      <ConfirmDialog
        open={accessCode !== null}
        title={`Kiosk code for ${l.first_name}`}
        confirmLabel="Done"
        onCancel={() => setAccessCode(null)}
        onConfirm={() => setAccessCode(null)}
      >
        <p className="access-code" aria-label="Kiosk code">{accessCode?.code}</p>
        <p>
          {l.first_name} can open their own profile at a learning center's kiosk with this code, once, until{' '}
          {accessCode && formatDay(accessCode.expires_time)}. It is shown only now: write it down for them.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${l.first_name} ${l.last_name}?`}
        confirmLabel="Delete learner and profile"
        danger
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          void act(() => data(api.learner.delete(learnerId)), 'Learner deleted').then((deleted) => deleted && navigate('/learners', { replace: true }));
        }}
      >
        <p>The learner {profile.data ? 'and their learner profile ' : ''}will no longer appear anywhere in the app, on this device or, after sync, on others.</p>
      </ConfirmDialog>
    </section>
  );
}
