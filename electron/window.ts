// The app window and its hardening: isolated, sandboxed, no Node in the page, no navigation, no new windows, no
// permissions, external links only to allow-listed hosts and only in the system browser; in kiosk mode also no
// devtools, no reload and no closing shortcuts.
import type { BrowserWindowConstructorOptions, Input, Session, WebContents, WebFrameMain } from 'electron';

/** The only sites the app may open, in the user's browser. */
export const EXTERNAL_HOSTS = new Set(['www.onetonline.org', 'www.bls.gov']);

export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && EXTERNAL_HOSTS.has(parsed.hostname);
  } catch {
    return false;
  }
}

export function windowOptions(preload: string, kiosk: boolean, devTools: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Learner Profiles',
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: kiosk,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: devTools && !kiosk,
      spellcheck: true,
    },
  };
}

/** Shortcuts a kiosk must not honour: reload, devtools, close, quit, zoom out of reach. */
export function isBlockedInKiosk(input: Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'alt' | 'shift'>): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (key === 'f5' || key === 'f11' || key === 'f12') return true;
  if (command && ['r', 'w', 'q', 'n', 't', 'p', 'o', 's'].includes(key)) return true;
  if (command && input.shift && ['i', 'j', 'c'].includes(key)) return true;
  if (input.alt && key === 'f4') return true;
  return false;
}

export interface HardenOptions {
  kiosk: boolean;
  /** The URL the renderer is loaded from (app:// in the app, the dev server while developing). */
  appUrl: () => string;
  openExternal(url: string): void;
}

export function hardenContents(contents: WebContents, options: HardenOptions): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) options.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url !== options.appUrl()) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (options.kiosk) {
    contents.on('before-input-event', (event, input) => {
      if (isBlockedInKiosk(input)) event.preventDefault();
    });
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Only the top frame of our own window, showing our own page, may call the API. */
export function isOwnTopFrame(frame: WebFrameMain | null, contents: WebContents | undefined, appUrl: string): boolean {
  if (!frame || !contents || contents.isDestroyed()) return false;
  if (frame !== contents.mainFrame || frame.parent !== null) return false;
  const url = new URL(frame.url);
  const app = new URL(appUrl);
  return url.protocol === app.protocol && url.host === app.host && url.pathname === app.pathname;
}
