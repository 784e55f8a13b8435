// Server URL and device token (stored by the main process, the token sealed), sync now, the app lock, the data
// folder, backups and restoring one, and the app's version.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import type { Resolver } from 'react-hook-form';
import { z } from 'zod';
import { settingsUpdate } from '../../../shared/desktop';
import type { BackupEntry } from '../../../shared/desktop';
import { api } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { useToast } from '../components/Toast';
import { formatWhen } from '../lib/format';
import { useBackups, useLockState, useSettings, useSyncStatus } from '../lib/queries';
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
      <Field label="Server URL" error={errors.serverUrl?.message} hint="For example https://learners.example.org (http:// only for a server on this computer). A new address needs its token again.">
        {(a11y) => <input {...a11y} type="url" placeholder="https://" {...form.register('serverUrl')} />}
      </Field>
      <Field label="Device token" error={errors.token?.message} hint="Leave empty to keep the current token. It is stored encrypted.">
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
      <Field label="New staff PIN" error={message ?? undefined} hint="At least 6 digits. It unlocks a kiosk for staff, and this app when it is locked.">
        {(a11y) => <input {...a11y} type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={pin.length === 0}>Save the PIN</button>
      </div>
    </form>
  );
}

/** A whole number setting saved on its own (minutes, a count). */
function NumberSetting({ label, hint, value, min, max, save }: { label: string; hint: string; value: number; min: number; max: number; save(value: number): Promise<unknown> }) {
  const toast = useToast();
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const number = Number(text);
    // Number('') is 0, which would quietly turn a setting off.
    if (text.trim() === '' || !Number.isInteger(number) || number < min || number > max) return setError(`Enter a whole number from ${min} to ${max}.`);
    try {
      await save(number);
      setError(null);
      toast('Settings saved');
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={label}>
      <Field label={label} hint={hint} error={error ?? undefined}>
        {(a11y) => <input {...a11y} type="number" inputMode="numeric" min={min} max={max} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <button type="submit">Save</button>
    </form>
  );
}

/** How the data is protected, what "Lock now" needs, and the idle lock. */
function SecurityCard() {
  const queryClient = useQueryClient();
  const settings = useSettings();
  const { data: lock } = useLockState();
  const saveMinutes = async (autoLockMinutes: number) => {
    await data(api.settings.update({ autoLockMinutes }));
    await queryClient.invalidateQueries({ queryKey: ['settings'] });
    await queryClient.invalidateQueries({ queryKey: ['lock'] });
  };
  if (!lock || !settings.data || settings.data.kiosk) return null;
  return (
    <section className="card" aria-labelledby="security-title">
      <h2 id="security-title">Security</h2>
      <p>
        The data on this device is encrypted.{' '}
        {lock.protectedBy === 'passphrase'
          ? 'Its key is made from the passphrase entered when the app starts (this device has no system keychain to keep it).'
          : 'Its key is kept by the system keychain.'}
      </p>
      <p className="hint">
        {lock.canLock
          ? `“Lock now” at the top of every screen hides them all until ${lock.unlockWith.map((way) => (way === 'pin' ? 'the staff PIN' : 'the passphrase')).join(' or ')} is entered.`
          : 'Set a staff PIN below to lock the app: the PIN unlocks it again.'}
      </p>
      <NumberSetting
        label="Lock after (minutes without use)"
        hint={lock.canLock ? '0 turns the automatic lock off.' : 'Applies once a staff PIN is set. 0 turns the automatic lock off.'}
        value={settings.data.autoLockMinutes}
        min={0}
        max={240}
        save={saveMinutes}
      />
    </section>
  );
}

function describeBackup(backup: BackupEntry): string {
  if (backup.status === 'ok') return `${backup.learners} learners, ${backup.profiles} profiles`;
  if (backup.status === 'sealed') return 'Made before encryption: its contents show once restored';
  if (backup.status === 'other-key') return 'Made with another device’s key: it cannot be restored here';
  return 'Damaged: it cannot be restored';
}

/** The backups on this device, newest first, and putting one back. */
function BackupsList() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const backups = useBackups();
  const [chosen, setChosen] = useState<BackupEntry | null>(null);
  const restore = useMutation({
    mutationFn: (backup: BackupEntry) => data<{ learners: number | null }>(api.app.restoreBackup({ name: backup.name })),
    onSuccess: async () => {
      // Everything the screens held came from the database that was replaced.
      await queryClient.invalidateQueries();
      toast('The backup is restored');
    },
    // A refused backup may have changed on disk since it was listed (damaged since): list what is there now.
    onError: () => queryClient.invalidateQueries({ queryKey: ['backups'] }),
  });
  if (!backups.data) return null;
  if (backups.data.length === 0) return <p className="hint">No backups yet.</p>;
  return (
    <>
      <h3>Backups</h3>
      <ul className="backups" aria-label="Backups">
        {backups.data.map((backup) => (
          <li key={backup.name}>
            <span>
              {formatWhen(backup.createdAt)}
              <span className="hint">{describeBackup(backup)}</span>
            </span>
            <button type="button" onClick={() => setChosen(backup)} disabled={restore.isPending || (backup.status !== 'ok' && backup.status !== 'sealed')}>
              Restore…
            </button>
          </li>
        ))}
      </ul>
      {restore.isError && <p className="error" role="alert">{restore.error.message}</p>}
      <ConfirmDialog
        open={chosen !== null}
        title="Restore this backup?"
        confirmLabel="Restore"
        danger
        onCancel={() => setChosen(null)}
        onConfirm={() => {
          if (chosen) restore.mutate(chosen);
          setChosen(null);
        }}
      >
        {chosen && (
          <p>
            The backup of {formatWhen(chosen.createdAt)} ({describeBackup(chosen)}) replaces what is on this device now; what is here now is backed up
            first. Afterwards this device syncs again from the start: what the server holds comes back, and changes made here since the backup that
            never reached the server stay only in the backup made now.
          </p>
        )}
      </ConfirmDialog>
    </>
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
  const backup = useMutation({
    mutationFn: () => data<{ path: string }>(api.app.backup()),
    onSuccess: (result) => {
      toast(`Backup written to ${result.path}`);
      void queryClient.invalidateQueries({ queryKey: ['backups'] });
    },
  });
  const saveKeep = async (backupsToKeep: number) => {
    await data(api.settings.update({ backupsToKeep }));
    await queryClient.invalidateQueries({ queryKey: ['settings'] });
  };

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
        {settings.data?.identity && (
          <dl className="details" aria-label="This device on the server">
            <div><dt>Known to the server as</dt><dd>{settings.data.identity.name}</dd></div>
            <div>
              <dt>Centers</dt>
              <dd>{settings.data.identity.admin ? `Every center (administrator): ${settings.data.identity.centers.map((c) => c.name).join(', ')}` : settings.data.identity.centers.map((c) => c.name).join(', ')}</dd>
            </div>
          </dl>
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
      <SecurityCard />
      <section className="card" aria-labelledby="data-title">
        <h2 id="data-title">Data</h2>
        <dl className="details">
          <div><dt>Data folder</dt><dd><code>{info.data?.dataDir}</code></dd></div>
          <div><dt>Database</dt><dd><code>{info.data?.databaseFile}</code></dd></div>
        </dl>
        {info.data?.movedAside && (
          <p className="error" role="alert">
            The database could not be read when the app started. It was kept, encrypted, at <code>{info.data.movedAside}</code> and a new one was
            started. Restore a backup below to get the data back.
          </p>
        )}
        <p className="hint">The database and its backups are encrypted with this device’s key: a backup opens only on this device.</p>
        <button type="button" onClick={() => backup.mutate()} disabled={backup.isPending}>
          {backup.isPending ? 'Writing backup…' : 'Back up now'}
        </button>
        {backup.isError && <p className="error" role="alert">{backup.error.message}</p>}
        {settings.data && (
          <NumberSetting label="Backups to keep" hint="The newest are kept; older ones are deleted when the next backup is written." value={settings.data.backupsToKeep} min={1} max={100} save={saveKeep} />
        )}
        <BackupsList />
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
