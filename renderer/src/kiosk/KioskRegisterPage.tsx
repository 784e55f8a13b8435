// Self-registration at a kiosk: the learner's own details, then straight on to their profile in the same session.
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api';
import { useT } from '../i18n/LanguageProvider';
import { data } from '../lib/result';
import { LearnerForm } from '../pages/LearnerForm';

export function KioskRegisterPage() {
  const { t } = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <section className="page" aria-labelledby="kiosk-register-title">
      <h1 id="kiosk-register-title">{t('kiosk.register')}</h1>
      <p className="lead">{t('kiosk.registerLead')}</p>
      <LearnerForm
        mode="create"
        submitLabel={t('register.submit')}
        requireBirthDate
        onCancel={() => navigate('/')}
        onSubmit={async (body) => {
          await data(api.learner.create(body));
          // The main process now ties this session to the new learner: their page follows.
          await queryClient.invalidateQueries({ queryKey: ['session'] });
          navigate('/me', { replace: true });
        }}
      />
    </section>
  );
}
