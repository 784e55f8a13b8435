// A fake `electron` module: records what the shell asks of Electron so tests can drive main.ts and preload.ts
// without the Electron binary (which cannot be downloaded here).
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  mainFrame = { url: '', parent: null as unknown };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  send = vi.fn();
  closeDevTools = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
}

/** `keychainBackend`: what safeStorage says backs it on Linux (`basic_text` is Chromium's fixed-password fallback). */
export function createFakeElectron(userData: string, options: { keychainBackend?: string } = {}) {
  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    readonly options: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
    }
    async loadURL(url: string) {
      this.webContents.mainFrame.url = url;
    }
    show() {}
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
  }

  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  let quitted = false;
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    requestSingleInstanceLock: () => {
      record.singleInstanceLocks++;
      return true;
    },
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => join(userData, name),
    getVersion: () => '1.2.3',
    exit: vi.fn(),
    quit: vi.fn(() => {
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      app.emit('before-quit', event);
      if (!event.defaultPrevented) quitted = true;
    }),
  });

  // Plain records rather than mock functions: vitest clears mocks between a suite's setup and its tests.
  const record = {
    singleInstanceLocks: 0,
    menus: [] as unknown[],
    permissionRequestHandlers: [] as ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)[],
    permissionCheckHandlers: [] as (() => boolean)[],
    opened: [] as string[],
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  };
  const rendererListeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  return {
    windows,
    handlers,
    listeners,
    rendererListeners,
    record,
    hasQuit: () => quitted,
    module: {
      app,
      BrowserWindow: FakeBrowserWindow,
      ipcMain: {
        handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
          if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
          handlers.set(channel, handler);
        },
        removeHandler: (channel: string) => handlers.delete(channel),
        on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
          listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
        },
        removeAllListeners: (channel: string) => listeners.delete(channel),
      },
      Menu: { buildFromTemplate: (template: unknown) => ({ template }), setApplicationMenu: (menu: unknown) => record.menus.push(menu) },
      safeStorage: {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => options.keychainBackend ?? 'gnome_libsecret',
        encryptString: (text: string) => Buffer.from(`sealed:${text}`),
        decryptString: (data: Buffer) => data.toString().slice('sealed:'.length),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (handler: (typeof record.permissionRequestHandlers)[number]) => record.permissionRequestHandlers.push(handler),
          setPermissionCheckHandler: (handler: () => boolean) => record.permissionCheckHandlers.push(handler),
        },
      },
      net: { isOnline: () => true },
      protocol: {
        registerSchemesAsPrivileged: (schemes: unknown[]) => record.privilegedSchemes.push(...schemes),
        handle: (scheme: string, handler: (request: Request) => Promise<Response>) => record.protocolHandlers.set(scheme, handler),
      },
      shell: { openExternal: async (url: string) => void record.opened.push(url) },
      contextBridge: { exposeInMainWorld: vi.fn() },
      ipcRenderer: {
        invoke: vi.fn(async (...args: unknown[]) => ({ status: 200, body: { success: true, message: 'ok', data: args } })),
        send: vi.fn(),
        on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
          rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), listener]);
        },
      },
    },
  };
}
export type FakeElectron = ReturnType<typeof createFakeElectron>;
