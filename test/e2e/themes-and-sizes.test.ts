// The themes and sizes the screens must fit, in Debian's Chromium against the preview.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser';

const SHOTS = 'test-artifacts/screens';

describe('themes and sizes', { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('fits 1920×1080 and 1280×800 in light and dark, without horizontal scrolling', async () => {
    const preview = await startPreview();
    try {
      for (const [width, height] of [[1920, 1080], [1280, 800]] as const) {
        for (const colorScheme of ['light', 'dark'] as const) {
          const page = await browser.newPage({ viewport: { width, height }, colorScheme });
          await page.goto(preview.keyUrl);
          await page.goto(`${preview.url}/#/learners/new`);
          await page.getByRole('heading', { name: 'Register a learner' }).waitFor();
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
          const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
          expect(background).toBe(colorScheme === 'dark' ? 'rgb(18, 22, 28)' : 'rgb(246, 247, 249)');
          await page.screenshot({ path: `${SHOTS}/register-${width}x${height}-${colorScheme}.png` });
          await page.close();
        }
      }
    } finally {
      await preview.stop();
    }
  });
});
