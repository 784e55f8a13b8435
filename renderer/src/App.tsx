import { QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { createHashRouter, RouterProvider } from 'react-router';
import { Layout } from './components/Layout';
import { ToastProvider } from './components/Toast';
import { queryClient, useSettings } from './lib/queries';
import { useIdle } from './lib/useIdle';
import { ConflictsPage } from './pages/ConflictsPage';
import { LearnerPage } from './pages/LearnerPage';
import { LearnersPage } from './pages/LearnersPage';
import { RegisterPage } from './pages/RegisterPage';
import { SettingsPage } from './pages/SettingsPage';

const routes = [
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <LearnersPage /> },
      { path: 'learners/new', element: <RegisterPage /> },
      { path: 'learners/:learnerId', element: <LearnerPage /> },
      { path: 'conflicts', element: <ConflictsPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: '*', element: <p className="page">This page does not exist.</p> },
    ],
  },
];

function Screens() {
  const { data: settings } = useSettings();
  const [generation, setGeneration] = useState(0);
  // A new router for each idle reset: the screens and any unsaved form state start over, with no "leave?" prompt.
  const router = useMemo(() => (generation >= 0 ? createHashRouter(routes) : undefined)!, [generation]);
  const reset = useCallback(() => {
    // Silently (no hashchange): the old router must not see a navigation its unsaved-changes guard would block.
    window.history.replaceState(null, '', '#/');
    setGeneration((g) => g + 1);
  }, []);
  // Kiosk: after a while without a touch or a key, back to the start with every unsaved form cleared.
  useIdle(settings?.kiosk ?? false, (settings?.kioskIdleSeconds ?? 120) * 1000, reset);
  return <RouterProvider key={generation} router={router} />;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <Screens />
      </ToastProvider>
    </QueryClientProvider>
  );
}
