// One learner: details, edit, archive and unarchive, delete (confirmed, saying what goes with it), and their profile.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { AccessCode } from '../../../shared/desktop';
import { progressKinds, type Profile } from '../../../shared/schemas/profile';
import { api } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { SyncBadge } from '../components/SyncBadge';
import { useToast } from '../components/Toast';
import { useT } from '../i18n/LanguageProvider';
import { careerLabel, employmentLabel, goalLabel, progressKindLabel, progressStatusLabel } from '../i18n/value-labels';
import { useAchievements, useLearner, useProfile, useRecordStates, useSyncStatus } from '../lib/queries';
import { data } from '../lib/result';
import { LearnerDetails } from '../components/LearnerDetails';
import { LearnerForm } from './LearnerForm';
import { ProfileForm } from './ProfileForm';

function ProfileView({ profile }: { profile: Profile }) {
  const translator = useT();
  const { t } = translator;
  const achievements = useAchievements();
  const names = new Map((achievements.data ?? []).map((a) => [a.uuid, a.name]));
  const none = t('common.none');
  const list = (items: string[]) => (items.length ? items.join(', ') : none);
  const progress = progressKinds.flatMap((kind) => Object.entries(profile.progress[kind]).map(([id, entry]) => ({ kind, id, ...entry })));
  const contact = [profile.contact_preferences.email && t('contact.email'), profile.contact_preferences.phone && t('contact.phone')].filter((way) => way !== false);
  return (
    <div className="profile-view">
      <dl className="details">
        <div><dt>{t('field.learningGoals')}</dt><dd>{list(profile.learning_goals.map((goal) => goalLabel(translator, goal)))}</dd></div>
        <div><dt>{t('field.weeklyStudyTime')}</dt><dd>{profile.learning_constraints ? t('profile.hoursShort', { hours: profile.learning_constraints.weekly_study_time }) : none}</dd></div>
        <div><dt>{t('field.employmentStatus')}</dt><dd>{profile.employment_status ? employmentLabel(translator, profile.employment_status) : none}</dd></div>
        <div><dt>{t('field.careerFields')}</dt><dd>{list(profile.potential_career_fields.map((field) => careerLabel(translator, field)))}</dd></div>
        <div className="wide"><dt>{t('field.personalGoals')}</dt><dd className="prose">{profile.personal_goals || none}</dd></div>
        <div><dt>{t('profile.contact')}</dt><dd>{contact.length ? translator.intl.formatList(contact, { type: 'conjunction' }) : t('contact.none')}</dd></div>
        <div><dt>{t('field.skills')}</dt><dd>{list(profile.tagged_skills)}</dd></div>
        <div><dt>{t('field.competencies')}</dt><dd>{list(profile.tagged_competencies)}</dd></div>
        <div><dt>{t('field.achievements')}</dt><dd>{list(profile.achievements.map((id) => names.get(id) ?? id))}</dd></div>
        <div><dt>{t('field.lastChanged')}</dt><dd>{translator.when(profile.last_modified_time)}</dd></div>
      </dl>
      <h3>{t('field.progress')}</h3>
      {progress.length === 0 ? (
        <p className="hint">{t('profile.noProgress')}</p>
      ) : (
        <table className="progress">
          <thead><tr><th scope="col">{t('progress.kind')}</th><th scope="col">{t('progress.name')}</th><th scope="col">{t('progress.status')}</th></tr></thead>
          <tbody>
            {progress.map((p) => (
              <tr key={`${p.kind}/${p.id}`}><td>{progressKindLabel(translator, p.kind, 'many')}</td><td>{p.name}</td><td>{progressStatusLabel(translator, p.status)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function LearnerPage() {
  const translator = useT();
  const { t } = translator;
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

  if (learner.isPending) return <p className="page">{t('app.loading')}</p>;
  if (learner.isError) {
    return (
      <section className="page">
        <h1>{t('learner.notFound')}</h1>
        <p>{learner.error.message}</p>
        <button type="button" onClick={() => navigate('/learners')}>{t('learner.backToList')}</button>
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
            {archived && <span className="badge badge-archived">{t('learner.archivedBadge')}</span>} <SyncBadge state={states?.[learnerId]} />{' '}
            {t('learner.registeredOn', { day: translator.day(l.created_time) })}
          </p>
        </div>
        {editing === null && (
          <div className="actions">
            <button type="button" onClick={() => setEditing('learner')}>{t('learner.editDetails')}</button>
            <button type="button" onClick={() => act(() => data(api.learner.update(learnerId, { is_archived: !archived })), t(archived ? 'learner.unarchived' : 'learner.archived'))}>
              {t(archived ? 'learner.unarchive' : 'learner.archive')}
            </button>
            <button type="button" onClick={() => act(async () => setAccessCode(await data<AccessCode>(api.learner.accessCode(learnerId))), t('learner.kioskCodeMade'))}>
              {t('learner.kioskCode')}
            </button>
            <Link className="button" to={`/learners/${learnerId}/print`}>
              {t('learner.printProfile')}
            </Link>
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>{t('learner.delete')}</button>
          </div>
        )}
      </header>
      {actionError && <p className="error" role="alert">{actionError}</p>}

      {editing === 'learner' ? (
        <LearnerForm
          mode="edit"
          learner={l}
          submitLabel={t('learner.saveDetails')}
          onCancel={() => setEditing(null)}
          onSubmit={async (body) => {
            await data(api.learner.update(learnerId, body));
            await refresh();
            setEditing(null);
            toast(t('learner.detailsSaved'));
          }}
        />
      ) : (
        <LearnerDetails learner={l} />
      )}

      <section className="card" aria-labelledby="profile-title">
        <header className="card-header">
          <h2 id="profile-title">{t('learner.profileTitle')}</h2>
          {profile.data && editing === null && (
            <button type="button" onClick={() => setEditing('profile')}>{t('learner.editProfile')}</button>
          )}
        </header>
        {profile.isPending && <p>{t('app.loading')}</p>}
        {profile.isError && <p className="error" role="alert">{profile.error.message}</p>}
        {profile.data === null && editing !== 'profile' && (
          <div className="empty">
            <p>{t('learner.noProfile', { name: l.first_name, archived: archived ? 'yes' : 'no' })}</p>
            {!archived && <button type="button" className="primary" onClick={() => setEditing('profile')}>{t('profileForm.create')}</button>}
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
              toast(t(profile.data ? 'learner.profileSaved' : 'learner.profileCreated'));
            }}
          />
        ) : (
          profile.data && <ProfileView profile={profile.data} />
        )}
      </section>

      <ConfirmDialog
        open={accessCode !== null}
        title={t('learner.kioskCodeTitle', { name: l.first_name })}
        confirmLabel={t('common.done')}
        onCancel={() => setAccessCode(null)}
        onConfirm={() => setAccessCode(null)}
      >
        <p className="access-code" aria-label={t('learner.kioskCode')}>{accessCode?.code}</p>
        <p>{accessCode && t('learner.kioskCodeText', { name: l.first_name, day: translator.day(accessCode.expires_time) })}</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={confirmDelete}
        title={t('learner.deleteTitle', { name: `${l.first_name} ${l.last_name}` })}
        confirmLabel={t('learner.deleteConfirm')}
        danger
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          void act(() => data(api.learner.delete(learnerId)), t('learner.deleted')).then((deleted) => deleted && navigate('/learners', { replace: true }));
        }}
      >
        <p>{t('learner.deleteText', { profile: profile.data ? 'yes' : 'no' })}</p>
      </ConfirmDialog>
    </section>
  );
}
