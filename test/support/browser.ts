// Debian's Chromium driven by playwright-core (never a downloaded browser), and the browser preview on a fresh
// data folder with a freshly built renderer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { startScript } from './processes';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
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

export async function startPreview(env: NodeJS.ProcessEnv = {}) {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'lp-e2e-'));
  const preview = startScript('electron/preview.ts', [], { PORT: '0', DATA_DIR: dataDir, RENDERER_DIR: await buildRenderer(), ...env }, /preview on (http:\/\/127\.0\.0\.1:\d+)/);
  const [, url] = await preview.match;
  return {
    url: url!,
    dataDir,
    async stop() {
      preview.child.kill('SIGTERM');
      await preview.exited;
    },
  };
}
