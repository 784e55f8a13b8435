// The learner's own page at a kiosk: their details and their profile, to read and to change, and "Done".
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { LearnerDetails } from '../components/LearnerDetails';
import { useToast } from '../components/Toast';
import { useLearner, useProfile } from '../lib/queries';
import { data } from '../lib/result';
import { LearnerForm } from '../pages/LearnerForm';
import { ProfileForm } from '../pages/ProfileForm';
import type { KioskScreenProps } from './KioskApp';

export function MyProfilePage({ learnerId, finish }: KioskScreenProps & { learnerId: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const learner = useLearner(learnerId);
  const profile = useProfile(learnerId);
  const [editing, setEditing] = useState<'details' | 'profile' | null>(null);
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['learner', learnerId] }), queryClient.invalidateQueries({ queryKey: ['profile', learnerId] })]);

  if (learner.isPending || profile.isPending) return <p className="page">Loading…</p>;
  if (learner.isError) return <p className="page error" role="alert">{learner.error.message}</p>;
  const me = learner.data;
  const hasProfile = Boolean(profile.data);
  const profileForm = editing === 'profile' || !hasProfile;

  return (
    <section className="page" aria-labelledby="me-title">
      <header className="page-header">
        <h1 id="me-title">Hello, {me.preferred_name || me.first_name}</h1>
        <button type="button" className="primary" onClick={() => void finish()}>
          Done
        </button>
      </header>

      <section className="card" aria-labelledby="my-profile-title">
        <h2 id="my-profile-title">{hasProfile ? 'My profile' : 'Tell us about your goals'}</h2>
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
              toast('Saved. Press Done when you have finished.');
            }}
          />
        ) : (
          <>
            <p className="lead">Your profile is saved.</p>
            <button type="button" onClick={() => setEditing('profile')}>
              Change my profile
            </button>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="my-details-title">
        <header className="card-header">
          <h2 id="my-details-title">My details</h2>
          {editing !== 'details' && (
            <button type="button" onClick={() => setEditing('details')}>
              Change my details
            </button>
          )}
        </header>
        {editing === 'details' ? (
          <LearnerForm
            mode="edit"
            learner={me}
            submitLabel="Save my details"
            onCancel={() => setEditing(null)}
            onSubmit={async (body) => {
              await data(api.learner.update(learnerId, body));
              await refresh();
              setEditing(null);
              toast('Your details are saved');
            }}
          />
        ) : (
          <LearnerDetails learner={me} />
        )}
      </section>
    </section>
  );
}
