import { useNavigate } from 'react-router';
import type { Learner } from '../../../shared/schemas/learner';
import { api } from '../api';
import { useToast } from '../components/Toast';
import { useT } from '../i18n/LanguageProvider';
import { useSettings } from '../lib/queries';
import { data } from '../lib/result';
import { LearnerForm } from './LearnerForm';

export function RegisterPage() {
  const { t } = useT();
  const navigate = useNavigate();
  const toast = useToast();
  const settings = useSettings();
  return (
    <section className="page" aria-labelledby="register-title">
      <header className="page-header">
        <h1 id="register-title">{t('learnerForm.registerLabel')}</h1>
      </header>
      <LearnerForm
        mode="create"
        submitLabel={t('register.submit')}
        centers={settings.data?.identity?.centers ?? []}
        onCancel={() => navigate('/learners')}
        onSubmit={async (body) => {
          const learner = await data<Learner>(api.learner.create(body));
          toast(t('register.done', { name: `${learner.first_name} ${learner.last_name}` }));
          navigate(`/learners/${learner.uuid}`, { replace: true });
        }}
      />
    </section>
  );
}
