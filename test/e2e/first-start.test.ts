// A device without a keychain as its counselor meets it, in Debian's Chromium against the preview started without
// DATA_PASSPHRASE: the first start asks for a new passphrase twice in the window (its refusals beside the fields)
// and nothing is readable before; the next start asks for it, refuses a wrong one and opens with the right one.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser';

const PASSPHRASE = 'three words remembered here';

describe('the first start without a keychain, end to end', { timeout: 180_000 }, () => {
  let browser: Browser;
  let preview: Awaited<ReturnType<typeof startPreview>> | undefined;
  const errors: string[] = [];
  const open = async (): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(preview!.keyUrl);
    return page;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('asks for a new passphrase twice, says what is wrong beside each field, and opens the app once it is chosen', async () => {
    preview = await startPreview({ DATA_PASSPHRASE: undefined });
    const page = await open();
    await page.getByRole('heading', { name: 'Choose a passphrase' }).waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);
    const data = join(preview.dataDir, 'learner-profiles.sqlite');
    expect(existsSync(data)).toBe(false);

    await page.getByLabel('New passphrase').fill('too short');
    await page.getByLabel('The same passphrase again').fill('too short');
    await page.getByRole('button', { name: 'Set the passphrase' }).click();
    await page.getByText('Use at least 12 characters (a few words make a good passphrase).').waitFor();
    expect(await page.getByLabel('New passphrase').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('New passphrase').fill(PASSPHRASE);
    await page.getByLabel('The same passphrase again').fill(`${PASSPHRASE}.`);
    await page.getByRole('button', { name: 'Set the passphrase' }).click();
    await page.getByText('The two passphrases are not the same').waitFor();
    expect(await page.getByLabel('The same passphrase again').getAttribute('aria-invalid')).toBe('true');
    expect(existsSync(data)).toBe(false);

    await page.getByLabel('The same passphrase again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Set the passphrase' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('link', { name: 'Register' }).first().click();
    await page.getByLabel('First name').fill('Quinn');
    await page.getByLabel('Last name').fill('Keyless');
    await page.getByLabel('Email').first().fill('quinn.keyless@example.org');
    await page.getByRole('button', { name: 'Register' }).last().click();
    await page.getByRole('heading', { name: /Quinn/ }).waitFor();
    expect(readdirSync(preview.dataDir)).toContain('learner-profiles.sqlite');
    await page.close();
    await preview.stop();

    // The next start: the same folder, still no DATA_PASSPHRASE.
    preview = await startPreview({ DATA_PASSPHRASE: undefined, DATA_DIR: preview.dataDir });
    const again = await open();
    await again.getByRole('heading', { name: 'Enter the passphrase' }).waitFor();
    await again.getByLabel('Passphrase', { exact: true }).fill(`${PASSPHRASE} `);
    await again.getByRole('button', { name: 'Open', exact: true }).click();
    await again.getByText('Wrong passphrase. Check it and try again').waitFor();
    expect(await again.getByRole('navigation').count()).toBe(0);
    await again.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await again.getByRole('button', { name: 'Open', exact: true }).click();
    await again.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await again.goto(`${preview.url}/#/learners`);
    await again.getByText('Quinn').first().waitFor();
    expect(errors).toEqual([]);
  });
});
