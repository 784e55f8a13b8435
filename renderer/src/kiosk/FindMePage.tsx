// "Update my profile": the learner proves who they are with their email and date of birth, or with a code a
// counselor gave them. The answer to a miss is the same whatever was wrong, so nobody learns who is registered.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { KioskIdentity } from '../../../shared/desktop';
import { api } from '../api';
import { Field } from '../components/Field';
import { apiMessage } from '../i18n/api-messages';
import { useT } from '../i18n/LanguageProvider';

export function FindMePage() {
  const translator = useT();
  const { t } = translator;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [way, setWay] = useState<'details' | 'code'>('details');
  const [email, setEmail] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const identity: KioskIdentity = way === 'code' ? { code } : { email_address: email, birth_date: birthDate };
    if (way === 'details' && (!email.trim() || !birthDate)) return setMessage(t('find.needDetails'));
    if (way === 'code' && !code.trim()) return setMessage(t('find.needCode'));
    setBusy(true);
    const result = await api.kiosk.identify(identity);
    setBusy(false);
    if (result.body.success) {
      await queryClient.invalidateQueries({ queryKey: ['session'] });
      navigate('/me', { replace: true });
    } else {
      setMessage(result.status === 422 ? t('find.checkTyping') : apiMessage(translator, result.body.message));
    }
  };

  return (
    <section className="page kiosk-narrow" aria-labelledby="find-title">
      <h1 id="find-title">{t('find.title')}</h1>
      <div className="segmented kiosk-ways" role="radiogroup" aria-label={t('find.how')}>
        <label className={way === 'details' ? 'selected' : ''}>
          <input type="radio" name="way" checked={way === 'details'} onChange={() => setWay('details')} /> {t('find.byDetails')}
        </label>
        <label className={way === 'code' ? 'selected' : ''}>
          <input type="radio" name="way" checked={way === 'code'} onChange={() => setWay('code')} /> {t('find.byCode')}
        </label>
      </div>
      <form className="form" onSubmit={submit} noValidate aria-label={t('find.title')}>
        {way === 'details' ? (
          <>
            <Field label={t('find.email')}>{(a11y) => <input {...a11y} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
            <Field label={t('find.birthDate')} hint={birthDate ? t('field.dayInWords', { day: translator.longDay(birthDate) }) : undefined}>{(a11y) => <input {...a11y} type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} />}</Field>
          </>
        ) : (
          <Field label={t('find.code')} hint={t('find.codeHint')}>
            {(a11y) => <input {...a11y} autoComplete="off" autoCapitalize="characters" value={code} onChange={(e) => setCode(e.target.value)} />}
          </Field>
        )}
        {message && (
          <p className="error form-error" role="alert">
            {message}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={() => navigate('/')}>
            {t('common.back')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t(busy ? 'find.looking' : 'find.open')}
          </button>
        </div>
      </form>
    </section>
  );
}
