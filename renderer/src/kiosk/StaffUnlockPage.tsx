// Staff sign-in at a kiosk: the PIN on a screen of its own, then the counselor screens until Lock or idle.
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api';
import { Field } from '../components/Field';
import { apiMessage } from '../i18n/api-messages';
import { useT } from '../i18n/LanguageProvider';
import { forgetAllButSession } from '../lib/queries';

export function StaffUnlockPage() {
  const translator = useT();
  const { t } = translator;
  const navigate = useNavigate();
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.kiosk.unlock(pin);
    setBusy(false);
    setPin('');
    if (result.body.success) {
      // The counselor screens open at their start, not at this screen's address.
      window.history.replaceState(null, '', '#/');
      await forgetAllButSession();
    } else {
      setMessage(apiMessage(translator, result.body.message));
    }
  };

  return (
    <section className="page kiosk-narrow" aria-labelledby="staff-title">
      <h1 id="staff-title">{t('staff.title')}</h1>
      <form className="form" onSubmit={submit} noValidate aria-label={t('staff.title')}>
        <Field label={t('settings.staffPin')}>
          {(a11y) => <input {...a11y} className="pin-input" type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus />}
        </Field>
        {message && (
          <p className="error form-error" role="alert">
            {message}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={() => navigate('/')}>
            {t('common.back')}
          </button>
          <button type="submit" className="primary" disabled={busy || pin.length === 0}>
            {t('staff.unlock')}
          </button>
        </div>
      </form>
    </section>
  );
}
