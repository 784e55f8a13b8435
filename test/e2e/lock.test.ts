// The laptop's protection as a counselor meets it, in Debian's Chromium against the preview: "Lock now" hides every
// screen until the passphrase or the staff PIN is entered, the app locks itself after the minutes set in Settings,
// and a backup is restored from Settings after a look at what it holds; backups it cannot restore say why.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser';
import { TEST_PASSPHRASE } from '../support/preview-client';

const SHOTS = 'test-artifacts/screens';
const PIN = '73194628';

describe('lock and restore, end to end', { timeout: 180_000 }, () => {
  let browser: Browser;
  let page: Page;
  let preview: Awaited<ReturnType<typeof startPreview>>;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
  const toSettings = async (on = page) => {
    await on.getByRole('link', { name: 'Settings' }).click();
    await on.getByRole('heading', { name: 'Settings' }).waitFor();
  };
  const backupRows = () => page.getByRole('list', { name: 'Backups' }).getByRole('listitem');
  const backupNames = async () => ((await preview.call('app.listBackups')).body.data as { name: string }[]).map((b) => b.name);
  const learnerNames = async () => {
    const result = await preview.call('learner.list', {});
    return (result.body.data as { records: { first_name: string }[] }).records.map((l) => l.first_name).sort();
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    preview = await startPreview();
    for (const first_name of ['Marisol', 'Tobiah']) {
      await preview.call('learner.create', { first_name, last_name: 'Lockwood', email_address: `${first_name.toLowerCase()}.lockwood@example.org` });
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(preview.keyUrl);
    // The dashboard is the first screen; these tests start at the learner list.
    await page.goto(`${preview.url}/#/learners`);
    await page.getByRole('heading', { name: 'Learners' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('"Lock now" hides every screen until the passphrase is entered; a wrong one says so', async () => {
    await page.getByText('Marisol').first().waitFor();
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    expect(await page.content()).not.toContain('Marisol');
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.getByRole('link').count()).toBe(0);
    // The main process refuses the data too, whatever the page asks.
    const list = await page.evaluate(async () => (await fetch('/api/learner.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{}]' })).json());
    expect(list).toMatchObject({ status: 403 });

    await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByText('Wrong passphrase. Check it and try again').waitFor();
    await shot('locked-wrong-passphrase');
    expect(await page.getByRole('heading', { name: 'Locked' }).count()).toBe(1);
    await page.getByLabel('Passphrase', { exact: true }).fill(TEST_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('heading', { name: 'Learners' }).waitFor();
    await page.getByText('Marisol').first().waitFor();
  });

  it('unlocks with a staff PIN once one is set', async () => {
    await toSettings();
    await page.getByLabel('New staff PIN').fill(PIN);
    await page.getByRole('button', { name: 'Save the PIN' }).click();
    await page.getByText('The staff PIN is saved').waitFor();
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    await page.getByLabel('Staff PIN', { exact: true }).fill('11112222');
    await page.getByRole('button', { name: 'Unlock with the PIN' }).click();
    await page.getByText('Wrong PIN').waitFor();
    expect(await page.getByRole('heading', { name: 'Settings' }).count()).toBe(0);
    await page.getByLabel('Staff PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Unlock with the PIN' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
  });

  it('locks by itself after the minutes set in Settings without use', async () => {
    const idle = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    idle.on('pageerror', (error) => errors.push(error.message));
    await idle.clock.install();
    await idle.goto(preview.keyUrl);
    await idle.goto(`${preview.url}/#/learners`);
    await idle.getByRole('heading', { name: 'Learners' }).waitFor();
    await toSettings(idle);
    const minutes = idle.getByRole('spinbutton', { name: 'Lock after (minutes without use)' });
    expect(await minutes.inputValue()).toBe('10');
    await minutes.fill('3');
    await idle.getByRole('form', { name: 'Lock after (minutes without use)' }).getByRole('button', { name: 'Save' }).click();
    await idle.getByText('Settings saved').waitFor();
    await expect.poll(async () => (await preview.call('app.lockState')).body.data).toMatchObject({ autoLockMinutes: 3 });
    await idle.getByRole('link', { name: 'Learners' }).click();
    await idle.getByText('Marisol').first().waitFor();

    // A minute short of it the screens stay.
    await idle.clock.fastForward('02:00');
    // Time for a lock, had one been asked for, to reach the main process and the screen.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await preview.call('app.lockState')).toMatchObject({ body: { data: { locked: false } } });
    expect(await idle.getByRole('heading', { name: 'Locked' }).count()).toBe(0);
    await idle.clock.fastForward('01:30');
    await idle.getByRole('heading', { name: 'Locked' }).waitFor();
    expect(await idle.content()).not.toContain('Marisol');
    await idle.getByLabel('Staff PIN', { exact: true }).fill(PIN);
    await idle.getByRole('button', { name: 'Unlock with the PIN' }).click();
    await idle.getByText('Marisol').first().waitFor();
    await idle.close();
    // The main process keeps its own idle clock in real time: give the other tests their ten minutes back.
    expect(await preview.call('settings.update', { autoLockMinutes: 10 })).toMatchObject({ status: 200 });
  });

  it('restores a backup from Settings after showing what it holds and asking', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByText('No backups yet.').waitFor();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText(/Backup written to/).waitFor();
    await backupRows().filter({ hasText: '2 learners, 0 profiles' }).waitFor();
    await preview.call('learner.create', { first_name: 'Quincy', last_name: 'Later', email_address: 'quincy.later@example.org' });

    // Cancelling changes nothing.
    await backupRows().first().getByRole('button', { name: 'Restore…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    expect(await learnerNames()).toEqual(['Marisol', 'Quincy', 'Tobiah']);

    await backupRows().first().getByRole('button', { name: 'Restore…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Restore this backup?' }).waitFor();
    expect(await dialog.textContent()).toContain('2 learners, 0 profiles');
    expect(await dialog.textContent()).toContain(await backupRows().first().locator('span').first().evaluate((el) => el.firstChild?.textContent ?? ''));
    await shot('restore-confirm');
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByText('The backup is restored').waitFor();
    // What it replaced was backed up first, and is listed.
    await backupRows().filter({ hasText: '3 learners, 0 profiles' }).waitFor();
    expect(await backupRows().count()).toBe(2);
    expect(await learnerNames()).toEqual(['Marisol', 'Tobiah']);
    await page.getByRole('link', { name: 'Learners' }).click();
    await page.getByText('Tobiah').first().waitFor();
    expect(await page.content()).not.toContain('Quincy');
  });

  it('keeps the number of backups set in Settings', async () => {
    await toSettings();
    const keep = page.getByRole('spinbutton', { name: 'Backups to keep' });
    expect(await keep.inputValue()).toBe('10');
    await keep.fill('0');
    await page.getByRole('form', { name: 'Backups to keep' }).getByRole('button', { name: 'Save' }).click();
    await page.getByText('Enter a whole number from 1 to 100.').waitFor();
    await keep.fill('2');
    await page.getByRole('form', { name: 'Backups to keep' }).getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved').waitFor();
    expect(await backupRows().count()).toBe(2);
    const before = await backupNames();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText(/Backup written to/).waitFor();
    await expect.poll(backupNames).not.toEqual(before);
    const after = await backupNames();
    // The new one and the newest before it; the oldest is gone.
    expect(after).toHaveLength(2);
    expect(after[1]).toBe(before[0]);
    expect(after).not.toContain(before[1]);
    await expect.poll(() => backupRows().allTextContents()).toEqual([expect.stringContaining('2 learners, 0 profiles'), expect.stringContaining('3 learners, 0 profiles')]);
  });

  it('says which backups cannot be restored, and why a restore was refused', async () => {
    // A backup from another device: its own key, which this one does not have.
    const elsewhere = await startPreview({ DATA_PASSPHRASE: 'another device passphrase' });
    let foreign: string;
    try {
      await elsewhere.call('learner.create', { first_name: 'Zed', last_name: 'Elsewhere', email_address: 'zed@example.org' });
      const made = await elsewhere.call('app.backup');
      foreign = (made.body.data as { path: string }).path;
    } finally {
      await elsewhere.stop();
    }
    const backups = join(preview.dataDir, 'backups');
    copyFileSync(foreign, join(backups, basename(foreign)));

    await page.reload();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const other = backupRows().filter({ hasText: 'another device’s key' });
    await other.waitFor();
    expect(await other.getByRole('button', { name: 'Restore…' }).isDisabled()).toBe(true);

    // A backup listed as whole, damaged on disk before it is restored.
    const listed = await page.evaluate(async () => (await fetch('/api/app.listBackups', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).json());
    const mine = (listed.body.data as { name: string; status: string; createdAt: string }[]).find((b) => b.status === 'ok')!;
    const path = join(backups, mine.name);
    writeFileSync(path, readFileSync(path).subarray(0, 4096));
    const row = backupRows().filter({ hasText: /\d+ learners/ }).first();
    await row.getByRole('button', { name: 'Restore…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'This backup is damaged and cannot be restored. Nothing was changed.' }).waitFor();
    await shot('restore-refused');
    // Listed again, it shows as damaged; the data is as it was.
    await backupRows().filter({ hasText: 'Damaged: it cannot be restored' }).waitFor();
    expect(await learnerNames()).toEqual(['Marisol', 'Tobiah']);
    expect(errors).toEqual([]);
  });
});
