// The Electron shell: one instance, one hardened window serving the renderer from app://, the main-process services
// behind IPC, logs to a rotating file, a clean shutdown that closes the database. Kiosk mode (`--kiosk`, or KIOSK=1):
// fullscreen, no menu, no devtools; staff unlock it with their PIN (KIOSK_PIN provisions it at the first start). Packaged builds open DevTools only
// where the Settings screen turned them on.
//
// Start-up order: the API table and IPC exist first (runtime.ts), answering only the lock screen. With a strong
// keychain the data opens at once, then the window shows it; without one the window opens on the lock screen, and
// the services start only once the passphrase is entered there.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, net, protocol, safeStorage, session, shell, type MenuItemConstructorOptions } from 'electron';
import electronLog from 'electron-log/main';
import { APP_URL, appSchemePrivileges, createRendererHandler } from './app-protocol';
import { registerIpc } from './ipc';
import { dataKeys } from './keys/data-keys';
import type { Log } from './log';
import { printWindowToPdf, saveWithDialog } from './reports/electron-files';
import { createRuntime, type AppRuntime } from './runtime';
import { dataKeyBox, safeStorageBox } from './secrets';
import { denyPermissions, hardenContents, isOwnTopFrame, windowOptions } from './window';

// Every file and folder this process creates (the data, backups, logs, Chromium's own) is private to the user.
process.umask(0o077);

const kiosk = process.argv.includes('--kiosk') || process.env.KIOSK === '1';
// Read once, for the first start's provisioning, and gone from this process's environment after that.
const kioskPin = process.env.KIOSK_PIN;
delete process.env.KIOSK_PIN;

electronLog.transports.file.resolvePathFn = () => join(app.getPath('logs'), 'main.log');
electronLog.transports.file.maxSize = 5 * 1024 * 1024;
electronLog.transports.console.level = app.isPackaged ? false : 'info';
const log: Log = {
  debug: (message, detail) => electronLog.debug(message, detail ?? ''),
  info: (message, detail) => electronLog.info(message, detail ?? ''),
  warn: (message, detail) => electronLog.warn(message, detail ?? ''),
  error: (message, detail) => electronLog.error(message, detail ?? ''),
};

let runtime: AppRuntime | undefined;
let window: BrowserWindow | undefined;
let stopped = false;

// Before the app is ready: only then can a scheme be made privileged.
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);

const appUrl = () => (process.env.ELECTRON_RENDERER_URL && !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : APP_URL);

function menu(devTools: boolean): Menu {
  const developer: MenuItemConstructorOptions[] = devTools ? [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] : [];
  const template: MenuItemConstructorOptions[] = [
    { label: 'File', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [...developer, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

function createWindow(devTools: boolean): BrowserWindow {
  const win = new BrowserWindow(windowOptions(join(import.meta.dirname, '../preload/preload.cjs'), kiosk, devTools));
  hardenContents(win.webContents, {
    kiosk,
    appUrl,
    openExternal: (url) => void shell.openExternal(url),
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (window === win) window = undefined;
  });
  void win.loadURL(appUrl());
  return win;
}

async function stop(): Promise<void> {
  if (stopped) return;
  stopped = true;
  await runtime?.close().catch((error: unknown) => log.error('closing the database failed', { error: String(error) }));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.on('window-all-closed', () => app.quit());

  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void stop().then(() => app.quit());
  });

  void app.whenReady().then(async () => {
    try {
      denyPermissions(session.defaultSession);
      protocol.handle('app', createRendererHandler(join(import.meta.dirname, '../renderer')));
      const keys = dataKeys(join(app.getPath('userData'), 'data'), { keychain: safeStorage });
      runtime = createRuntime({
        dataDir: join(app.getPath('userData'), 'data'),
        keys,
        // A weak keychain's seal is a fixed password: there the token is sealed with the data key instead.
        secrets: (key) => (keys.mode === 'keychain' ? safeStorageBox(safeStorage) : dataKeyBox(key, safeStorageBox(safeStorage))),
        log,
        version: app.getVersion(),
        kiosk: { enabled: kiosk, pin: kioskPin, idleSeconds: Number(process.env.KIOSK_IDLE_SECONDS) || undefined, center: process.env.KIOSK_CENTER || undefined },
        onKioskExit: () => app.quit(),
        network: { isOnline: () => net.isOnline() },
        deliverFile: saveWithDialog(() => window, () => app.getPath('downloads'), () => runtime?.lock),
        printToPdf: printWindowToPdf(() => window),
      });
      registerIpc(ipcMain, runtime.api, runtime.events, (frame) => isOwnTopFrame(frame, window?.webContents, appUrl()), log);
      if (keys.mode === 'keychain') await runtime.openWithKeychain();
      log.info('data key', { mode: keys.mode, phase: runtime.phase() });
      // In passphrase mode the settings cannot be read before the window asks for it: a packaged build keeps DevTools off.
      const settings = await runtime.services()?.settings.get();
      const devTools = !kiosk && (!app.isPackaged || (settings?.developerTools ?? false));
      Menu.setApplicationMenu(kiosk ? null : menu(devTools));
      window = createWindow(devTools);
    } catch (error) {
      log.error('the app could not start', { error: error instanceof Error ? error.stack : String(error) });
      app.exit(1);
    }
  });
}
