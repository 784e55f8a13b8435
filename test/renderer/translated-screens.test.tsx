// @vitest-environment happy-dom
// Every screen of the app, rendered whole (the App over a fake main process) in each language besides English (Spanish
// today): the counselor's screens, their forms and dialogs, the lock screen in each of its phases, and the kiosk's
// screens. Each fails on a message missing from the language's catalog (react-intl reports it) and on any English
// left in what the screen shows.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../shared/desktop';
import { CATALOGS } from '../../renderer/src/i18n/catalogs';
import { onTranslationError, translatorFor } from '../../renderer/src/i18n/translator';
import { englishLeft, visibleStrings } from '../support/english-left';
import { fakeWorld, installFakeMain, LEARNER_ID, type FakeWorld } from '../support/fake-main';

let world: FakeWorld;
const problems: string[] = [];
let stopListening: () => void;
let App: typeof import('../../renderer/src/App').App;
let queryClient: typeof import('../../renderer/src/lib/queries').queryClient;

beforeAll(async () => {
  installFakeMain(() => world);
  ({ App } = await import('../../renderer/src/App'));
  ({ queryClient } = await import('../../renderer/src/lib/queries'));
  const { installFriendlyValidationMessages } = await import('../../renderer/src/lib/messages');
  installFriendlyValidationMessages();
  stopListening = onTranslationError((error) => problems.push(error.message));
});
afterAll(() => stopListening());
afterEach(() => {
  cleanup();
  queryClient.clear();
});

async function show(hash: string) {
  window.history.replaceState(null, '', hash);
  render(<App />);
}

