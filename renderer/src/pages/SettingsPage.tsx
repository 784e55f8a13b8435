// Server URL and device token (stored by the main process, the token sealed by the OS keychain), sync now, the data
// folder, backup, and the app's version.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import type { Resolver } from 'react-hook-form';
import { z } from 'zod';
import { settingsUpdate } from '../../../shared/desktop';
import { api } from '../api';
import { Field } from '../components/Field';
import { useToast } from '../components/Toast';
import { formatWhen } from '../lib/format';
import { useSettings, useSyncStatus } from '../lib/queries';
import { ApiError, data } from '../lib/result';

interface Values {
  serverUrl: string;
  token: string;
  deviceName: string;
}

const schema = z.preprocess((v) => {
  const values = v as Values;
  return { serverUrl: values.serverUrl.trim(), deviceName: values.deviceName, ...(values.token ? { token: values.token } : {}) };
}, settingsUpdate);

function ConnectionForm({ initial }: { initial: Values }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const form = useForm<Values>({ defaultValues: initial, resolver: zodResolver(schema as never) as unknown as Resolver<Values> });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    try {
      await data(api.settings.update(values));
      form.reset({ ...values, token: '' });
      await queryClient.invalidateQueries({ queryKey: ['settings'] });
      await queryClient.invalidateQueries({ queryKey: ['sync'] });
      toast('Settings saved');
    } catch (error) {
      form.setError('root', { message: error instanceof ApiError ? error.message : String(error) });
    }
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Sync settings">
      {errors.root && <p className="error" role="alert">{errors.root.message}</p>}
      <Field label="Server URL" error={errors.serverUrl?.message} hint="For example https://learners.example.org">
        {(a11y) => <input {...a11y} type="url" placeholder="https://" {...form.register('serverUrl')} />}
      </Field>
      <Field label="Device token" error={errors.token?.message} hint="Leave empty to keep the current token. It is stored encrypted by the system keychain.">
        {(a11y) => <input {...a11y} type="password" autoComplete="off" {...form.register('token')} />}
      </Field>
      <Field label="Device name" error={errors.deviceName?.message}>
        {(a11y) => <input {...a11y} {...form.register('deviceName')} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={isSubmitting}>Save</button>
      </div>
    </form>
  );
}

/** The staff PIN of kiosk mode: set here before a device becomes a kiosk, or changed by staff on an unlocked kiosk. */
function StaffPinForm() {
  const toast = useToast();
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api.kiosk.setPin({ pin });
    if (result.body.success) {
      setPin('');
      setMessage(null);
      toast('The staff PIN is saved');
    } else {
      setMessage(result.status === 422 ? 'Use at least 6 digits, digits only.' : result.body.message);
    }
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Staff PIN">
      <Field label="New staff PIN" error={message ?? undefined} hint="At least 6 digits. Staff enter it to unlock a kiosk.">
        {(a11y) => <input {...a11y} type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={pin.length === 0}>Save the PIN</button>
      </div>
    </form>
  );
}

export function SettingsPage() {
  const settings = useSettings();
  const { data: status } = useSyncStatus();
  const info = useQuery({ queryKey: ['info'], queryFn: () => data<{ version: string; dataDir: string; databaseFile: string; movedAside: string | null }>(api.app.info()) });
  const toast = useToast();
  const queryClient = useQueryClient();
  const syncNow = useMutation({ mutationFn: () => data(api.sync.now()), onSettled: () => queryClient.invalidateQueries({ queryKey: ['sync'] }) });
  const allowDeletes = useMutation({ mutationFn: () => data(api.sync.allowDeletes()), onSettled: () => queryClient.invalidateQueries({ queryKey: ['sync'] }) });
  const backup = useMutation({ mutationFn: () => data<{ path: string }>(api.app.backup()), onSuccess: (result) => toast(`Backup written to ${result.path}`) });

  return (
    <section className="page" aria-labelledby="settings-title">
      <header className="page-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <section className="card" aria-labelledby="sync-title">
        <h2 id="sync-title">Sync</h2>
        {settings.data && (
          <ConnectionForm initial={{ serverUrl: settings.data.serverUrl ?? '', token: '', deviceName: settings.data.deviceName }} />
        )}
        <p>
          {settings.data?.hasToken ? 'A device token is saved.' : 'No device token saved yet.'}{' '}
          {status?.lastSyncedAt ? `Last synced ${formatWhen(status.lastSyncedAt)}.` : 'Not synced yet.'}
        </p>
        <button type="button" onClick={() => syncNow.mutate()} disabled={syncNow.isPending || status?.state === 'disabled'}>
          {syncNow.isPending ? 'Syncing…' : 'Sync now'}
        </button>
        {syncNow.isError && <p className="error" role="alert">{syncNow.error.message}</p>}
        {status && status.heldDeletes > 0 && (
          <div className="form-error" role="alert">
            <p>{status.error}</p>
            <button type="button" className="danger" onClick={() => allowDeletes.mutate()} disabled={allowDeletes.isPending}>
              Allow these {status.heldDeletes} deletions
            </button>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="data-title">
        <h2 id="data-title">Data</h2>
        <dl className="details">
          <div><dt>Data folder</dt><dd><code>{info.data?.dataDir}</code></dd></div>
          <div><dt>Database</dt><dd><code>{info.data?.databaseFile}</code></dd></div>
        </dl>
        {info.data?.movedAside && (
          <p className="error" role="alert">
            The database could not be read when the app started. It was kept at <code>{info.data.movedAside}</code> and a new one was started.
          </p>
        )}
        <button type="button" onClick={() => backup.mutate()} disabled={backup.isPending}>
          {backup.isPending ? 'Writing backup…' : 'Back up now'}
        </button>
        {backup.isError && <p className="error" role="alert">{backup.error.message}</p>}
      </section>
      <section className="card" aria-labelledby="kiosk-title">
        <h2 id="kiosk-title">Kiosk mode</h2>
        <p className="hint">
          {settings.data?.kiosk
            ? 'This device is a kiosk. Learners register and update their own profile here; staff unlock it with the PIN.'
            : 'Start the app with --kiosk (or KIOSK=1) to make this device a kiosk for learners.'}
        </p>
        <StaffPinForm />
      </section>
      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title">About</h2>
        <p>Learner Profiles, version {info.data?.version ?? '…'}</p>
      </section>
    </section>
  );
}
