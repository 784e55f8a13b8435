// The kiosk variant and the themes and sizes the screens must fit, in Debian's Chromium against the preview.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser';

const SHOTS = 'test-artifacts/screens';

describe('kiosk, themes and sizes', { timeout: 120_000 }, () => {
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

  it('runs the kiosk variant: large targets, no settings, idle reset that clears forms, exit only with the PIN', async () => {
    const preview = await startPreview({ KIOSK: '1', KIOSK_PIN: '2468', KIOSK_IDLE_SECONDS: '3' });
    try {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await page.goto(preview.url);
      await page.locator('.app.kiosk').waitFor();
      expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      const buttonHeight = await page.getByRole('link', { name: 'Register a learner' }).evaluate((el) => el.getBoundingClientRect().height);
      expect(buttonHeight).toBeGreaterThanOrEqual(48);
      await page.screenshot({ path: `${SHOTS}/kiosk-1920x1080.png` });

      await page.getByRole('link', { name: 'Register a learner' }).click();
      await page.getByLabel('First name').fill('Half-typed');
      // Nobody touches the screen: back to the start, and the form is empty again.
      await page.getByRole('heading', { name: 'Learners' }).waitFor({ timeout: 10_000 });
      await page.getByRole('link', { name: 'Register a learner' }).click();
      await page.getByRole('heading', { name: 'Register a learner' }).waitFor();
      expect(await page.getByLabel('First name', { exact: true }).inputValue()).toBe('');

      await page.getByRole('button', { name: 'Staff' }).click();
      await page.getByLabel('Admin PIN').fill('1111');
      await page.getByRole('button', { name: 'Exit kiosk' }).click();
      await page.getByText('Wrong PIN').waitFor();
      await page.getByLabel('Admin PIN').fill('2468');
      await page.getByRole('button', { name: 'Exit kiosk' }).click();
      await page.getByText('Kiosk mode ended').waitFor();
      await page.close();
    } finally {
      await preview.stop();
    }
  });
});
