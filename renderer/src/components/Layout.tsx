// The frame of every counselor screen: navigation and sync state always visible; "Lock now" where something can
// unlock the app again; on a kiosk unlocked by staff, Lock and the way out of kiosk mode.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { api } from '../api';
import { useT } from '../i18n/LanguageProvider';
import { forgetAllButSession, queryClient, useAppSession, useLockState } from '../lib/queries';
import { data } from '../lib/result';
import { ConfirmDialog } from './ConfirmDialog';
import { SyncIndicator } from './SyncIndicator';
import { useToast } from './Toast';

/** Hidden until something could unlock the app again: Settings says how to get there. */
function LockNowButton() {
  const { t } = useT();
  const toast = useToast();
  const { data: lock } = useLockState();
  const lockNow = useMutation({
    mutationFn: () => data(api.app.lock()),
    onError: (error) => toast(error.message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['lock'] }),
  });
  if (!lock?.canLock) return null;
  return (
    <div className="topbar-end">
      <button type="button" onClick={() => lockNow.mutate()} disabled={lockNow.isPending}>
        {t('layout.lockNow')}
      </button>
    </div>
  );
}

function StaffControls() {
  const { t } = useT();
  const [confirmExit, setConfirmExit] = useState(false);
  return (
    <div className="topbar-end">
      <button type="button" onClick={() => void api.kiosk.lock().then(forgetAllButSession)}>
        {t('layout.lock')}
      </button>
      <button type="button" className="danger" onClick={() => setConfirmExit(true)}>
        {t('layout.exitKiosk')}
      </button>
      <ConfirmDialog
        open={confirmExit}
        title={t('layout.exitKioskTitle')}
        confirmLabel={t('layout.exitKiosk')}
        danger
        onCancel={() => setConfirmExit(false)}
        onConfirm={() => {
          setConfirmExit(false);
          void api.kiosk.exit();
        }}
      >
        <p>{t('layout.exitKioskText')}</p>
      </ConfirmDialog>
    </div>
  );
}

export function Layout() {
  const { t } = useT();
  const { data: session } = useAppSession();
  const kiosk = session?.kiosk ?? false;
  return (
    <div className={`app${kiosk ? ' kiosk' : ''}`}>
      <a className="skip-link" href="#main">
        {t('layout.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('layout.mainNavigation')}>
          <NavLink to="/" end>
            {t('layout.dashboard')}
          </NavLink>
          <NavLink to="/learners" end>
            {t('layout.learners')}
          </NavLink>
          <NavLink to="/learners/new">{t('layout.register')}</NavLink>
          <NavLink to="/conflicts">{t('layout.conflicts')}</NavLink>
          <NavLink to="/settings">{t('layout.settings')}</NavLink>
        </nav>
        <SyncIndicator />
        {kiosk ? <StaffControls /> : <LockNowButton />}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
