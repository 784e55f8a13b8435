// The only screen while the data is closed or the app is locked: choose a passphrase (first start on a device
// without a strong keychain), enter it to open the data, or unlock with it or a staff PIN. Nothing else is drawn, and
// the main process refuses every other operation meanwhile.
import { useState, type FormEvent } from 'react';
import type { LockState } from '../../../shared/desktop';
import type { ErrorDetail, Result } from '../../../shared/result';
import { api } from '../api';
import { Field } from '../components/Field';
import { queryClient } from '../lib/queries';

const refresh = () => queryClient.invalidateQueries({ queryKey: ['lock'] });

/** Refusals the main process words briefly, with what to do about them. */
const ADVICE: Record<string, string> = {
  'Wrong passphrase': 'Wrong passphrase. Check it and try again: capital letters, spaces and punctuation count.',
  'Wrong PIN': 'Wrong PIN. Check it and try again.',
};

/** A form that sends one call and shows its refusal in plain words; fields' own errors go beside them. */
function useCall() {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const run = async (call: () => Promise<Result>): Promise<boolean> => {
    setBusy(true);
    let result: Result;
    try {
      result = await call();
    } catch {
      setMessage('The app service is not answering. Try again in a moment.');
      return false;
    } finally {
      setBusy(false);
    }
    if (result.body.success) {
      setMessage(null);
      setFields({});
      await refresh();
      return true;
    }
    const details = result.status === 422 && Array.isArray(result.body.data) ? (result.body.data as ErrorDetail[]) : [];
    setFields(Object.fromEntries(details.map((d) => [String(d.loc[1] ?? ''), d.msg])));
    setMessage(details.length > 0 ? null : (ADVICE[result.body.message] ?? result.body.message));
    return false;
  };
  return { busy, message, fields, run };
}

function NewPassphrase({ state }: { state: LockState }) {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, message, fields, run } = useCall();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(() => api.app.createPassphrase({ passphrase, confirm }));
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Choose a passphrase">
      <h1 id="lock-title">Choose a passphrase</h1>
      <p>
        This device has no system keychain to protect its data, so the data is encrypted with a key made from a passphrase. You enter it each time the app
        starts. Without it the data cannot be read by anyone, you included: keep it somewhere safe.
      </p>
      <Field label="New passphrase" error={fields.passphrase} hint={`At least ${state.minPassphraseLength} characters. A few words you remember make a good one.`}>
        {(a11y) => <input {...a11y} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />}
      </Field>
      <Field label="The same passphrase again" error={fields.confirm}>
        {(a11y) => <input {...a11y} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      {message && <p className="error form-error" role="alert">{message}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || passphrase.length === 0}>
          {busy ? 'Encrypting…' : 'Set the passphrase'}
        </button>
      </div>
    </form>
  );
}

function PassphraseForm({ label, action }: { label: string; action: string }) {
  const [passphrase, setPassphrase] = useState('');
  const { busy, message, run } = useCall();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(() => api.app.unlock({ passphrase }));
    setPassphrase('');
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={label}>
      <Field label="Passphrase" error={message ?? undefined}>
        {(a11y) => <input {...a11y} type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || passphrase.length === 0}>
          {busy ? 'Checking…' : action}
        </button>
      </div>
    </form>
  );
}

function PinForm({ autoFocus }: { autoFocus: boolean }) {
  const [pin, setPin] = useState('');
  const { busy, message, run } = useCall();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(() => api.app.unlock({ pin }));
    setPin('');
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Unlock with the staff PIN">
      <Field label="Staff PIN" error={message ?? undefined}>
        {(a11y) => <input {...a11y} className="pin-input" type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus={autoFocus} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || pin.length === 0}>
          {busy ? 'Checking…' : 'Unlock with the PIN'}
        </button>
      </div>
    </form>
  );
}

export function LockScreen({ state }: { state: LockState }) {
  let body;
  if (state.phase === 'new-passphrase') body = <NewPassphrase state={state} />;
  else if (state.phase === 'passphrase') {
    body = (
      <>
        <h1 id="lock-title">Enter the passphrase</h1>
        <p>The data on this device is encrypted. The passphrase opens it.</p>
        <PassphraseForm label="Open the data" action="Open" />
      </>
    );
  } else if (state.phase === 'starting' || state.phase === 'restoring') {
    body = (
      <>
        <h1 id="lock-title">{state.phase === 'starting' ? 'Opening the data…' : 'Restoring a backup…'}</h1>
        <p role="status">This takes a moment.</p>
      </>
    );
  } else if (state.phase === 'failed') {
    body = (
      <>
        <h1 id="lock-title">The data could not be opened</h1>
        <p className="error form-error" role="alert">{state.message}</p>
      </>
    );
  } else {
    const passphrase = state.unlockWith.includes('passphrase');
    body = (
      <>
        <h1 id="lock-title">Locked</h1>
        <p>The app is locked. {passphrase && state.unlockWith.includes('pin') ? 'Unlock it with the passphrase or the staff PIN.' : passphrase ? 'Unlock it with the passphrase.' : 'Unlock it with the staff PIN.'}</p>
        {passphrase && <PassphraseForm label="Unlock with the passphrase" action="Unlock" />}
        {state.unlockWith.includes('pin') && <PinForm autoFocus={!passphrase} />}
      </>
    );
  }
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Learner Profiles</span>
      </header>
      <main id="main" tabIndex={-1}>
        <section className="page lock-page" aria-labelledby="lock-title">
          {body}
        </section>
      </main>
    </div>
  );
}
