// "Update my profile": the learner proves who they are with their email and date of birth, or with a code a
// counselor gave them. The answer to a miss is the same whatever was wrong, so nobody learns who is registered.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { KioskIdentity } from '../../../shared/desktop';
import { api } from '../api';
import { Field } from '../components/Field';

export function FindMePage() {
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
    if (way === 'details' && (!email.trim() || !birthDate)) return setMessage('Enter your email and your date of birth.');
    if (way === 'code' && !code.trim()) return setMessage('Enter the code you were given.');
    setBusy(true);
    const result = await api.kiosk.identify(identity);
    setBusy(false);
    if (result.body.success) {
      await queryClient.invalidateQueries({ queryKey: ['session'] });
      navigate('/me', { replace: true });
    } else {
      setMessage(result.status === 422 ? 'Check what you typed: the date of birth is a full date.' : result.body.message);
    }
  };

  return (
    <section className="page kiosk-narrow" aria-labelledby="find-title">
      <h1 id="find-title">Find my profile</h1>
      <div className="segmented kiosk-ways" role="radiogroup" aria-label="How to find your profile">
        <label className={way === 'details' ? 'selected' : ''}>
          <input type="radio" name="way" checked={way === 'details'} onChange={() => setWay('details')} /> Email and date of birth
        </label>
        <label className={way === 'code' ? 'selected' : ''}>
          <input type="radio" name="way" checked={way === 'code'} onChange={() => setWay('code')} /> I have a code
        </label>
      </div>
      <form className="form" onSubmit={submit} noValidate aria-label="Find my profile">
        {way === 'details' ? (
          <>
            <Field label="Your email">{(a11y) => <input {...a11y} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
            <Field label="Your date of birth">{(a11y) => <input {...a11y} type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} />}</Field>
          </>
        ) : (
          <Field label="Your code" hint="A staff member can give you one. It looks like ABCD-2345.">
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
            Back
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Looking…' : 'Open my profile'}
          </button>
        </div>
      </form>
    </section>
  );
}
