// The frame of every counselor screen: navigation and sync state always visible; "Lock now" where something can
// unlock the app again; on a kiosk unlocked by staff, Lock and the way out of kiosk mode.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { api } from '../api';
import { forgetAllButSession, queryClient, useAppSession, useLockState } from '../lib/queries';
import { data } from '../lib/result';
import { ConfirmDialog } from './ConfirmDialog';
import { SyncIndicator } from './SyncIndicator';
import { useToast } from './Toast';

/** Hidden until something could unlock the app again: Settings says how to get there. */
function LockNowButton() {
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
        Lock now
      </button>
    </div>
  );
}

function StaffControls() {
  const [confirmExit, setConfirmExit] = useState(false);
  return (
    <div className="topbar-end">
      <button type="button" onClick={() => void api.kiosk.lock().then(forgetAllButSession)}>
        Lock
      </button>
      <button type="button" className="danger" onClick={() => setConfirmExit(true)}>
        Exit kiosk mode
      </button>
      <ConfirmDialog
        open={confirmExit}
        title="Leave kiosk mode?"
        confirmLabel="Exit kiosk mode"
        danger
        onCancel={() => setConfirmExit(false)}
        onConfirm={() => {
          setConfirmExit(false);
          void api.kiosk.exit();
        }}
      >
        <p>The app closes. Start it again without kiosk mode to use it as a counselor's app.</p>
      </ConfirmDialog>
    </div>
  );
}

export function Layout() {
  const { data: session } = useAppSession();
  const kiosk = session?.kiosk ?? false;
  return (
    <div className={`app${kiosk ? ' kiosk' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Learner Profiles</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Dashboard
          </NavLink>
          <NavLink to="/learners" end>
            Learners
          </NavLink>
          <NavLink to="/learners/new">Register</NavLink>
          <NavLink to="/conflicts">Conflicts</NavLink>
          <NavLink to="/settings">Settings</NavLink>
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
