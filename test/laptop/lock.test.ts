// The app lock in the main process: "Lock now" and the idle lock refuse every operation but the lock screen's and
// stop change events; the passphrase or the staff PIN unlock it; without either it cannot lock. At start, with a
// passphrase, nothing opens before it is given, and a wrong one changes nothing.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiOperationIds } from '../../shared/contract';
import type { ChangeEvent, LockState } from '../../shared/desktop';
import { invoke } from '../../shared/operations';
import { dataKeys, type Keychain } from '../../electron/keys/data-keys';
import { LOCK_SCREEN_OPERATIONS, LOCKED_MESSAGE } from '../../electron/lock/app-lock';
import { silentLog } from '../../electron/log';
import { createRuntime, type AppRuntime } from '../../electron/runtime';
import { memoryBox } from '../../electron/secrets';
import { uniqueEmail } from '../contract/cases';
import { bridgeHost, FAST_SCRYPT, type BridgeHost } from '../support/bridge-host';
import { TEST_PASSPHRASE } from '../support/preview-client';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-lock-'));
  dirs.push(dir);
  return dir;
};
const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const closable of closing.splice(0)) await closable.close().catch(() => {});
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

const strongKeychain: Keychain = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (text) => Buffer.from(text, 'utf8').reverse(),
  decryptString: (data) => Buffer.from(data).reverse().toString('utf8'),
};

const learner = () => ({ first_name: 'Lockie', last_name: 'Screen', email_address: uniqueEmail() });
const state = async (call: (id: string, ...args: unknown[]) => Promise<{ body: { data?: unknown } }>) => (await call('app.lockState')).body.data as LockState;

/** Every operation the lock screen does not need, called as a screen would. */
async function expectAllRefused(call: (id: string, ...args: unknown[]) => Promise<unknown>) {
  for (const id of apiOperationIds.filter((id) => !LOCK_SCREEN_OPERATIONS.has(id))) {
    expect(await call(id), id).toEqual({ status: 403, body: { success: false, message: LOCKED_MESSAGE, data: null } });
  }
}

describe('the app lock', { timeout: 120_000 }, () => {
  it('"Lock now" refuses everything but the lock screen and stops change events; the passphrase or the staff PIN unlock it', async () => {
    const host: BridgeHost = await bridgeHost({ dataDir: tempDir() });
    closing.push(host);
    const call = (id: string, ...args: unknown[]) => host.call(id as never, ...args);
    expect(await state(call)).toMatchObject({ phase: 'running', locked: false, unlockWith: ['passphrase'], canLock: true, protectedBy: 'passphrase' });
    const heard: ChangeEvent[][] = [];
    host.runtime.events.subscribe((events) => heard.push(events));
    // What was heard from the lock on (sync may still be saying it has started, just before).
    const sinceLock = () => {
      const collections = heard.flat().map((e) => e.collection);
      return collections.slice(collections.indexOf('lock'));
    };

    expect((await call('app.lock')).body.data).toMatchObject({ locked: true });
    expect(sinceLock()).toEqual(['lock']);
    await expectAllRefused(call);

    // Sync writes while it is locked: the screens hear nothing of it.
    const services = host.services;
    const flushed = new Promise<void>((resolve) => {
      const off = services.changes.subscribe((events) => {
        if (events.some((e) => e.collection === 'learners')) {
          off();
          resolve();
        }
      });
    });
    expect((await invoke(services.local.repo, 'learner.create', [learner()])).status).toBe(200);
    await flushed;
    expect(sinceLock()).toEqual(['lock']);

    expect(await call('app.unlock', { passphrase: 'not the passphrase' })).toMatchObject({ status: 403, body: { message: 'Wrong passphrase' } });
    expect(await call('app.unlock', { pin: '123456' })).toMatchObject({ status: 409, body: { message: 'No staff PIN is set: unlock with the passphrase.' } });
    expect((await call('app.unlock', { passphrase: TEST_PASSPHRASE })).body.data).toMatchObject({ locked: false });
    expect((await call('learner.list', {})).status).toBe(200);
    // Events flow again once unlocked.
    await call('learner.create', learner());
    await vi.waitFor(() => expect(heard.flat().some((e) => e.collection === 'learners')).toBe(true));

    // A staff PIN unlocks it too, with its backoff.
    expect((await call('kiosk.setPin', { pin: '24681357' })).status).toBe(200);
    expect(await state(call)).toMatchObject({ unlockWith: ['passphrase', 'pin'] });
    await call('app.lock');
    expect(await call('app.unlock', { pin: '11111111' })).toMatchObject({ status: 403, body: { message: 'Wrong PIN' } });
    expect((await call('app.unlock', { pin: '24681357' })).status).toBe(200);
    expect(await call('app.unlock', { pin: '24681357' })).toMatchObject({ status: 409, body: { message: 'The app is not locked' } });
  });

  it('without a passphrase (a strong keychain) locks only once a staff PIN is set; then idle time locks it', async () => {
    let now = Date.parse('2025-01-01T10:00:00Z');
    const dataDir = tempDir();
    const runtime: AppRuntime = createRuntime({
      dataDir,
      keys: dataKeys(dataDir, { keychain: strongKeychain, platform: 'linux' }),
      secrets: () => memoryBox(),
      log: silentLog,
      version: 'test',
      clock: () => now,
    });
    closing.push(runtime);
    expect((await runtime.openWithKeychain()).status).toBe(200);
    const call = (id: string, ...args: unknown[]) => runtime.api.handle(id, args);
    const heard: ChangeEvent[][] = [];
    runtime.events.subscribe((events) => heard.push(events));

    expect(await state(call)).toMatchObject({ locked: false, unlockWith: [], canLock: false, autoLockMinutes: 0, protectedBy: 'keychain' });
    expect(await call('app.lock')).toMatchObject({ status: 409, body: { message: 'Set a staff PIN in Settings first: it unlocks the app when it is locked.' } });
    now += 60 * 60_000;
    expect((await call('learner.list', {})).status).toBe(200);

    expect((await call('kiosk.setPin', { pin: '97531086' })).status).toBe(200);
    await vi.waitFor(async () => expect(await state(call)).toMatchObject({ canLock: true, unlockWith: ['pin'], autoLockMinutes: 10 }));
    // Activity keeps it open…
    now += 9 * 60_000;
    expect((await call('app.touch')).status).toBe(200);
    now += 9 * 60_000;
    expect((await call('learner.list', {})).status).toBe(200);
    // …ten minutes without any locks it, and the screens hear of it.
    now += 10 * 60_000;
    expect((await call('learner.list', {})).status).toBe(403);
    expect(heard.flat().map((e) => e.collection)).toContain('lock');
    expect(await state(call)).toMatchObject({ locked: true });
    expect((await call('app.unlock', { pin: '97531086' })).status).toBe(200);

    // The idle time is a setting; 0 turns it off.
    expect((await call('settings.update', { autoLockMinutes: 0 })).status).toBe(200);
    await vi.waitFor(async () => expect(await state(call)).toMatchObject({ autoLockMinutes: 0 }));
    now += 24 * 60 * 60_000;
    expect((await call('learner.list', {})).status).toBe(200);
  });

  it('in kiosk mode, leaves locking to the kiosk: no idle lock, and no "Lock now" for the public', async () => {
    const host = await bridgeHost({ dataDir: tempDir(), kiosk: { enabled: true, pin: '864213' }, initialSettings: { autoLockMinutes: 5 } });
    closing.push(host);
    const call = (id: string, ...args: unknown[]) => host.call(id as never, ...args);
    expect(await state(call)).toMatchObject({ canLock: false, autoLockMinutes: 0 });
    expect(await call('app.lock')).toMatchObject({ status: 403, body: { message: 'Not available in kiosk mode' } });
  });
});

