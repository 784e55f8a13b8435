// Starts the real electron/main.ts against a fake `electron` module. The test file itself mocks 'electron' to
// `state.fake.module` (vi.mock must sit in the test file), and hands `state` in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { createFakeElectron, type FakeElectron } from './fake-electron';

export const KIOSK_TEST_PIN = '246813';

export interface MainState {
  fake: { module: Record<string, unknown> };
}

export async function startMain(
  state: MainState,
  options: { kiosk?: boolean; keychainBackend?: string; userData?: string; beforeStart?: (dataDir: string, fake: FakeElectron) => Promise<void> } = {},
) {
  const userData = options.userData ?? mkdtempSync(join(tmpdir(), 'lp-main-'));
  const fake: FakeElectron = createFakeElectron(userData, { keychainBackend: options.keychainBackend });
  await options.beforeStart?.(join(userData, 'userData', 'data'), fake);
  state.fake = fake;
  const argv = process.argv;
  process.argv = options.kiosk ? [...argv, '--kiosk'] : argv.filter((a) => a !== '--kiosk');
  if (options.kiosk) process.env.KIOSK_PIN = KIOSK_TEST_PIN;
  vi.resetModules();
  // A second start in one test file gets the new fake, not the module the first one was given.
  vi.doMock('electron', () => fake.module);
  try {
    await import('../../electron/main');
  } finally {
    process.argv = argv;
  }
  // If no window appears, the logged start-up error says why.
  const log = (await import('electron-log/main')).default as unknown as { error: ReturnType<typeof vi.fn> };
  await vi.waitFor(() => expect(fake.windows.length, JSON.stringify(log.error.mock.calls)).toBe(1), { timeout: 20_000 });
  return {
    fake,
    userData,
    dataDir: join(userData, 'userData', 'data'),
    window: fake.windows[0]!,
    async quit() {
      (fake.module.app as { quit(): void }).quit();
      await vi.waitFor(() => expect(fake.hasQuit()).toBe(true), { timeout: 10_000 });
    },
    cleanUp() {
      delete process.env.KIOSK_PIN;
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

export const fakeElectronLog = () => ({
  default: { transports: { file: {}, console: {} }, debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() },
});
