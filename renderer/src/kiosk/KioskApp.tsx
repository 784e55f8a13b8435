// The kiosk as a member of the public sees it: a welcome with two choices, registration, "find my profile", their
// own page, and the staff sign-in. No list, no search, no other learner: the main process refuses those anyway.
// "Done", and a while without a touch, end the session: the main process forgets the learner and the screens
// forget everything they held, the language the learner chose as well.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createHashRouter, Navigate, Outlet, RouterProvider, useNavigate } from 'react-router';
import type { AppSession } from '../../../shared/desktop';
import { api } from '../api';
import { useChooseSessionLanguage, useT } from '../i18n/LanguageProvider';
import { forgetAllButSession } from '../lib/queries';
import { useIdle } from '../lib/useIdle';
import { FindMePage } from './FindMePage';
import { KioskRegisterPage } from './KioskRegisterPage';
import { MyProfilePage } from './MyProfilePage';
import { StaffUnlockPage } from './StaffUnlockPage';
import { WelcomePage } from './WelcomePage';

export interface KioskScreenProps {
  session: AppSession;
  /** Ends the session: the main process forgets the learner, the screens start over. */
  finish(): Promise<void>;
}

function KioskLayout({ session, finish }: KioskScreenProps) {
  const { t } = useT();
  const navigate = useNavigate();
  return (
    <div className="app kiosk">
      <a className="skip-link" href="#main">
        {t('layout.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{t('app.name')}</span>
        <div className="topbar-end">
          {session.learnerId && (
            <button type="button" className="primary" onClick={() => void finish()}>
              {t('common.done')}
            </button>
          )}
          <button type="button" className="staff-button" onClick={() => navigate('/staff')}>
            {t('kiosk.staff')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export function KioskApp({ session }: { session: AppSession }) {
  const [generation, setGeneration] = useState(0);
  const chooseLanguage = useChooseSessionLanguage();
  const finish = useCallback(async () => {
    await api.kiosk.done();
    // Nothing of this person stays in memory for the next one.
    await forgetAllButSession();
    chooseLanguage(null);
    window.history.replaceState(null, '', '#/');
    setGeneration((g) => g + 1);
  }, [chooseLanguage]);
  // Staff who unlock the kiosk get the device's language, not the last learner's.
  useEffect(() => () => chooseLanguage(null), [chooseLanguage]);
  useIdle(true, session.idleSeconds * 1000, () => void finish(), () => void api.kiosk.touch());

  const props = { session, finish };
  const router = useMemo(
    () =>
      createHashRouter([
        {
          path: '/',
          element: <KioskLayout {...props} />,
          children: [
            { index: true, element: session.learnerId ? <Navigate to="/me" replace /> : <WelcomePage /> },
            { path: 'register', element: <KioskRegisterPage /> },
            { path: 'find', element: <FindMePage /> },
            { path: 'me', element: session.learnerId ? <MyProfilePage {...props} learnerId={session.learnerId} /> : <Navigate to="/" replace /> },
            { path: 'staff', element: <StaffUnlockPage /> },
            // Old links (#/learners, #/settings, a learner's page) lead nowhere in a kiosk.
            { path: '*', element: <Navigate to="/" replace /> },
          ],
        },
      ]),
    // A new router when the session changes hands or starts over: no screen keeps the last person's state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [generation, session.learnerId],
  );
  return <RouterProvider key={`${generation}-${session.learnerId ?? ''}`} router={router} />;
}
