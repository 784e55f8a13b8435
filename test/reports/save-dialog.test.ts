// The app's save dialog for reports (Electron's dialog replaced here): the file is written where the person chose,
// and not at all when the app locked while the dialog was open.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const dialog = vi.hoisted(() => ({ answer: undefined as undefined | ((choice: { canceled: boolean; filePath?: string }) => void) }));
vi.mock('electron', () => ({
  dialog: {
    showSaveDialog: () => new Promise((resolve) => (dialog.answer = resolve)),
  },
}));
const { saveWithDialog } = await import('../../electron/reports/electron-files');

function fakeLock() {
  const listeners = new Set<(locked: boolean) => void>();
  const lock = {
    locked: false,
    onChange(listener: (locked: boolean) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(locked: boolean) {
      lock.locked = locked;
      for (const listener of listeners) listener(locked);
    },
    listeners,
  };
  return lock;
}

describe('saving a report through the save dialog', () => {
  const folder = mkdtempSync(join(tmpdir(), 'lp-save-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const file = { name: 'learners.csv', bytes: new TextEncoder().encode('uuid,first_name\n') };
  const waitForDialog = () => vi.waitFor(() => expect(dialog.answer).toBeTypeOf('function'));

  it('writes the file where the person chose', async () => {
    const lock = fakeLock();
    const saving = saveWithDialog(() => undefined, () => folder, () => lock)(file as never);
    await waitForDialog();
    dialog.answer!({ canceled: false, filePath: join(folder, 'chosen.csv') });
    dialog.answer = undefined;
    expect(await saving).toEqual({ kind: 'saved', path: join(folder, 'chosen.csv') });
    expect(readFileSync(join(folder, 'chosen.csv'), 'utf8')).toBe('uuid,first_name\n');
    expect(lock.listeners.size).toBe(0);
  });

  it('writes nothing when the app locked while the dialog was open, even if unlocked before the choice', async () => {
    const lock = fakeLock();
    const saving = saveWithDialog(() => undefined, () => folder, () => lock)(file as never);
    await waitForDialog();
    lock.set(true);
    lock.set(false);
    dialog.answer!({ canceled: false, filePath: join(folder, 'late.csv') });
    dialog.answer = undefined;
    expect(await saving).toEqual({ kind: 'cancelled' });
    expect(existsSync(join(folder, 'late.csv'))).toBe(false);
    expect(lock.listeners.size).toBe(0);
  });
});
