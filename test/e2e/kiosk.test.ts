// A kiosk in a learning center, in Debian's Chromium against the preview: a learner registers and fills in their
// profile, comes back later and proves who they are, and never sees anyone else, whatever URL they try; staff
// unlock it and it locks itself again; a half-filled form is gone after the idle time.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser';

const SHOTS = 'test-artifacts/screens';
const PIN = '246813';

describe('kiosk, end to end', { timeout: 180_000 }, () => {
  let browser: Browser;
  let page: Page;
  let preview: Awaited<ReturnType<typeof startPreview>>;
  let other: { uuid: string; first_name: string };
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
  const welcome = () => page.getByRole('heading', { name: 'Welcome' }).waitFor();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // A counselor registered someone on this device before it became a kiosk.
    const dataDir = mkdtempSync(join(tmpdir(), 'lp-e2e-kiosk-'));
    const laptop = await startPreview({ DATA_DIR: dataDir });
    const created = await laptop.call<{ uuid: string; first_name: string }>('learner.create', {
      first_name: 'Othelia',
      last_name: 'Private',
      email_address: 'othelia.private@example.org',
      birth_date: '2009-01-02',
    });
    other = created.body.data!;
    await laptop.stop();

    preview = await startPreview({ DATA_DIR: dataDir, KIOSK: '1', KIOSK_PIN: PIN, KIOSK_IDLE_SECONDS: '4' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(preview.keyUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('welcomes with two large, plain choices', async () => {
    await welcome();
    for (const name of [/Register/, /Update my profile/]) {
      const height = await page.getByRole('link', { name }).evaluate((el) => el.getBoundingClientRect().height);
      expect(height).toBeGreaterThanOrEqual(48);
    }
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await shot('kiosk-welcome');
  });

  it('lets the learner read it in Spanish, with large buttons named in their own language', async () => {
    for (const name of ['English', 'Español']) {
      const height = await page.getByRole('button', { name }).evaluate((el) => el.getBoundingClientRect().height);
      expect(height).toBeGreaterThanOrEqual(48);
    }
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Le damos la bienvenida' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    await shot('kiosk-welcome-es');
    await page.getByRole('button', { name: 'English' }).click();
    await welcome();
  });

  it('registers a learner, who fills in their own profile in the same session, and Done forgets them', async () => {
    await page.getByRole('link', { name: /Register/ }).click();
    await page.getByLabel('First name').fill('Kai');
    await page.getByLabel('Last name').fill('Newcomer');
    await page.getByLabel('Email', { exact: true }).fill('kai.newcomer@example.org');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Enter your date of birth: you will need it to come back to your profile').waitFor();
    await page.getByLabel('Date of birth').fill('2007-05-06');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Tell us about your goals' }).waitFor();
    expect(await page.getByLabel('Skills').count()).toBe(0);
    await page.getByLabel('To start a new career').check();
    await page.getByLabel('Personal goals').fill('Work with animals');
    await shot('kiosk-my-profile');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByText('Your profile is saved.').waitFor();
    await page.getByRole('button', { name: 'Done' }).first().click();
    await welcome();
    expect(await page.content()).not.toContain('Newcomer');
  });

  it('lets them back in with email and date of birth, to change their profile', async () => {
    await page.getByRole('link', { name: /Update my profile/ }).click();
    await page.getByLabel('Your email').fill('kai.newcomer@example.org');
    await page.getByLabel('Your date of birth').fill('2007-05-07');
    await page.getByRole('button', { name: 'Open my profile' }).click();
    await page.getByText('We could not find a profile with these details.').waitFor();
    await page.getByLabel('Your date of birth').fill('2007-05-06');
    await page.getByRole('button', { name: 'Open my profile' }).click();
    await page.getByRole('heading', { name: 'Hello, Kai' }).waitFor();
    await page.getByRole('button', { name: 'Change my profile' }).click();
    await page.getByLabel('Personal goals').fill('Work with animals, outdoors');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile is saved.').waitFor();
    await page.getByRole('button', { name: 'Done' }).first().click();
    await welcome();
  });

  it('shows nothing of anyone else at the old counselor URLs, and the main process refuses them too', async () => {
    for (const hash of ['#/learners', '#/settings', '#/conflicts', `#/learners/${other.uuid}`]) {
      await page.goto(`${preview.url}/${hash}`);
      await welcome();
      expect(await page.content(), hash).not.toContain('Othelia');
    }
    const browse = await page.evaluate(async () => (await fetch('/api/learner.browse', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{}]' })).json());
    expect(browse).toEqual({ status: 403, body: { success: false, message: 'Not available in kiosk mode', data: null } });
  });

  it('unlocks the counselor screens for staff, without squashing the header, and locks again when idle', async () => {
    const headerHeight = () => page.locator('header.topbar').evaluate((el) => el.getBoundingClientRect().height);
    const before = await headerHeight();
    await page.getByRole('button', { name: 'Staff' }).click();
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    expect(await headerHeight()).toBe(before);
    await page.getByLabel('Staff PIN').fill('111111');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Wrong PIN').waitFor();
    await shot('kiosk-staff-pin');
    await page.getByLabel('Staff PIN').fill(PIN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    // Staff get the counselor screens, the dashboard first.
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('link', { name: 'Learners', exact: true }).click();
    await page.getByText('Othelia').first().waitFor();
    await page.getByRole('button', { name: 'Lock' }).waitFor();
    // Nobody touches the screen: locked, back to the welcome, and the counselor data is gone from the page.
    await welcome();
    expect(await page.content()).not.toContain('Othelia');
  });

  it('clears a half-filled form after the idle time', async () => {
    await page.getByRole('link', { name: /Register/ }).click();
    await page.getByLabel('First name').fill('Half-typed');
    await welcome();
    await page.getByRole('link', { name: /Register/ }).click();
    expect(await page.getByLabel('First name', { exact: true }).inputValue()).toBe('');
    expect(errors).toEqual([]);
  });
});
