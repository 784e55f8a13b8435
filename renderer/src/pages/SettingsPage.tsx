// The screens' language, server URL and device token (stored by the main process, the token sealed), sync now, the
// app lock, the data folder, backups and restoring one, and the app's version.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import type { Resolver } from 'react-hook-form';
import { z } from 'zod';
import { LANGUAGES, settingsUpdate, type BackupEntry, type Language } from '../../../shared/desktop';
import { api } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { useToast } from '../components/Toast';
import { apiMessage } from '../i18n/api-messages';
import { useT } from '../i18n/LanguageProvider';
import { LANGUAGE_NAMES } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import { syncMessage } from '../i18n/sync-messages';
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

/** The device's language, saved as soon as it is picked; every screen, the lock screen too, follows it. */
function LanguageCard() {
  const { t, language } = useT();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (chosen: Language) => data(api.settings.update({ language: chosen })),
    // The lock state carries the language to every screen: asking for it again switches them.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['settings'] }), queryClient.invalidateQueries({ queryKey: ['lock'] })]),
  });
  return (
    <section className="card" aria-labelledby="language-title">
      <h2 id="language-title">{t('settings.language')}</h2>
      <fieldset className="segmented language-picker" disabled={save.isPending}>
        <legend className="visually-hidden">{t('settings.language')}</legend>
        {LANGUAGES.map((option) => (
          <label key={option} lang={option} className={language === option ? 'selected' : ''}>
            <input type="radio" name="language" value={option} checked={language === option} onChange={() => save.mutate(option)} />
            {LANGUAGE_NAMES[option]}
          </label>
        ))}
      </fieldset>
      <p className="hint">{t('settings.languageHint')}</p>
      {save.isError && <p className="error" role="alert">{save.error.message}</p>}
    </section>
  );
}

function ConnectionForm({ initial }: { initial: Values }) {
  const { t } = useT();
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
      toast(t('settings.saved'));
    } catch (error) {
      form.setError('root', { message: error instanceof ApiError ? error.message : String(error) });
    }
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('settings.syncSettings')}>
      {errors.root && <p className="error" role="alert">{errors.root.message}</p>}
      <Field label={t('settings.serverUrl')} error={errors.serverUrl?.message} hint={t('settings.serverUrlHint')}>
        {(a11y) => <input {...a11y} type="url" placeholder="https://" {...form.register('serverUrl')} />}
      </Field>
      <Field label={t('settings.token')} error={errors.token?.message} hint={t('settings.tokenHint')}>
        {(a11y) => <input {...a11y} type="password" autoComplete="off" {...form.register('token')} />}
      </Field>
      <Field label={t('settings.deviceName')} error={errors.deviceName?.message}>
        {(a11y) => <input {...a11y} {...form.register('deviceName')} />}
      </Field>
      <div className="actions">
        <button type="submit" className="primary" disabled={isSubmitting}>{t('common.save')}</button>
      </div>
    </form>
  );
}

/** The staff PIN of kiosk mode: set here before a device becomes a kiosk, or changed by staff on an unlocked kiosk. */
function StaffPinForm() {
  const translator = useT();
  const { t } = translator;
  const toast = useToast();
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api.kiosk.setPin({ pin });
    if (result.body.success) {
      setPin('');
      setMessage(null);
      toast(t('settings.pinSaved'));
    } else {
      setMessage(result.status === 422 ? t('api.pinRule') : apiMessage(translator, result.body.message));
    }
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('settings.staffPin')}>
      <Field label={t('settings.newPin')} error={message ?? undefined} hint={t('settings.newPinHint')}>
        {(a11y) => <input {...a11y} type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={pin.length === 0}>{t('settings.savePin')}</button>
      </div>
    </form>
  );
}

