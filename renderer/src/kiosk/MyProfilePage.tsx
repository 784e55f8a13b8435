// The learner's own page at a kiosk: their details and their profile, to read and to change, and "Done".
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { LearnerDetails } from '../components/LearnerDetails';
import { useToast } from '../components/Toast';
import { useT } from '../i18n/LanguageProvider';
import { useLearner, useProfile } from '../lib/queries';
import { data } from '../lib/result';
import { LearnerForm } from '../pages/LearnerForm';
import { ProfileForm } from '../pages/ProfileForm';
import type { KioskScreenProps } from './KioskApp';

export function MyProfilePage({ learnerId, finish }: KioskScreenProps & { learnerId: string }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const toast = useToast();
  const learner = useLearner(learnerId);
  const profile = useProfile(learnerId);
  const [editing, setEditing] = useState<'details' | 'profile' | null>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['learner', learnerId] }), queryClient.invalidateQueries({ queryKey: ['profile', learnerId] })]);

  if (learner.isPending || profile.isPending) return <p className="page">{t('app.loading')}</p>;
  if (learner.isError) return <p className="page error" role="alert">{learner.error.message}</p>;
  const me = learner.data;
  const hasProfile = Boolean(profile.data);
  const profileForm = editing === 'profile' || !hasProfile;

  return (
    <section className="page" aria-labelledby="me-title">
      <header className="page-header">
        <h1 id="me-title">{t('me.hello', { name: me.preferred_name || me.first_name })}</h1>
        <button type="button" className="primary" onClick={() => void finish()}>
          {t('common.done')}
        </button>
      </header>

      <section className="card" aria-labelledby="my-profile-title">
        <h2 id="my-profile-title">{t(hasProfile ? 'me.profile' : 'me.tellUs')}</h2>
        {profileForm ? (
          <ProfileForm
            audience="learner"
            mode={hasProfile ? 'edit' : 'create'}
            initial={profile.data ?? undefined}
            onCancel={() => (hasProfile ? setEditing(null) : void finish())}
            onSubmit={async (body) => {
              await data(hasProfile ? api.learnerProfile.updateByLearner(learnerId, body) : api.learnerProfile.create(learnerId, body));
              await refresh();
              setEditing(null);
              toast(t('me.saved'));
            }}
          />
        ) : (
          <>
            <p className="lead">{t('me.profileSaved')}</p>
            <button type="button" onClick={() => setEditing('profile')}>
              {t('me.changeProfile')}
            </button>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="my-details-title">
        <header className="card-header">
          <h2 id="my-details-title">{t('me.details')}</h2>
          {editing !== 'details' && (
            <button type="button" onClick={() => setEditing('details')}>
              {t('me.changeDetails')}
            </button>
          )}
        </header>
        {editing === 'details' ? (
          <LearnerForm
            mode="edit"
            learner={me}
            submitLabel={t('me.saveDetails')}
            onCancel={() => setEditing(null)}
            onSubmit={async (body) => {
              await data(api.learner.update(learnerId, body));
              await refresh();
              setEditing(null);
              toast(t('me.detailsSaved'));
            }}
          />
        ) : (
          <LearnerDetails learner={me} />
        )}
      </section>
    </section>
  );
}
