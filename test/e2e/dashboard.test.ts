// The dashboard in Debian's Chromium against the preview, with a center's worth of learners: the first screen, its
// totals, charts drawn in the theme's colours and reachable by keyboard, every number (and bar) leading to the
// learners it counts, its filters, its tables and the filtered list exported as files; screenshots in light and dark,
// in English and in Spanish.
import { mkdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser';
import { seedCenterLearners, type CenterLearners } from '../support/center-learners';

const SHOTS = 'test-artifacts/screens';
/** Waits for what the screen shows to become what is expected (the main process answers on its own time). */
const eventually = <T,>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const ACCENT = { light: 'rgb(13, 118, 128)', dark: 'rgb(59, 179, 189)' };
const LOCALES = { en: 'en-US', es: 'es-419' };
const TITLES = { en: 'Dashboard', es: 'Panel' };

describe('dashboard, end to end', { timeout: 180_000 }, () => {
  let browser: Browser;
  let page: Page;
  let preview: Awaited<ReturnType<typeof startPreview>>;
  let seeded: CenterLearners;
  const errors: string[] = [];
  const card = (title: string) => page.locator('section.figure', { has: page.getByRole('heading', { name: title, exact: true }) });
  const tile = (label: string) => page.locator('.tile', { hasText: label }).locator('.tile-number');
  const listCount = () => page.locator('p.count').textContent();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    preview = await startPreview();
    seeded = await seedCenterLearners(preview.call);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(preview.keyUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('is the first screen, with the totals of the center', async () => {
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await eventually(() => tile('Active learners').textContent()).toBe(String(160 - seeded.archived));
    expect(await tile('Archived learners').textContent()).toBe(String(seeded.archived));
    expect(await tile('New this month').textContent()).toBe('160');
    const active = 160 - seeded.archived;
    await page.getByText(`${active} active learners, `).waitFor();
  });

  it('draws each figure as a chart with a name and a summary, and its numbers as a table', async () => {
    for (const title of ['Learning goals', 'Weekly study time', 'Employment status', 'Top career fields', 'Progress', 'Profiles']) {
      const figure = card(title);
      const svg = figure.locator('svg.recharts-surface');
      expect(await svg.locator('title').first().textContent(), title).toBe(title);
      expect(await svg.locator('desc').first().textContent(), title).toMatch(new RegExp(`^${title}: .+\\.$`));
      const counts = await figure.locator('tbody td').allTextContents();
      const nonZero = counts.filter((count) => count !== '0').length;
      expect(await figure.locator('.figure-bar .recharts-rectangle').count(), title).toBe(nonZero);
    }
    const profiles = (await card('Profiles').locator('tbody td').allTextContents()).map(Number);
    expect(profiles.reduce((a, b) => a + b, 0)).toBe(160 - seeded.archived);
    await page.getByText('A profile is complete when it has at least one learning goal').waitFor();
  });

  it('lets the keyboard reach a chart and read its bars', async () => {
    const svg = card('Weekly study time').locator('svg.recharts-surface');
    await svg.focus();
    expect(await svg.evaluate((el) => el === document.activeElement)).toBe(true);
    // Focus shows the first bar; the arrow keys move along.
    const tooltip = card('Weekly study time').locator('.recharts-tooltip-wrapper');
    const zero = await card('Weekly study time').getByRole('row', { name: /^0 h/ }).locator('td').textContent();
    await eventually(() => tooltip.textContent()).toBe(`0 hLearners : ${zero}`);
    await page.keyboard.press('ArrowRight');
    await eventually(() => tooltip.textContent()).toMatch(/^1–5 hLearners : \d+$/);
    await page.keyboard.press('ArrowLeft');
    await eventually(() => tooltip.textContent()).toMatch(/^0 h/);
  });

  it('draws in the theme’s colours, light and dark, in English and in Spanish, and fits the screen', async () => {
    for (const language of ['en', 'es'] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        // No language chosen in Settings: the screens speak the browser's.
        const themed = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme, locale: LOCALES[language] });
        await themed.goto(preview.keyUrl);
        await themed.getByRole('heading', { name: TITLES[language], level: 1 }).waitFor();
        expect(await themed.evaluate(() => document.documentElement.lang)).toBe(language);
        await themed.locator('.figure-bar .recharts-rectangle').first().waitFor();
        const fill = await themed.locator('.figure-bar .recharts-rectangle').first().evaluate((el) => getComputedStyle(el).fill);
        expect(fill, colorScheme).toBe(ACCENT[colorScheme]);
        expect(await themed.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
        await themed.screenshot({ path: `${SHOTS}/dashboard-${language === 'en' ? '' : `${language}-`}${colorScheme}.png` });
        await themed.close();
      }
    }
  });

  it('speaks Spanish in its charts too: names, summaries, axes and tooltips', async () => {
    const spanish = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: LOCALES.es });
    await spanish.goto(preview.keyUrl);
    const figure = spanish.locator('section.figure', { has: spanish.getByRole('heading', { name: 'Horas de estudio por semana', exact: true }) });
    const svg = figure.locator('svg.recharts-surface');
    await svg.waitFor();
    expect(await svg.locator('title').first().textContent()).toBe('Horas de estudio por semana');
    expect(await svg.locator('desc').first().textContent()).toMatch(/^Horas de estudio por semana: 0 h \d+, 1–5 h \d+, .*Sin indicar \d+\.$/);
    expect(await figure.locator('thead th').allTextContents()).toEqual(['Horas por semana', 'Estudiantes']);
    const ticks = await figure.locator('.recharts-cartesian-axis-tick-value').allTextContents();
    expect(ticks).toContain('Sin indicar');
    expect(ticks.filter((tick) => /^\d+$/.test(tick)).length).toBeGreaterThan(1);
    await svg.focus();
    await eventually(() => figure.locator('.recharts-tooltip-wrapper').textContent()).toMatch(/^0 hEstudiantes : \d+$/);
    await spanish.getByText(/^Un perfil está completo cuando tiene al menos una meta de aprendizaje/).waitFor();
    await spanish.close();
  });

  it('leads from a number to exactly the learners it counts, and back', async () => {
    const link = card('Learning goals').getByRole('link').first();
    const [, count, goal] = (await link.getAttribute('aria-label'))!.match(/^Show the (\d+) learners: (.+)$/)!;
    await link.click();
    await page.getByRole('heading', { name: 'Learners', level: 1 }).waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/learners?goal=${goal!.replace(/ /g, '+')}`);
    await eventually(listCount).toBe(`${count} learners with these filters`);
    await page.getByRole('button', { name: `Remove the filter Goal: ${goal}` }).click();
    await eventually(listCount).toBe(`${160 - seeded.archived} learners`);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    const archivedTile = page.locator('.tile', { hasText: 'Archived learners' });
    await archivedTile.click();
    await eventually(listCount).toBe(`${seeded.archived} learners`);
    expect(await page.getByRole('radio', { name: 'Archived' }).isChecked()).toBe(true);
  });

  it('leads from a bar too', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const bins = card('Weekly study time');
    const count = await bins.getByRole('row', { name: /6–10 h/ }).locator('td').textContent();
    await bins.locator('.figure-bar .recharts-rectangle').nth(2).click();
    await eventually(() => new URL(page.url()).hash).toBe('#/learners?study=6-10');
    await eventually(listCount).toBe(`${count} learners with these filters`);
  });

  it('filters by registration days and archive state, kept in the address', async () => {
    await page.goto(`${preview.url}/#/?to=2001-01-31`);
    await eventually(() => tile('Active learners').textContent()).toBe('0');
    await page.getByText('No learners to count here.').first().waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => tile('Active learners').textContent()).toBe(String(160 - seeded.archived));
    await page.getByText('All', { exact: true }).click();
    await eventually(() => page.locator('.subtitle').textContent()).toMatch(/^160 learners, /);
    expect(new URL(page.url()).hash).toBe('#/?status=all');
    // One center on this device: nothing to choose.
    expect(await page.getByLabel('Center').count()).toBe(0);
  });

  it("exports the dashboard's tables as CSV", async () => {
    await page.goto(`${preview.url}/#/`);
    await tile('Active learners').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export tables (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^dashboard-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = Papa.parse<string[]>(readFileSync(await download.path()).toString('utf8').replace(/^\ufeff/, '')).data;
    expect(rows[0]).toEqual(['figure', 'category', 'value']);
    expect(rows.filter((row) => row.length !== 3)).toEqual([]);
    expect(rows.find((row) => row[0] === 'Learners' && row[1] === 'Active')?.[2]).toBe(String(160 - seeded.archived));
    await page.getByText(/^Exported \d+ rows to dashboard-.+\.csv\.$/).waitFor();
  });

  it('exports the filtered learner list as XLSX', async () => {
    await page.goto(`${preview.url}/#/learners?profile=missing&show=all`);
    await eventually(listCount).toBe(`${160 - seeded.withProfile} learners with these filters`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export list (XLSX)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^learners-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Learners')!;
    expect(sheet.rowCount).toBe(1 + 160 - seeded.withProfile);
    expect(sheet.getRow(2).getCell(18).value).toBe('missing');
    expect(errors).toEqual([]);
  });
});