/** A whole number setting saved on its own (minutes, a count). */
function NumberSetting({ label, hint, value, min, max, save }: { label: string; hint: string; value: number; min: number; max: number; save(value: number): Promise<unknown> }) {
  const { t } = useT();
  const toast = useToast();
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const number = Number(text);
    // Number('') is 0, which would quietly turn a setting off.
    if (text.trim() === '' || !Number.isInteger(number) || number < min || number > max) return setError(t('settings.wholeNumber', { min, max }));
    try {
      await save(number);
      setError(null);
      toast(t('settings.saved'));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={label}>
      <Field label={label} hint={hint} error={error ?? undefined}>
        {(a11y) => <input {...a11y} type="number" inputMode="numeric" min={min} max={max} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <button type="submit">{t('common.save')}</button>
    </form>
  );
}

/** How the data is protected, what "Lock now" needs, and the idle lock. */
function SecurityCard() {
  const { t } = useT();
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
      <h2 id="security-title">{t('settings.security')}</h2>
      <p>{t('settings.encrypted', { protectedBy: lock.protectedBy === 'passphrase' ? 'passphrase' : 'keychain' })}</p>
      <p className="hint">
        {lock.canLock
          ? t('settings.lockNowHint', {
              with: lock.unlockWith.includes('pin') && lock.unlockWith.includes('passphrase') ? 'both' : lock.unlockWith.includes('pin') ? 'pin' : 'passphrase',
            })
          : t('settings.setPinToLock')}
      </p>
      <NumberSetting
        label={t('settings.lockAfter')}
        hint={t(lock.canLock ? 'settings.lockAfterHint' : 'settings.lockAfterHintNoPin')}
        value={settings.data.autoLockMinutes}
        min={0}
        max={240}
        save={saveMinutes}
      />
    </section>
  );
}

function describeBackup({ t }: Translator, backup: BackupEntry): string {
  if (backup.status === 'ok') return t('settings.backupCounts', { learners: backup.learners ?? 0, profiles: backup.profiles ?? 0 });
  if (backup.status === 'sealed') return t('settings.backupSealed');
  if (backup.status === 'other-key') return t('settings.backupOtherKey');
  return t('settings.backupDamaged');
}

/** The backups on this device, newest first, and putting one back. */
function BackupsList() {
  const translator = useT();
  const { t } = translator;
  const queryClient = useQueryClient();
  const toast = useToast();
  const backups = useBackups();
  const [chosen, setChosen] = useState<BackupEntry | null>(null);
  const restore = useMutation({
    mutationFn: (backup: BackupEntry) => data<{ learners: number | null }>(api.app.restoreBackup({ name: backup.name })),
    onSuccess: async () => {
      // Everything the screens held came from the database that was replaced.
      await queryClient.invalidateQueries();
      toast(t('settings.restored'));
    },
    // A refused backup may have changed on disk since it was listed (damaged since): list what is there now.
    onError: () => queryClient.invalidateQueries({ queryKey: ['backups'] }),
  });
  if (!backups.data) return null;
  if (backups.data.length === 0) return <p className="hint">{t('settings.noBackups')}</p>;
  return (
    <>
      <h3>{t('settings.backups')}</h3>
      <ul className="backups" aria-label={t('settings.backups')}>
        {backups.data.map((backup) => (
          <li key={backup.name}>
            <span>
              {translator.when(backup.createdAt)}
              <span className="hint">{describeBackup(translator, backup)}</span>
            </span>
            <button type="button" onClick={() => setChosen(backup)} disabled={restore.isPending || (backup.status !== 'ok' && backup.status !== 'sealed')}>
              {t('settings.restoreButton')}
            </button>
          </li>
        ))}
      </ul>
      {restore.isError && <p className="error" role="alert">{restore.error.message}</p>}
      <ConfirmDialog
        open={chosen !== null}
        title={t('settings.restoreTitle')}
        confirmLabel={t('settings.restore')}
        danger
        onCancel={() => setChosen(null)}
        onConfirm={() => {
          if (chosen) restore.mutate(chosen);
          setChosen(null);
        }}
      >
        {chosen && (
          <p>{t('settings.restoreText', { when: translator.when(chosen.createdAt), contents: describeBackup(translator, chosen) })}</p>
        )}
      </ConfirmDialog>
    </>
  );
}

