// Settings that protect the device token: a server address must be https (plain http only on this computer), a new
// address forgets the token, and saving answers at once whatever the server does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL_MESSAGE, type LockState, type Settings, type SyncStatus } from '../../shared/desktop';
import { bridgeHost, type BridgeHost } from '../support/bridge-host';

describe('sync settings', { timeout: 60_000 }, () => {
  let host: BridgeHost;
  beforeAll(async () => {
    host = await bridgeHost();
  });
  afterAll(() => host?.close());
  const save = (body: unknown) => host.call('settings.update', body);

  it('takes https anywhere and http only on this computer, refusing others with a plain message', async () => {
    for (const serverUrl of ['http://learners.example.org', 'http://10.0.0.5:8080', 'http://127.0.0.1.example.org', 'ftp://learners.example.org', 'learners.example.org']) {
      expect(await save({ serverUrl }), serverUrl).toMatchObject({ status: 422, body: { data: [{ loc: ['body', 'serverUrl'], msg: SERVER_URL_MESSAGE }] } });
    }
    for (const serverUrl of ['https://learners.example.org', 'http://127.0.0.1:9', 'http://127.4.5.6', 'http://localhost:8080', 'http://[::1]:8080', '']) {
      expect((await save({ serverUrl })).status, serverUrl).toBe(200);
    }
  });

  it('forgets the token when the address changes, unless a token comes with the new address', async () => {
    const hasToken = async () => ((await host.call('settings.get')).body.data as Settings).hasToken;
    await save({ serverUrl: 'https://one.example.org', token: 'token-one' });
    expect(await hasToken()).toBe(true);
    await save({ serverUrl: 'https://one.example.org', deviceName: 'Laptop' });
    expect(await hasToken()).toBe(true);
    await save({ serverUrl: 'https://two.example.org' });
    expect(await hasToken()).toBe(false);
    await save({ serverUrl: 'https://three.example.org', token: 'token-three' });
    expect(await hasToken()).toBe(true);
    expect((await host.services.settings.connection())?.token).toBe('token-three');
    await save({ serverUrl: '' });
    expect(await hasToken()).toBe(false);
  });

  it('answers at once when the server does not answer, and sync goes on trying in the background', async () => {
    // Nothing listens on the discard port: before, the answer waited for sync to connect, that is forever.
    const saved = await save({ serverUrl: 'http://127.0.0.1:9', token: 'unheard' });
    expect(saved.status).toBe(200);
    const status = (await host.call('sync.status')).body.data as SyncStatus;
    expect(['connecting', 'offline', 'error']).toContain(status.state);
  });

  it('keeps the screens’ language, refuses one the screens do not speak, and tells the lock screen', async () => {
    const language = async () => ((await host.call('settings.get')).body.data as Settings).language;
    const lockLanguage = async () => ((await host.call('app.lockState')).body.data as LockState).language;
    expect(await language()).toBeNull();
    expect(await lockLanguage()).toBeNull();
    expect((await save({ language: 'es' })).status).toBe(200);
    expect(await language()).toBe('es');
    expect(await lockLanguage()).toBe('es');
    expect(await save({ language: 'fr' })).toMatchObject({ status: 422, body: { data: [{ loc: ['body', 'language'] }] } });
    // Another setting saved later leaves the language as it was.
    await save({ backupsToKeep: 5 });
    expect(await language()).toBe('es');
  });
});

describe('a kiosk’s public screens', { timeout: 60_000 }, () => {
  it('may not change the language of the device, and read it from the lock state', async () => {
    const host = await bridgeHost({ kiosk: { enabled: true, pin: '864209' } });
    try {
      expect((await host.call('settings.update', { language: 'es' })).status).toBe(403);
      expect((await host.call('settings.get')).status).toBe(403);
      expect((await host.call('app.lockState')).body.data).toMatchObject({ language: null });
    } finally {
      await host.close();
    }
  });
});
