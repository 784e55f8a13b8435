// main.ts in kiosk mode, against a fake `electron` (its own file: one app start per process, as in Electron).
import { describe, expect, it, vi } from 'vitest';
import { fakeElectronLog, startMain, type MainState } from '../support/electron-main';

const state = vi.hoisted((): MainState => ({ fake: { module: {} } }));
vi.mock('electron', () => state.fake.module);
vi.mock('electron-log/main', () => fakeElectronLog());

describe('electron main in kiosk mode', () => {
  it('runs kiosk mode fullscreen, without menu, devtools or reload, and ends it only with the PIN', async () => {
    const main = await startMain(state, { kiosk: true });
    const { fake, window } = main;
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
    main.cleanUp();
  });
});
