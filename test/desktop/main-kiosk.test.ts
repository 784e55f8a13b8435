// main.ts in kiosk mode, against a fake `electron` (its own file: one app start per process, as in Electron): the
// locked-down window, the allow-list over IPC for every operation id, and the staff unlock.
import { describe, expect, it, vi } from 'vitest';
import { memoryBox } from '../../electron/secrets';
import { silentLog } from '../../electron/log';
import { startServices } from '../../electron/services';
import { dataKeys } from '../../electron/keys/data-keys';
import { fakeElectronLog, KIOSK_TEST_PIN, startMain, type MainState } from '../support/electron-main';
import { expectKioskRefusesEveryoneElse, seedOtherLearner, type OtherLearner } from '../support/kiosk-table';

const state = vi.hoisted((): MainState => ({ fake: { module: {} } }));
vi.mock('electron', () => state.fake.module);
vi.mock('electron-log/main', () => fakeElectronLog());

describe('electron main in kiosk mode', () => {
  it('runs fullscreen without menu, devtools or reload; refuses everyone else over IPC; staff unlock and exit', { timeout: 120_000 }, async () => {
    let other: OtherLearner | undefined;
    const main = await startMain(state, {
      kiosk: true,
      // A counselor registered someone on this device before it became a kiosk.
      beforeStart: async (dataDir, fake) => {
        // With the key the app will find in this folder: sealed by the (fake) keychain.
        const dataKey = await dataKeys(dataDir, { keychain: fake.module.safeStorage }).open();
        const services = await startServices({ dataDir, dataKey, secrets: memoryBox(), log: silentLog, version: 'test' });
        other = await seedOtherLearner(services.local.repo, 'ipc');
        await services.close();
      },
    });
    const { fake, window } = main;
    expect(process.env.KIOSK_PIN).toBeUndefined();
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
    const call = (id: string, ...args: unknown[]) => fake.handlers.get(id)!(own, ...args) as never;
    const snapshot = async () => [await call('app.session')];
    await expectKioskRefusesEveryoneElse(call, other!, snapshot);

    // The probes' wrong PINs left the kiosk backing off: an hour later, staff come by.
    expect(await call('kiosk.unlock', KIOSK_TEST_PIN)).toMatchObject({ status: 429 });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 60 * 60_000);
    expect(await call('kiosk.unlock', KIOSK_TEST_PIN)).toMatchObject({ status: 200, body: { data: { staff: true } } });
    expect(await call('learner.get', other!.learnerId)).toMatchObject({ status: 200, body: { data: { email_address: other!.email } } });
    expect(fake.hasQuit()).toBe(false);
    expect(await call('kiosk.exit')).toMatchObject({ status: 200 });
    await vi.waitFor(() => expect(fake.hasQuit()).toBe(true), { timeout: 10_000 });
    vi.useRealTimers();
    main.cleanUp();
  });
});
