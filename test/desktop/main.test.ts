// main.ts against a fake `electron`: the window's hardening, every operation registered, foreign frames refused,
// kiosk behaviour, and a clean shutdown.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiOperationIds } from '../../shared/contract';
import { uniqueEmail } from '../contract/cases';
import { fakeElectronLog, startMain, type MainState } from '../support/electron-main';

const state = vi.hoisted((): MainState => ({ fake: { module: {} } }));
vi.mock('electron', () => state.fake.module);
vi.mock('electron-log/main', () => fakeElectronLog());

describe('electron main', () => {
  let main: Awaited<ReturnType<typeof startMain>>;
  let fake: Awaited<ReturnType<typeof startMain>>['fake'];
  let window: Awaited<ReturnType<typeof startMain>>['window'];
  beforeAll(async () => {
    main = await startMain(state);
    ({ fake, window } = main);
  });
  afterAll(async () => {
    await main.quit();
    main.cleanUp();
  });

  it('opens one hardened window and registers every operation', async () => {
    expect(fake.record.singleInstanceLocks).toBe(1);
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false });
    expect(String(prefs.preload)).toMatch(/preload[/\\]preload\.cjs$/);
    expect(window.webContents.mainFrame.url).toBe('app://bundle/index.html');
    expect(fake.record.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(fake.record.protocolHandlers.has('app')).toBe(true);
    expect([...fake.handlers.keys()].sort()).toEqual([...apiOperationIds].sort());
    const granted: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications']) fake.record.permissionRequestHandlers[0]!(undefined, permission, (g) => granted.push(g));
    expect(granted).toEqual([false, false, false]);
    expect(fake.record.permissionCheckHandlers[0]!()).toBe(false);
    expect(fake.record.menus).toHaveLength(1);
    expect(fake.record.menus[0]).not.toBeNull();
    // A packaged build with the setting off: no DevTools, not even from the menu.
    expect(JSON.stringify(fake.record.menus[0])).not.toMatch(/toggleDevTools|reload/);
  });

  it('answers our own top frame and refuses any other', async () => {
    const create = fake.handlers.get('learner.create')!;
    const own = { senderFrame: window.webContents.mainFrame, sender: window.webContents };
    const created = (await create(own, { first_name: 'I', last_name: 'P', email_address: uniqueEmail() })) as { status: number };
    expect(created.status).toBe(200);
    const foreign = { senderFrame: { url: 'https://evil.example/', parent: null }, sender: window.webContents };
    expect(await create(foreign, { first_name: 'I', last_name: 'P', email_address: uniqueEmail() })).toMatchObject({ status: 403 });
    const child = { senderFrame: { url: window.webContents.mainFrame.url, parent: window.webContents.mainFrame }, sender: window.webContents };
    expect(await fake.handlers.get('learner.list')!(child, {})).toMatchObject({ status: 403 });
    expect(await fake.handlers.get('learner.get')!(own, 42)).toMatchObject({ status: 422 });
  });

  it('denies new windows and navigation, opening only allow-listed links outside', async () => {
    const contents = window.webContents;
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://www.onetonline.org/find' })).toEqual({ action: 'deny' });
    expect(fake.record.opened).toEqual(['https://www.onetonline.org/find']);
    const navigation = { preventDefault: vi.fn() };
    contents.emit('will-navigate', navigation, 'https://evil.example/');
    expect(navigation.preventDefault).toHaveBeenCalled();
  });

  it('pushes change events to a window that subscribed', async () => {
    const own = { senderFrame: window.webContents.mainFrame, sender: window.webContents };
    fake.listeners.get('changes:subscribe')![0]!(own);
    await fake.handlers.get('learner.create')!(own, { first_name: 'C', last_name: 'F', email_address: uniqueEmail() });
    await vi.waitFor(() => expect(window.webContents.send).toHaveBeenCalledWith('changes', expect.arrayContaining([expect.objectContaining({ collection: 'learners' })])));
  });

});