describe.each(LANGUAGES.filter((language) => language !== 'en'))('every screen in %s', (language) => {
  const translator = translatorFor(language);
  const { t } = translator;

  beforeEach(() => {
    world = fakeWorld();
    world.lock.language = language;
    problems.length = 0;
  });

  /** The screen as it is now: in this language, every message found, no English. */
  function expectTranslated(screenName: string) {
    expect(document.documentElement.lang, screenName).toBe(language);
    expect(problems, screenName).toEqual([]);
    expect(englishLeft(visibleStrings(), CATALOGS[language] as Record<string, string>), screenName).toEqual([]);
  }

  /** A new learner's required fields, then Register: the form's own rules come next. */
  async function fillNames() {
    await userEvent.type(screen.getByLabelText(t('field.firstName')), 'Ada');
    await userEvent.type(screen.getByLabelText(t('field.lastName')), 'Lovelace');
    await userEvent.type(screen.getByLabelText(t('field.email')), 'ada@ejemplo.org');
    await userEvent.click(screen.getByRole('button', { name: t('register.submit') }));
  }

  /** The sync indicator has heard the main process (it is on every counselor screen). */
  const syncShown = () => screen.findByText(t('syncIndicator.offlineSince', { time: translator.clock(world.sync.offlineSince!) }));

  describe('the counselor’s screens', () => {
    it('the dashboard, with its figures, filters and exports', async () => {
      await show('#/?from=2031-01-01&to=2030-12-31&status=all&center=sur');
      await screen.findByRole('heading', { name: t('figure.goals') });
      await syncShown();
      expect(screen.getByRole('heading', { level: 1, name: t('layout.dashboard') })).toBeTruthy();
      expect(screen.getByText(t('dashboard.scope', { learners: 1200, status: 'all', withProfile: 1000 }))).toBeTruthy();
      expect(within(screen.getByRole('table', { name: t('figure.goals') })).getByText(t('goal.moreMoney'))).toBeTruthy();
      expectTranslated('dashboard');
    });

    it('the learner list, with the dashboard’s filters on it', async () => {
      await show('#/learners?goal=To+make+more+money&employment=not_given&study=6-10&career=Healthcare&progress=in_progress&profile=missing&center=norte&from=2031-01-01&to=2031-12-31&show=archived');
      await screen.findByText(t('learners.count', { count: 1, matching: 'no', text: '', filtered: 'yes' }));
      await syncShown();
      expect(screen.getByRole('list', { name: t('filters.label') }).textContent).toContain(t('filters.filter', { name: t('dashboard.goal'), value: t('goal.moreMoney') }));
      expectTranslated('learner list');
    });

    it('a learner’s page, its profile, and both of its forms', async () => {
      await show(`#/learners/${LEARNER_ID}`);
      await screen.findByText('Trabajar con animales');
      await screen.findByText(/Primeros auxilios/);
      await syncShown();
      expect(screen.getByText(t('goal.proudOfMyself'), { exact: false })).toBeTruthy();
      expectTranslated('learner page');

      await userEvent.click(screen.getByRole('button', { name: t('learner.editProfile') }));
      const profileForm = await screen.findByRole('form', { name: t('profileForm.editLabel') });
      expect(within(profileForm).getByLabelText(new RegExp(`^${t('career.healthcare')}`))).toBeTruthy();
      expectTranslated('profile form');
      await userEvent.click(within(profileForm).getByRole('button', { name: t('common.cancel') }));

      await userEvent.click(screen.getByRole('button', { name: t('learner.editDetails') }));
      await screen.findByRole('form', { name: t('learnerForm.editLabel') });
      expectTranslated('learner form');
    });

    it('an archived learner without a profile', async () => {
      world.profile = null;
      (world.learner as { is_archived: boolean }).is_archived = true;
      await show(`#/learners/${LEARNER_ID}`);
      await screen.findByText(t('learner.noProfile', { name: 'Ada', archived: 'yes' }));
      await syncShown();
      expectTranslated('archived learner');
    });

    it('registration, with its refusals beside the fields', async () => {
      await show('#/learners/new');
      await screen.findByRole('heading', { level: 1, name: t('learnerForm.registerLabel') });
      await syncShown();
      await userEvent.click(screen.getByRole('button', { name: t('register.submit') }));
      await waitFor(() => expect(screen.getAllByText(t('validation.required'))).toHaveLength(3));
      expectTranslated('registration, required fields');
      await fillNames();
      await screen.findByText(t('learnerForm.chooseCenter'));
      expectTranslated('registration, the center');
    });

    it('the conflicts to review', async () => {
      await show('#/conflicts');
      await screen.findByText(t('conflicts.restore', { record: 'learner' }));
      await syncShown();
      expectTranslated('conflicts');
    });

    it('settings, with held deletions, backups, and a database set aside', async () => {
      world.sync = { ...world.sync, heldDeletes: 40, error: 'The server would delete 40 of the 50 learners on this device. Nothing was deleted; confirm in Settings if this is expected.' };
      await show('#/settings');
      await screen.findByRole('list', { name: t('settings.backups') });
      await screen.findByText(t('settings.version', { name: t('app.name'), version: '0.1.0' }));
      await syncShown();
      expect(screen.getByRole('button', { name: t('settings.allowDeletes', { count: 40 }) })).toBeTruthy();
      expectTranslated('settings');
    });

    it('the printable profile', async () => {
      await show(`#/learners/${LEARNER_ID}/print`);
      await screen.findByRole('article', { name: t('print.sheet') });
      await syncShown();
      expect(screen.getByText(t('contact.email'))).toBeTruthy();
      expectTranslated('print');
    });

    it('an address that leads nowhere', async () => {
      await show('#/ninguna-parte');
      await screen.findByText(t('app.notFound'));
      await syncShown();
      expectTranslated('not found');
    });
  });

  describe('the lock screen', () => {
    const before = navigator.languages;
    afterEach(() => Object.defineProperty(navigator, 'languages', { value: before, configurable: true }));

    it('follows the system’s language before the data (which keeps the setting) is open', async () => {
      world.lock = { ...world.lock, phase: 'new-passphrase', language: null, unlockWith: [], canLock: false };
      Object.defineProperty(navigator, 'languages', { value: [`${language}-419`, 'en-US'], configurable: true });
      await show('#/');
      await screen.findByRole('heading', { name: t('lock.choose') });
      expectTranslated('new passphrase');
      cleanup();
      world.lock = { ...world.lock, phase: 'passphrase', unlockWith: ['passphrase'] };
      world.answers.set('app.unlock', () => ({ status: 403, body: { success: false, message: 'Wrong passphrase', data: null } }));
      await show('#/');
      await userEvent.type(await screen.findByLabelText(t('lock.passphrase')), 'no es esta');
      await userEvent.click(screen.getByRole('button', { name: t('lock.open') }));
      await screen.findByText(t('api.wrongPassphrase'));
      expectTranslated('passphrase');
    });

    it('says what it is doing, and why the data could not be opened', async () => {
      for (const phase of ['starting', 'restoring'] as const) {
        world.lock = { ...world.lock, phase };
        await show('#/');
        await screen.findByText(t('lock.moment'));
        expectTranslated(phase);
        cleanup();
      }
      world.lock = {
        ...world.lock,
        phase: 'failed',
        message:
          'The database in /datos/perfiles is encrypted with another key than the one this device has (/datos/perfiles/data-key.json). Nothing was changed. If the key file was replaced or lost, put the right one back and start the app again.',
      };
      await show('#/');
      await screen.findByRole('heading', { name: t('lock.failed') });
      expect(screen.getByRole('alert').textContent).toBe(t('api.otherKey', { folder: '/datos/perfiles', file: '/datos/perfiles/data-key.json' }));
      expectTranslated('failed');
    });

    it('when locked, in the device’s language', async () => {
      world.lock = { ...world.lock, locked: true };
      world.answers.set('app.unlock', () => ({ status: 429, body: { success: false, message: 'Too many wrong PINs: try again in 60 seconds', data: null } }));
      await show('#/');
      await screen.findByRole('heading', { name: t('lock.locked') });
      await userEvent.type(screen.getByLabelText(t('settings.staffPin')), '123456');
      await userEvent.click(screen.getByRole('button', { name: t('lock.unlockPin') }));
      await screen.findByText(t('api.tooManyPins', { count: 60 }));
      expectTranslated('locked');
    });
  });

  describe('the kiosk', () => {
    beforeEach(() => {
      world.session = { ...world.session, kiosk: true };
      world.settings.kiosk = true;
    });

    it('welcomes, in the device’s language', async () => {
      await show('#/');
      await screen.findByRole('heading', { name: t('kiosk.welcome') });
      expectTranslated('welcome');
    });

    it('registers, asking for the date of birth', async () => {
      await show('#/register');
      await screen.findByRole('heading', { name: t('kiosk.register') });
      await fillNames();
      await screen.findByText(t('learnerForm.birthDateNeeded'));
      expectTranslated('kiosk registration');
    });

    it('finds a profile, and says so when it cannot', async () => {
      world.answers.set('kiosk.identify', () => ({
        status: 404,
        body: { success: false, message: 'We could not find a profile with these details. Check them and try again, or ask a staff member for a code.', data: null },
      }));
      await show('#/find');
      await screen.findByRole('heading', { name: t('find.title') });
      await userEvent.type(screen.getByLabelText(t('find.email')), 'ada@ejemplo.org');
      await userEvent.type(screen.getByLabelText(t('find.birthDate')), '1990-04-12');
      await screen.findByText(t('field.dayInWords', { day: new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(1990, 3, 12)) }));
      await userEvent.click(screen.getByRole('button', { name: t('find.open') }));
      await screen.findByText(t('api.kioskNoMatch'));
      expectTranslated('find, by details');
      await userEvent.click(screen.getByText(t('find.byCode')));
      await screen.findByLabelText(t('find.code'));
      expectTranslated('find, by code');
    });

    it('shows the learner their own page, with or without a profile', async () => {
      world.session.learnerId = LEARNER_ID;
      await show('#/me');
      await screen.findByRole('heading', { name: t('me.hello', { name: 'Adita' }) });
      await screen.findByText(t('me.profileSaved'));
      expectTranslated('my page');
      cleanup();
      queryClient.clear();
      world.profile = null;
      await show('#/me');
      await screen.findByRole('heading', { name: t('me.tellUs') });
      expectTranslated('my page, no profile yet');
    });

    it('signs staff in, and refuses a wrong PIN', async () => {
      world.answers.set('kiosk.unlock', () => ({ status: 403, body: { success: false, message: 'Wrong PIN', data: null } }));
      await show('#/staff');
      await userEvent.type(await screen.findByLabelText(t('settings.staffPin')), '000000');
      await userEvent.click(screen.getByRole('button', { name: t('staff.unlock') }));
      await screen.findByText(t('api.wrongPin'));
      expectTranslated('staff sign-in');
    });

    it('gives staff the counselor screens, with their own controls', async () => {
      world.session.staff = true;
      await show('#/');
      await screen.findByRole('button', { name: t('layout.exitKiosk') });
      await screen.findByRole('heading', { name: t('figure.goals') });
      await syncShown();
      expectTranslated('staff session');
    });
  });
});

describe('the Spanish screens', () => {
  it('read as Spanish, not only as something other than English', () => {
    const { t } = translatorFor('es');
    expect([t('layout.dashboard'), t('kiosk.welcome'), t('goal.moreMoney'), t('lock.locked')]).toEqual(['Panel', 'Le damos la bienvenida', 'Ganar más dinero', 'Bloqueada']);
  });
});
