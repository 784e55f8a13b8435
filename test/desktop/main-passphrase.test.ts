// main.ts where the keychain is weak (Linux without a keyring: safeStorage's `basic_text`, a fixed password): the
// window opens on the lock screen and nothing else starts; a first start takes a new passphrase twice; a later start
// opens only with it, and a wrong one changes no file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { uniqueEmail } from '../contract/cases';
import { fakeElectronLog, startMain, type MainState } from '../support/electron-main';

const state = vi.hoisted((): MainState => ({ fake: { module: {} } }));
vi.mock('electron', () => state.fake.module);
vi.mock('electron-log/main', () => fakeElectronLog());

type Main = Awaited<ReturnType<typeof startMain>>;
const caller = (main: Main) => {
  const own = { senderFrame: main.window.webContents.mainFrame, sender: main.window.webContents };
  return (id: string, ...args: unknown[]) => main.fake.handlers.get(id)!(own, ...args) as Promise<{ status: number; body: { message: string; data: unknown } }>;
};
const PASSPHRASE = 'a laptop passphrase of some length';

describe('electron main without a strong keychain', () => {
  it('asks for a passphrase before anything opens, and opens only with it', { timeout: 120_000 }, async () => {
    const first = await startMain(state, { keychainBackend: 'basic_text' });
    const call = caller(first);
    expect((await call('app.lockState')).body.data).toMatchObject({ phase: 'new-passphrase', locked: false });
    expect(await call('learner.list', {})).toMatchObject({ status: 403 });
    expect(existsSync(join(first.dataDir, 'learner-profiles.sqlite'))).toBe(false);
    expect((await call('app.createPassphrase', { passphrase: PASSPHRASE, confirm: 'something else entirely' })).status).toBe(422);
    expect((await call('app.createPassphrase', { passphrase: PASSPHRASE, confirm: PASSPHRASE })).status).toBe(200);
    expect((await call('learner.create', { first_name: 'Wren', last_name: 'Weak', email_address: uniqueEmail() })).status).toBe(200);
    // The key file holds the passphrase's salt and check, never a key sealed by the weak keychain.
    expect(JSON.parse(readFileSync(join(first.dataDir, 'data-key.json'), 'utf8'))).toMatchObject({ mode: 'passphrase', kdf: { name: 'scrypt' } });
    // A token is sealed with the data key, not with the keychain's fixed password.
    expect((await call('settings.update', { serverUrl: 'https://learners.example.org', token: 'device-token-secret' })).status).toBe(200);
    await first.quit();

    const files = () => new Map(readdirSync(first.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name))]));
    const before = files();
    const second = await startMain(state, { keychainBackend: 'basic_text', userData: first.userData });
    const again = caller(second);
    expect((await again('app.lockState')).body.data).toMatchObject({ phase: 'passphrase', unlockWith: ['passphrase'] });
    expect(await again('app.unlock', { passphrase: 'a laptop passphrase of some lengtH' })).toMatchObject({ status: 403, body: { message: 'Wrong passphrase' } });
    const after = files();
    for (const [file, bytes] of before) expect(after.get(file)?.equals(bytes), file).toBe(true);
    expect((await again('app.unlock', { passphrase: PASSPHRASE })).status).toBe(200);
    expect((await again('learner.list', {})).body.data).toMatchObject({ total_count: 1 });
    expect((await again('settings.get')).body.data).toMatchObject({ hasToken: true });
    await second.quit();
    second.cleanUp();
  });
});
