// A counselor's day in the browser preview, in Debian's Chromium: register, create the seed's profile, edit it,
// see a validation error at its field, archive, search, reload and find everything still there.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser';

const SHOTS = 'test-artifacts/screens';

describe('counselor screens, end to end', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  let preview: Awaited<ReturnType<typeof startPreview>>;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    preview = await startPreview();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(preview.keyUrl);
    // The dashboard is the first screen; the day starts at the learner list.
    await page.goto(`${preview.url}/#/learners`);
  });
  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('registers a learner, with errors shown at their fields and focus on the first', async () => {
    await page.getByRole('link', { name: 'Register a learner' }).click();
    await page.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => page.getByText('This field is required').count()).toBe(3);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('first_name');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel('Email', { exact: true }).fill('not-an-email');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Enter an email address like name@example.org').waitFor();
    await shot('register-errors');
    await page.getByLabel('Email', { exact: true }).fill('Ada.Lovelace@Example.org');
    await page.getByLabel('City').fill('London');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    expect(await page.getByText('ada.lovelace@example.org').count()).toBe(1);
  });

  it('explains a duplicate email at the email field', async () => {
    await page.getByRole('link', { name: 'Register', exact: true }).click();
    await page.getByLabel('First name').fill('Other');
    await page.getByLabel('Last name').fill('Person');
    await page.getByLabel('Email', { exact: true }).fill('ada.lovelace@example.org');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Learner with the given email address ada.lovelace@example.org already exists').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email_address');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Leave and discard' }).click();
    await page.getByRole('heading', { name: 'Learners' }).waitFor();
  });

  it("creates the profile with the seed's values", async () => {
    await page.getByRole('link', { name: /Ada Lovelace/ }).click();
    await page.getByRole('button', { name: 'Create profile' }).click();
    const goals = page.getByLabel('Other learning goals', { exact: true });
    await goals.fill('Develop Communication Skills');
    await goals.press('Enter');
    await goals.fill('Teamwork');
    await goals.press('Enter');
    await page.getByLabel('Employment status').selectOption('Unemployed');
    await shot('profile-form');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByText('Develop Communication Skills, Teamwork').waitFor();
    expect(await page.getByText('Unemployed').count()).toBeGreaterThan(0);
  });

  it('edits the profile, refusing a study time over 30 at its field', async () => {
    await page.getByRole('button', { name: 'Edit profile' }).click();
    const hours = page.getByLabel('Weekly study time (hours, 0–30)');
    await hours.fill('31');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Enter a number from 0 to 30').waitFor();
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    await shot('profile-error');
    await hours.fill('12');
    await page.getByLabel('Healthcare').check();
    await page.getByLabel('Personal goals').fill('Become a registered nurse');
    await page.getByText('25 / 500 characters').waitFor();
    await page.getByLabel('By email').check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();
    await page.getByText('12 h').waitFor();
    expect(await page.getByText('Become a registered nurse').count()).toBe(1);
    await shot('learner');
  });

  it('archives the learner and finds them by search', async () => {
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByText('Learner archived').waitFor();
    await page.getByRole('button', { name: 'Unarchive' }).waitFor();
    await page.getByRole('link', { name: 'Learners', exact: true }).click();
    await page.getByText('0 learners').waitFor();
    await page.getByText('Archived', { exact: true }).click();
    await page.getByText('1 learner', { exact: true }).waitFor();
    await page.getByText('All', { exact: true }).click();
    await page.getByPlaceholder('Search by name or email').fill('lovel');
    await page.getByText('1 learner matching “lovel”').waitFor();
    await page.getByPlaceholder('Search by name or email').fill('nobody-here');
    await page.getByText('0 learners matching “nobody-here”').waitFor();
  });

  it('finds everything still there after a reload', async () => {
    await page.goto(`${preview.url}/#/learners`);
    await page.reload();
    await page.getByText('All', { exact: true }).click();
    await page.getByRole('link', { name: /Ada Lovelace/ }).click();
    await page.getByText('Become a registered nurse').waitFor();
    expect(await page.getByText('Develop Communication Skills, Teamwork').count()).toBe(1);
    expect(await page.getByText('Archived').count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await shot('settings');
    await page.getByRole('link', { name: 'Conflicts' }).click();
    await page.getByText('Nothing to review.').waitFor();
    expect(errors).toEqual([]);
  });
});
