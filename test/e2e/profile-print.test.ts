// The printable profile in Debian's Chromium against the preview: the print view rendered to PDF through its print
// style sheet (as Electron's printToPDF renders it in the app), and the PDF's text read back: one page even for the
// fullest profile, A4 or Letter, light theme or dark; the center's name, the learner's details and profile; nothing
// of the app around it, no internal field, no other learner.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/result';
import { launchChromium, startPreview } from '../support/browser';

const SHOTS = 'test-artifacts/screens';
const PERSONAL_GOALS = `Become a registered nurse and ${'care for people in my community, '.repeat(20)}`.slice(0, 500);

async function call(preview: { call: (id: string, ...args: unknown[]) => Promise<Result> }, id: string, ...args: unknown[]) {
  const result = await preview.call(id, ...args);
  if (result.status !== 200) throw new Error(`${id}: ${JSON.stringify(result.body)}`);
  return result.body.data as { uuid: string };
}

async function pdfText(page: Page, format: 'A4' | 'Letter') {
  const pdf = await getDocumentProxy(new Uint8Array(await page.pdf({ format })));
  const { totalPages, text } = await extractText(pdf, { mergePages: true });
  return { pages: totalPages, text: text.replace(/\s+/g, ' ') };
}

describe('printable profile, end to end', { timeout: 180_000 }, () => {
  let browser: Browser;
  let preview: Awaited<ReturnType<typeof startPreview>>;
  let full: { uuid: string };
  let bare: { uuid: string };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    preview = await startPreview();
    const long = (what: string, n: number) => Array.from({ length: n }, (_, i) => `${what} ${i + 1} ${'with a long description '.repeat(5)}`.trim());
    full = await call(preview, 'learner.create', {
      first_name: 'Maximiliana',
      last_name: 'Fullprofile-Longname',
      email_address: 'maximiliana.fullprofile@example.org',
      preferred_name: 'Max',
      birth_date: '1990-04-12',
      city: 'Springfield',
      postal_code: '12345',
      student_identifier: 'S-000123',
      phone_number: { mobile: { phone_number: '+1 555 0100 200' }, telephone: { phone_number: '+1 555 0100 300' } },
    });
    const entries = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`e${i}`, { name: `Unit ${i + 1} of the foundations pathway`, status: i % 3 ? 'completed' : 'in_progress' }]));
    await call(preview, 'learnerProfile.create', full.uuid, {
      learning_goals: ['To start a new career', ...long('Goal', 20)],
      learning_constraints: { weekly_study_time: 12 },
      employment_status: 'Seeking work',
      potential_career_fields: ['Healthcare', 'Arts, design, entertainment, sports, media', 'Business, financial operations'],
      personal_goals: PERSONAL_GOALS,
      contact_preferences: { email: true, phone: true },
      tagged_skills: long('Skill', 30),
      tagged_competencies: long('Competency', 30),
      progress: { curriculum_pathways: entries },
    });
    bare = await call(preview, 'learner.create', { first_name: 'Otto', last_name: 'Otherperson', email_address: 'otto.other@example.org' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await preview?.stop();
  });

  const open = async (uuid: string, colorScheme: 'light' | 'dark' = 'light') => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme });
    await page.goto(preview.keyUrl);
    await page.goto(`${preview.url}/#/learners/${uuid}/print`);
    await page.locator('[data-print-ready]').waitFor();
    return page;
  };

  it('prints the fullest profile on one page, in A4 and in Letter, light or dark, and only what the learner may take', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await open(full.uuid, colorScheme);
      if (colorScheme === 'light') await page.screenshot({ path: `${SHOTS}/profile-print.png`, fullPage: true });
      for (const format of ['A4', 'Letter'] as const) {
        const { pages, text } = await pdfText(page, format);
        const label = `${format}, ${colorScheme}`;
        expect(pages, label).toBe(1);
        for (const expected of [
          'Learning center',
          'Maximiliana Fullprofile-Longname',
          'maximiliana.fullprofile@example.org',
          '+1 555 0100 200',
          'S-000123',
          'To start a new career',
          'and 16 more',
          '12 hours a week',
          'Seeking work',
          'Healthcare, Arts, design, entertainment, sports, media, Business, financial operations',
          PERSONAL_GOALS.replace(/\s+/g, ' ').trim(),
          'email and phone',
          'Unit 1 of the foundations pathway',
          'and 25 more',
          'This profile is complete.',
        ]) {
          expect(text, `${label}: ${expected}`).toContain(expected);
        }
        for (const absent of ['Otherperson', full.uuid, 'is_deleted', 'Dashboard', 'Back to the learner', 'Save as PDF', 'Sync']) {
          expect(text, `${label}: ${absent}`).not.toContain(absent);
        }
      }
      await page.close();
    }
  });

  it('says when a learner has no profile yet', async () => {
    const page = await open(bare.uuid);
    const { pages, text } = await pdfText(page, 'Letter');
    expect(pages).toBe(1);
    expect(text).toContain('Otto Otherperson');
    expect(text).toContain('No learner profile yet.');
    expect(text).not.toContain('Maximiliana');
    await page.close();
  });

  it('is reached from the learner’s page, and offers Print (the preview cannot save a PDF itself)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(preview.keyUrl);
    await page.goto(`${preview.url}/#/learners/${bare.uuid}`);
    await page.getByRole('link', { name: 'Print profile' }).click();
    await page.locator('[data-print-ready]').waitFor();
    await page.getByRole('button', { name: 'Print', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Save as PDF' }).count()).toBe(0);
    await page.close();
  });
});
