// main.ts in kiosk mode, against a fake `electron` (its own file: one app start per process, as in Electron).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, type FakeElectron } from '../support/fake-electron';

const state = vi.hoisted(() => ({ fake: undefined as unknown as { module: Record<string, unknown> } }));
vi.mock('electron', () => state.fake.module);
vi.mock('electron-log/main', () => ({
  default: { transports: { file: {}, console: {} }, debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() },
}));

const dirs: string[] = [];
let fake: FakeElectron;

async function startMain(options: { kiosk?: boolean } = {}) {
  const userData = mkdtempSync(join(tmpdir(), 'lp-main-'));
  dirs.push(userData);
  fake = createFakeElectron(userData);
  state.fake = fake;
  const argv = process.argv;
  process.argv = options.kiosk ? [...argv, '--kiosk'] : argv.filter((a) => a !== '--kiosk');
  if (options.kiosk) process.env.KIOSK_PIN = '2468';
  vi.resetModules();
  try {
    await import('../../electron/main');
  } finally {
    process.argv = argv;
  }
  const logMod = (await import('electron-log/main')).default as unknown as { error: ReturnType<typeof vi.fn> };
  await vi.waitFor(() => expect(fake.windows.length, JSON.stringify(logMod.error.mock.calls)).toBe(1), { timeout: 20_000 });
  return fake.windows[0]!;
}

async function quit() {
  const app = fake.module.app as { quit(): void };
  app.quit();
  await vi.waitFor(() => expect(fake.hasQuit()).toBe(true), { timeout: 10_000 });
}

afterAll(() => {
  delete process.env.KIOSK_PIN;
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

describe('electron main in kiosk mode', () => {
  it('runs kiosk mode fullscreen, without menu, devtools or reload, and ends it only with the PIN', async () => {
    const window = await startMain({ kiosk: true });
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect((window.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
    expect(fake.record.menus).toEqual([null]);
    for (const input of [{ key: 'r', control: true }, { key: 'F5' }, { key: 'I', control: true, shift: true }, { key: 'F4', alt: true }]) {
      const event = { preventDefault: vi.fn() };
      window.webContents.emit('before-input-event', event, { type: 'keyDown', control: false, meta: false, alt: false, shift: false, ...input });
      expect(event.preventDefault, JSON.stringify(input)).toHaveBeenCalled();
    }
    const typing = { preventDefault: vi.fn() };
    window.webContents.emit('before-input-event', typing, { type: 'keyDown', key: 'a', control: false, meta: false, alt: false, shift: false });
    expect(typing.preventDefault).not.toHaveBeenCalled();

    const own = { senderFrame: window.webContents.mainFrame, sender: window.webContents };
    expect(await fake.handlers.get('settings.update')!(own, { deviceName: 'x' })).toMatchObject({ status: 403 });
    expect(await fake.handlers.get('kiosk.unlock')!(own, '1111')).toMatchObject({ status: 403 });
    expect(fake.hasQuit()).toBe(false);
    expect(await fake.handlers.get('kiosk.unlock')!(own, '2468')).toMatchObject({ status: 200 });
    await vi.waitFor(() => expect(fake.hasQuit()).toBe(true), { timeout: 10_000 });
  });
});
