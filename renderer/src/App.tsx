import { QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import { createHashRouter, RouterProvider } from 'react-router';
import type { AppSession, LockState } from '../../shared/desktop';
import { api } from './api';
import { Layout } from './components/Layout';
import { ToastProvider } from './components/Toast';
import { DashboardPage } from './dashboard/DashboardPage';
import { LanguageProvider, useT } from './i18n/LanguageProvider';
import { systemLanguage } from './i18n/languages';
import { KioskApp } from './kiosk/KioskApp';
import { forgetAllButLock, forgetAllButSession, queryClient, useAppSession, useLockState } from './lib/queries';
import { LockScreen } from './lock/LockScreen';
import { useIdle } from './lib/useIdle';
import { ConflictsPage } from './pages/ConflictsPage';
import { LearnerPage } from './pages/LearnerPage';
import { LearnersPage } from './pages/LearnersPage';
import { RegisterPage } from './pages/RegisterPage';
import { SettingsPage } from './pages/SettingsPage';
import { ProfilePrintPage } from './reports/ProfilePrintPage';

function NotFound() {
  const { t } = useT();
  return <p className="page">{t('app.notFound')}</p>;
}

/** What shows while the main process has not answered yet, or why it cannot. */
function Waiting({ error }: { error: Error | null }) {
  const { t } = useT();
  return <p className="page">{error ? t('app.notAnswering', { message: error.message }) : t('app.loading')}</p>;
}

const routes = [
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'learners', element: <LearnersPage /> },
      { path: 'learners/new', element: <RegisterPage /> },
      { path: 'learners/:learnerId', element: <LearnerPage /> },
      { path: 'learners/:learnerId/print', element: <ProfilePrintPage /> },
      { path: 'conflicts', element: <ConflictsPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

/** The counselor screens: on a laptop, or on a kiosk unlocked by staff until it locks (on idle or on "Lock"). */
function CounselorScreens({ session }: { session: AppSession }) {
  const router = useMemo(() => createHashRouter(routes), []);
  const lock = useCallback(() => {
    window.history.replaceState(null, '', '#/');
    void api.kiosk.lock().then(forgetAllButSession);
  }, []);
  useIdle(session.staff, session.idleSeconds * 1000, lock, () => void api.kiosk.touch());
  return <RouterProvider router={router} />;
}

/** The screens of an open, unlocked app; after `autoLockMinutes` without activity the app locks itself. */
function Screens({ lock }: { lock: LockState }) {
  const { data: session, error } = useAppSession();
  const lockNow = useCallback(() => void api.app.lock().then(() => queryClient.invalidateQueries({ queryKey: ['lock'] })), []);
  // A kiosk leaves locking to its own idle time; the main process keeps its own idle clock as well.
  useIdle(!session?.kiosk && lock.autoLockMinutes > 0, lock.autoLockMinutes * 60_000, lockNow, () => void api.app.touch());
  if (!session) return <Waiting error={error} />;
  if (session.kiosk && !session.staff) return <KioskApp session={session} />;
  // A staff session that ends and starts again mounts fresh screens: none of its state survives.
  return <CounselorScreens key={session.staff ? 'staff' : 'counselor'} session={session} />;
}

/** Nothing but the lock screen until the data is open and unlocked. */
function LockedOrScreens() {
  const { data: lock, error } = useLockState();
  const closed = !lock || lock.phase !== 'running' || lock.locked;
  // What the screens held goes from memory as soon as the app locks.
  useEffect(() => {
    if (closed) forgetAllButLock();
  }, [closed]);
  if (!lock) return <Waiting error={error} />;
  if (closed) return <LockScreen state={lock} />;
  return <Screens lock={lock} />;
}

/** The device's language is in the lock state: the one answer every screen, the lock screen too, may have. */
function DeviceLanguage({ children }: { children: ReactNode }) {
  const { data: lock } = useLockState();
  return <LanguageProvider device={lock?.language ?? systemLanguage()}>{children}</LanguageProvider>;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <DeviceLanguage>
        <ToastProvider>
          <LockedOrScreens />
        </ToastProvider>
      </DeviceLanguage>
    </QueryClientProvider>
  );
}
