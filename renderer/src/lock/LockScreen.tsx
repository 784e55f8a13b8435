// The only screen while the data is closed or the app is locked: choose a passphrase (first start on a device
// without a strong keychain), enter it to open the data, or unlock with it or a staff PIN. Nothing else is drawn, and
// the main process refuses every other operation meanwhile.
import { useState, type FormEvent } from 'react';
import type { LockState } from '../../../shared/desktop';
import type { ErrorDetail, Result } from '../../../shared/result';
import { api } from '../api';
import { Field } from '../components/Field';
import { apiMessage, knownApiMessage } from '../i18n/api-messages';
import { useT } from '../i18n/LanguageProvider';
import { queryClient } from '../lib/queries';

const refresh = () => queryClient.invalidateQueries({ queryKey: ['lock'] });

/** A form that sends one call and shows its refusal in plain words; fields' own errors go beside them. */
function useCall() {
  const translator = useT();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const run = async (call: () => Promise<Result>): Promise<boolean> => {
    setBusy(true);
    let result: Result;
    try {
      result = await call();
    } catch {
      setMessage(translator.t('lock.notAnswering'));
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
    setFields(Object.fromEntries(details.map((d) => [String(d.loc[1] ?? ''), knownApiMessage(translator, d.msg) ?? d.msg])));
    setMessage(details.length > 0 ? null : apiMessage(translator, result.body.message));
    return false;
  };
  return { busy, message, fields, run };
}

function NewPassphrase({ state }: { state: LockState }) {
  const { t } = useT();
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const { busy, message, fields, run } = useCall();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(() => api.app.createPassphrase({ passphrase, confirm }));
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('lock.choose')}>
      <h1 id="lock-title">{t('lock.choose')}</h1>
      <p>{t('lock.chooseText')}</p>
      <Field label={t('lock.newPassphrase')} error={fields.passphrase} hint={t('lock.newPassphraseHint', { count: state.minPassphraseLength })}>
        {(a11y) => <input {...a11y} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />}
      </Field>
      <Field label={t('lock.confirm')} error={fields.confirm}>
        {(a11y) => <input {...a11y} type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      {message && <p className="error form-error" role="alert">{message}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || passphrase.length === 0}>
          {t(busy ? 'lock.encrypting' : 'lock.setPassphrase')}
        </button>
      </div>
    </form>
  );
}

function PassphraseForm({ label, action }: { label: string; action: string }) {
  const { t } = useT();
  const [passphrase, setPassphrase] = useState('');
  const { busy, message, run } = useCall();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(() => api.app.unlock({ passphrase }));
    setPassphrase('');
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={label}>
      <Field label={t('lock.passphrase')} error={message ?? undefined}>
        {(a11y) => <input {...a11y} type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || passphrase.length === 0}>
          {busy ? t('lock.checking') : action}
        </button>
      </div>
    </form>
  );
}

function PinForm({ autoFocus }: { autoFocus: boolean }) {
  const { t } = useT();
  const [pin, setPin] = useState('');
  const { busy, message, run } = useCall();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(() => api.app.unlock({ pin }));
    setPin('');
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('lock.unlockWithPin')}>
      <Field label={t('settings.staffPin')} error={message ?? undefined}>
        {(a11y) => <input {...a11y} className="pin-input" type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus={autoFocus} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || pin.length === 0}>
          {t(busy ? 'lock.checking' : 'lock.unlockPin')}
        </button>
      </div>
    </form>
  );
}

export function LockScreen({ state }: { state: LockState }) {
  const translator = useT();
  const { t } = translator;
  let body;
  if (state.phase === 'new-passphrase') body = <NewPassphrase state={state} />;
  else if (state.phase === 'passphrase') {
    body = (
      <>
        <h1 id="lock-title">{t('lock.enter')}</h1>
        <p>{t('lock.enterText')}</p>
        <PassphraseForm label={t('lock.openData')} action={t('lock.open')} />
      </>
    );
  } else if (state.phase === 'starting' || state.phase === 'restoring') {
    body = (
      <>
        <h1 id="lock-title">{t(state.phase === 'starting' ? 'lock.opening' : 'lock.restoring')}</h1>
        <p role="status">{t('lock.moment')}</p>
      </>
    );
  } else if (state.phase === 'failed') {
    body = (
      <>
        <h1 id="lock-title">{t('lock.failed')}</h1>
        <p className="error form-error" role="alert">{state.message && apiMessage(translator, state.message)}</p>
      </>
    );
  } else {
    const passphrase = state.unlockWith.includes('passphrase');
    body = (
      <>
        <h1 id="lock-title">{t('lock.locked')}</h1>
        <p>{t('lock.lockedText', { with: passphrase && state.unlockWith.includes('pin') ? 'both' : passphrase ? 'passphrase' : 'pin' })}</p>
        {passphrase && <PassphraseForm label={t('lock.unlockWithPassphrase')} action={t('staff.unlock')} />}
        {state.unlockWith.includes('pin') && <PinForm autoFocus={!passphrase} />}
      </>
    );
  }
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
      </header>
      <main id="main" tabIndex={-1}>
        <section className="page lock-page" aria-labelledby="lock-title">
          {body}
        </section>
      </main>
    </div>
  );
}