describe('opening the data with a passphrase', { timeout: 120_000 }, () => {
  const runtimeOn = (dataDir: string) => {
    const runtime = createRuntime({ dataDir, keys: dataKeys(dataDir, { scryptCost: FAST_SCRYPT }), secrets: () => memoryBox(), log: silentLog, version: 'test' });
    closing.push(runtime);
    return runtime;
  };

  it('asks for a new one twice at the first start, opens nothing before, and refuses a wrong one without touching a file', async () => {
    const dataDir = tempDir();
    const first = runtimeOn(dataDir);
    const call = (id: string, ...args: unknown[]) => first.api.handle(id, args);
    expect(await state(call)).toMatchObject({ phase: 'new-passphrase', minPassphraseLength: 12 });
    expect(first.services()).toBeUndefined();
    await expectAllRefused(call);
    expect(await call('app.createPassphrase', { passphrase: 'too short', confirm: 'too short' })).toMatchObject({
      status: 422,
      body: { data: [{ loc: ['body', 'passphrase'], msg: 'Use at least 12 characters (a few words make a good passphrase).' }] },
    });
    expect(await call('app.createPassphrase', { passphrase: 'long enough passphrase', confirm: 'long enough passphrasf' })).toMatchObject({
      status: 422,
      body: { data: [{ loc: ['body', 'confirm'] }] },
    });
    expect(readdirSync(dataDir)).toEqual([]);
    expect((await call('app.createPassphrase', { passphrase: 'long enough passphrase', confirm: 'long enough passphrase' })).status).toBe(200);
    expect(await state(call)).toMatchObject({ phase: 'running', locked: false });
    expect((await call('learner.create', learner())).status).toBe(200);
    await first.close();

    const files = () => new Map(readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name))]));
    const before = files();
    const second = runtimeOn(dataDir);
    const again = (id: string, ...args: unknown[]) => second.api.handle(id, args);
    expect(await state(again)).toMatchObject({ phase: 'passphrase', unlockWith: ['passphrase'] });
    expect(await again('app.unlock', { passphrase: 'long enough passphrasE' })).toMatchObject({ status: 403, body: { message: 'Wrong passphrase' } });
    expect(await again('app.unlock', { pin: '123456' })).toMatchObject({ status: 409 });
    expect(second.services()).toBeUndefined();
    const after = files();
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [file, bytes] of before) expect(after.get(file)!.equals(bytes), file).toBe(true);
    expect((await again('app.unlock', { passphrase: 'long enough passphrase' })).status).toBe(200);
    expect(((await again('learner.list', {})).body.data as { total_count: number }).total_count).toBe(1);
  });
});