export function SettingsPage() {
  const translator = useT();
  const { t } = translator;
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
      toast(t('settings.backupWritten', { path: result.path }));
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
        <h1 id="settings-title">{t('layout.settings')}</h1>
      </header>
      <LanguageCard />
      <section className="card" aria-labelledby="sync-title">
        <h2 id="sync-title">{t('settings.sync')}</h2>
        {settings.data && (
          <ConnectionForm initial={{ serverUrl: settings.data.serverUrl ?? '', token: '', deviceName: settings.data.deviceName }} />
        )}
        {settings.data?.identity && (
          <dl className="details" aria-label={t('settings.identity')}>
            <div><dt>{t('settings.knownAs')}</dt><dd>{settings.data.identity.name}</dd></div>
            <div>
              <dt>{t('settings.centers')}</dt>
              <dd>
                {settings.data.identity.admin
                  ? t('settings.everyCenter', { centers: settings.data.identity.centers.map((c) => c.name).join(', ') })
                  : settings.data.identity.centers.map((c) => c.name).join(', ')}
              </dd>
            </div>
          </dl>
        )}
        <p>
          {t(settings.data?.hasToken ? 'settings.tokenSaved' : 'settings.noToken')}{' '}
          {status?.lastSyncedAt ? t('settings.lastSynced', { when: translator.when(status.lastSyncedAt) }) : t('settings.notSynced')}
        </p>
        <button type="button" onClick={() => syncNow.mutate()} disabled={syncNow.isPending || status?.state === 'disabled'}>
          {t(syncNow.isPending ? 'syncIndicator.syncing' : 'settings.syncNow')}
        </button>
        {syncNow.isError && <p className="error" role="alert">{syncNow.error.message}</p>}
        {status && status.heldDeletes > 0 && (
          <div className="form-error" role="alert">
            <p>{status.error && syncMessage(translator, status.error)}</p>
            <button type="button" className="danger" onClick={() => allowDeletes.mutate()} disabled={allowDeletes.isPending}>
              {t('settings.allowDeletes', { count: status.heldDeletes })}
            </button>
          </div>
        )}
      </section>
      <SecurityCard />
      <section className="card" aria-labelledby="data-title">
        <h2 id="data-title">{t('settings.data')}</h2>
        <dl className="details">
          <div><dt>{t('settings.dataFolder')}</dt><dd><code>{info.data?.dataDir}</code></dd></div>
          <div><dt>{t('settings.database')}</dt><dd><code>{info.data?.databaseFile}</code></dd></div>
        </dl>
        {info.data?.movedAside && (
          <p className="error" role="alert">
            {translator.rich('settings.movedAside', { path: <code>{info.data.movedAside}</code> })}
          </p>
        )}
        <p className="hint">{t('settings.backupKeyHint')}</p>
        <button type="button" onClick={() => backup.mutate()} disabled={backup.isPending}>
          {t(backup.isPending ? 'settings.writingBackup' : 'settings.backUpNow')}
        </button>
        {backup.isError && <p className="error" role="alert">{backup.error.message}</p>}
        {settings.data && (
          <NumberSetting label={t('settings.backupsToKeep')} hint={t('settings.backupsToKeepHint')} value={settings.data.backupsToKeep} min={1} max={100} save={saveKeep} />
        )}
        <BackupsList />
      </section>
      <section className="card" aria-labelledby="kiosk-title">
        <h2 id="kiosk-title">{t('settings.kioskMode')}</h2>
        <p className="hint">{t(settings.data?.kiosk ? 'settings.isKiosk' : 'settings.makeKiosk')}</p>
        <StaffPinForm />
      </section>
      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title">{t('settings.about')}</h2>
        <p>{t('settings.version', { name: t('app.name'), version: info.data?.version ?? '…' })}</p>
      </section>
    </section>
  );
}
