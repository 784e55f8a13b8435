import { QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import { createHashRouter, RouterProvider } from 'react-router';
import type { AppSession, LockState } from '../../shared/desktop';
import { api } from './api';
import { Layout } from './components/Layout';
import { ToastProvider } from './components/Toast';
import { DashboardPage } from './dashboard/DashboardPage';
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
      { path: '*', element: <p className="page">This page does not exist.</p> },
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
  const { data: session, isError, error } = useAppSession();
  const lockNow = useCallback(() => void api.app.lock().then(() => queryClient.invalidateQueries({ queryKey: ['lock'] })), []);
  // A kiosk leaves locking to its own idle time; the main process keeps its own idle clock as well.
  useIdle(!session?.kiosk && lock.autoLockMinutes > 0, lock.autoLockMinutes * 60_000, lockNow, () => void api.app.touch());
  if (!session) {
    return <p className="page">{isError ? `The app service is not answering: ${error.message}` : 'Loading…'}</p>;
  }
  if (session.kiosk && !session.staff) return <KioskApp session={session} />;
  // A staff session that ends and starts again mounts fresh screens: none of its state survives.
  return <CounselorScreens key={session.staff ? 'staff' : 'counselor'} session={session} />;
}

/** Nothing but the lock screen until the data is open and unlocked. */
function LockedOrScreens() {
  const { data: lock, isError, error } = useLockState();
  const closed = !lock || lock.phase !== 'running' || lock.locked;
  // What the screens held goes from memory as soon as the app locks.
  useEffect(() => {
    if (closed) forgetAllButLock();
  }, [closed]);
  if (!lock) return <p className="page">{isError ? `The app service is not answering: ${error.message}` : 'Loading…'}</p>;
  if (closed) return <LockScreen state={lock} />;
  return <Screens lock={lock} />;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <LockedOrScreens />
      </ToastProvider>
    </QueryClientProvider>
  );
}
