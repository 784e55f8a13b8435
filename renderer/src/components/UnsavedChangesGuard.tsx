// Asks before leaving a form with unsaved changes: in-app navigation and closing or reloading the window alike.
import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { useT } from '../i18n/LanguageProvider';
import { ConfirmDialog } from './ConfirmDialog';

export function UnsavedChangesGuard({ dirty }: { dirty: boolean }) {
  const { t } = useT();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return (
    <ConfirmDialog
      open={blocker.state === 'blocked'}
      title={t('unsaved.title')}
      confirmLabel={t('unsaved.confirm')}
      danger
      onConfirm={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      <p>{t('unsaved.text')}</p>
    </ConfirmDialog>
  );
}
