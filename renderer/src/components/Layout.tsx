// The frame of every screen: navigation, sync state always visible, and in kiosk mode the admin exit.
import { useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { api } from '../api';
import { useSettings } from '../lib/queries';
import { SyncIndicator } from './SyncIndicator';

function KioskExit() {
  const [open, setOpen] = useState(false);
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="kiosk-exit" onClick={() => setOpen(true)}>
        Staff
      </button>
    );
  }
  return (
    <form
      className="kiosk-pin"
      onSubmit={async (event) => {
        event.preventDefault();
        const result = await api.kiosk.unlock(pin);
        setPin('');
        setMessage(result.body.success ? 'Kiosk mode ended' : result.body.message);
      }}
    >
      <label>
        Admin PIN <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus />
      </label>
      <button type="submit">Exit kiosk</button>
      <button type="button" onClick={() => (setOpen(false), setMessage(null))}>
        Cancel
      </button>
      {message && <span role="alert">{message}</span>}
    </form>
  );
}

export function Layout() {
  const { data: settings } = useSettings();
  const kiosk = settings?.kiosk ?? false;
  return (
    <div className={`app${kiosk ? ' kiosk' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Learner Profiles</span>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Learners
          </NavLink>
          <NavLink to="/learners/new">Register</NavLink>
          <NavLink to="/conflicts">Conflicts</NavLink>
          {settings && !kiosk && <NavLink to="/settings">Settings</NavLink>}
        </nav>
        <SyncIndicator kiosk={kiosk} />
        {kiosk && <KioskExit />}
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
