// The app's side of reports, Electron only and kept thin (Electron does not run in tests; what it calls is tested
// in Node): a save dialog for a file the main process made, and the window's print view as a PDF.
import { writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { Deliver } from './deliveries';

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.csv': { name: 'CSV', extensions: ['csv'] },
  '.xlsx': { name: 'Excel workbook', extensions: ['xlsx'] },
  '.pdf': { name: 'PDF', extensions: ['pdf'] },
};

/** The app lock, as far as a save needs it. */
export interface LockWatch {
  readonly locked: boolean;
  onChange(listener: (locked: boolean) => void): () => void;
}

/**
 * A dialog stays open while the app locks over it: a file whose save was asked for before the lock is not written
 * (it holds personal data, and the person who picks the place may not be the one who asked).
 */
export function saveWithDialog(window: () => BrowserWindow | undefined, folder: () => string, lock: () => LockWatch | undefined): Deliver {
  return async (file) => {
    const filter = FILTERS[extname(file.name)];
    const options = { defaultPath: join(folder(), file.name), filters: filter ? [filter] : [] };
    const owner = window();
    let lockedMeanwhile = lock()?.locked ?? false;
    const stopWatching = lock()?.onChange((locked) => (lockedMeanwhile ||= locked));
    const choice = await (owner ? dialog.showSaveDialog(owner, options) : dialog.showSaveDialog(options)).finally(() => stopWatching?.());
    if (choice.canceled || !choice.filePath || lockedMeanwhile) return { kind: 'cancelled' };
    await writeFile(choice.filePath, file.bytes);
    return { kind: 'saved', path: choice.filePath };
  };
}

/** The window as it shows now (the print view), through its print style sheet: the same CSS the preview prints. */
export function printWindowToPdf(window: () => BrowserWindow | undefined): () => Promise<Uint8Array> {
  return async () => {
    const owner = window();
    if (!owner) throw new Error('no window to print');
    return owner.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true, generateTaggedPDF: true });
  };
}
