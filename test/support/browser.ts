// Debian's Chromium driven by playwright-core (never a downloaded browser), and the browser preview on a fresh
// data folder with a freshly built renderer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { PREVIEW_LINE, previewCaller, previewCookie, TEST_PASSPHRASE } from './preview-client';
import { startScript } from './processes';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // English unless a page asks for another locale, whatever this machine's: the screens follow the browser's language.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--lang=en-US'],
  });
}

let rendererDir: Promise<string> | undefined;

/** The renderer, built once per test process into its own folder. */
export function buildRenderer(): Promise<string> {
  rendererDir ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'lp-renderer-'));
    await build({ configFile: 'vite.renderer.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    return outDir;
  })();
  return rendererDir;
}

/**
 * The browser preview on a data folder (a fresh one unless DATA_DIR is given), opened with the test passphrase.
 * `url` is its address; `keyUrl` the start line's, which a page opens first to get this launch's cookie; `call`
 * reaches its operations from the test with that cookie.
 */
export async function startPreview(env: NodeJS.ProcessEnv = {}) {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'lp-e2e-'));
  const preview = startScript(
    'electron/preview.ts',
    [],
    { PORT: '0', DATA_DIR: dataDir, RENDERER_DIR: await buildRenderer(), DATA_PASSPHRASE: TEST_PASSPHRASE, ...env },
    PREVIEW_LINE,
  );
  const [, url, secret] = await preview.match;
  const cookie = await previewCookie(url!, secret!);
  return {
    url: url!,
    keyUrl: `${url}/?key=${secret}`,
    call: previewCaller(url!, cookie),
    dataDir,
    async stop() {
      preview.child.kill('SIGTERM');
      await preview.exited;
    },
  };
}
