// @vitest-environment happy-dom
// Every screen of the app, rendered whole (the App over a fake main process) in Spanish: the counselor's screens,
// their forms and dialogs, the lock screen in each of its phases, and the kiosk's screens. Each fails on a message
// missing from the Spanish catalog (react-intl reports it) and on any English left in what the screen shows.
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOGS } from '../../renderer/src/i18n/catalogs';
import { onTranslationError } from '../../renderer/src/i18n/translator';
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
beforeEach(() => {
  world = fakeWorld();
  world.lock.language = 'es';
  problems.length = 0;
});
afterEach(() => {
  cleanup();
  queryClient.clear();
});

async function show(hash: string) {
  window.history.replaceState(null, '', hash);
  render(<App />);
}

/** The screen as it is now: in Spanish, every message found, no English. */
function expectSpanish(screenName: string) {
  expect(document.documentElement.lang, screenName).toBe('es');
  expect(problems, screenName).toEqual([]);
  expect(englishLeft(visibleStrings(), CATALOGS.es as Record<string, string>), screenName).toEqual([]);
}

/** A new learner's required fields, then Register: the form's own rules come next. */
async function fillNames() {
  await userEvent.type(screen.getByLabelText('Nombre'), 'Ada');
  await userEvent.type(screen.getByLabelText('Apellido'), 'Lovelace');
  await userEvent.type(screen.getByLabelText('Correo electrónico'), 'ada@ejemplo.org');
  await userEvent.click(screen.getByRole('button', { name: 'Registrar' }));
}

/** The sync indicator has heard the main process (it is on every counselor screen). */
const syncShown = () => screen.findByText(/^Sin conexión desde las /);

describe('every screen in Spanish', () => {
  it('the dashboard, with its figures, filters and exports', async () => {
    await show('#/?from=2031-01-01&to=2030-12-31&status=all&center=sur');
    await screen.findByRole('heading', { name: 'Metas de aprendizaje' });
    await syncShown();
    expect(screen.getByRole('heading', { level: 1, name: 'Panel' })).toBeTruthy();
    expect(screen.getByText('1200 estudiantes, 1000 con perfil.')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Metas de aprendizaje' })).getByText('Ganar más dinero')).toBeTruthy();
    expectSpanish('dashboard');
  });

  it('the learner list, with the dashboard’s filters on it', async () => {
    await show('#/learners?goal=To+make+more+money&employment=not_given&study=6-10&career=Healthcare&progress=in_progress&profile=missing&center=norte&from=2031-01-01&to=2031-12-31&show=archived');
    await screen.findByText('1 estudiante con estos filtros');
    await syncShown();
    expect(screen.getByRole('list', { name: 'Filtros del panel' }).textContent).toContain('Meta: Ganar más dinero');
    expectSpanish('learner list');
  });

  it('a learner’s page, its profile, and both of its forms', async () => {
    await show(`#/learners/${LEARNER_ID}`);
    await screen.findByText('Trabajar con animales');
    await screen.findByText(/Primeros auxilios/);
    await syncShown();
    expect(screen.getByText('Sentir orgullo de lo que he logrado', { exact: false })).toBeTruthy();
    expectSpanish('learner page');

    await userEvent.click(screen.getByRole('button', { name: 'Editar perfil' }));
    await screen.findByRole('form', { name: 'Editar el perfil' });
    expect(screen.getByLabelText(/^Salud/)).toBeTruthy();
    expectSpanish('profile form');
    await userEvent.click(within(screen.getByRole('form', { name: 'Editar el perfil' })).getByRole('button', { name: 'Cancelar' }));

    await userEvent.click(screen.getByRole('button', { name: 'Editar datos' }));
    await screen.findByRole('form', { name: 'Editar el estudiante' });
    expectSpanish('learner form');
  });

  it('an archived learner without a profile', async () => {
    world.profile = null;
    (world.learner as { is_archived: boolean }).is_archived = true;
    await show(`#/learners/${LEARNER_ID}`);
    await screen.findByText(/todavía no tiene perfil\. Desarchive/);
    await syncShown();
    expectSpanish('archived learner');
  });

  it('registration, with its refusals beside the fields', async () => {
    await show('#/learners/new');
    await screen.findByRole('heading', { level: 1, name: 'Registrar un estudiante' });
    await syncShown();
    await userEvent.click(screen.getByRole('button', { name: 'Registrar' }));
    await waitFor(() => expect(screen.getAllByText('Este campo es obligatorio')).toHaveLength(3));
    expectSpanish('registration, required fields');
    await fillNames();
    await screen.findByText('Elija el centro del estudiante');
    expectSpanish('registration, the center');
  });

  it('the conflicts to review', async () => {
    await show('#/conflicts');
    await screen.findByText('Restaurar el estudiante con este cambio');
    await syncShown();
    expectSpanish('conflicts');
  });

  it('settings, with held deletions, backups, and a database set aside', async () => {
    world.sync = { ...world.sync, heldDeletes: 40, error: 'The server would delete 40 of the 50 learners on this device. Nothing was deleted; confirm in Settings if this is expected.' };
    await show('#/settings');
    await screen.findByRole('list', { name: 'Copias de seguridad' });
    await screen.findByText('Acerca de');
    await screen.findByText('Perfiles de Estudiantes, versión 0.1.0');
    await syncShown();
    expect(screen.getByRole('button', { name: 'Permitir estas 40 eliminaciones' })).toBeTruthy();
    expectSpanish('settings');
  });

  it('the printable profile', async () => {
    await show(`#/learners/${LEARNER_ID}/print`);
    await screen.findByRole('article', { name: 'Perfil del estudiante para imprimir' });
    await syncShown();
    expect(screen.getByText('correo electrónico')).toBeTruthy();
    expectSpanish('print');
  });

  it('an address that leads nowhere', async () => {
    await show('#/ninguna-parte');
    await screen.findByText('Esta página no existe.');
    await syncShown();
    expectSpanish('not found');
  });
});

describe('the lock screen in Spanish', () => {
  const before = navigator.languages;
  afterEach(() => Object.defineProperty(navigator, 'languages', { value: before, configurable: true }));

  it('follows the system’s language before the data (which keeps the setting) is open', async () => {
    world.lock = { ...world.lock, phase: 'new-passphrase', language: null, unlockWith: [], canLock: false };
    Object.defineProperty(navigator, 'languages', { value: ['es-MX', 'en-US'], configurable: true });
    await show('#/');
    await screen.findByRole('heading', { name: 'Elija una frase de contraseña' });
    expectSpanish('new passphrase');
    cleanup();
    world.lock = { ...world.lock, phase: 'passphrase', unlockWith: ['passphrase'] };
    world.answers.set('app.unlock', () => ({ status: 403, body: { success: false, message: 'Wrong passphrase', data: null } }));
    await show('#/');
    await userEvent.type(await screen.findByLabelText('Frase de contraseña'), 'no es esta');
    await userEvent.click(screen.getByRole('button', { name: 'Abrir' }));
    await screen.findByText(/^La frase de contraseña no es correcta/);
    expectSpanish('passphrase');
  });

  it('says what it is doing, and why the data could not be opened', async () => {
    for (const phase of ['starting', 'restoring'] as const) {
      world.lock = { ...world.lock, phase };
      await show('#/');
      await screen.findByText('Esto toma un momento.');
      expectSpanish(phase);
      cleanup();
    }
    world.lock = {
      ...world.lock,
      phase: 'failed',
      message:
        'The database in /datos/perfiles is encrypted with another key than the one this device has (/datos/perfiles/data-key.json). Nothing was changed. If the key file was replaced or lost, put the right one back and start the app again.',
    };
    await show('#/');
    await screen.findByRole('heading', { name: 'No se pudieron abrir los datos' });
    expectSpanish('failed');
  });

  it('when locked, in the device’s language', async () => {
    world.lock = { ...world.lock, locked: true };
    world.answers.set('app.unlock', () => ({ status: 429, body: { success: false, message: 'Too many wrong PINs: try again in 60 seconds', data: null } }));
    await show('#/');
    await screen.findByRole('heading', { name: 'Bloqueada' });
    await userEvent.type(screen.getByLabelText('PIN del personal'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Desbloquear con el PIN' }));
    await screen.findByText('Demasiados PIN incorrectos: inténtelo de nuevo en 60 segundos');
    expectSpanish('locked');
  });
});

describe('the kiosk in Spanish', () => {
  beforeEach(() => {
    world.session = { ...world.session, kiosk: true };
    world.settings.kiosk = true;
  });

  it('welcomes, in the device’s language', async () => {
    await show('#/');
    await screen.findByRole('heading', { name: 'Le damos la bienvenida' });
    expectSpanish('welcome');
  });

  it('registers, asking for the date of birth', async () => {
    await show('#/register');
    await screen.findByRole('heading', { name: 'Registrarme' });
    await fillNames();
    await screen.findByText('Escriba su fecha de nacimiento: la necesitará para volver a su perfil');
    expectSpanish('kiosk registration');
  });

  it('finds a profile, and says so when it cannot', async () => {
    world.answers.set('kiosk.identify', () => ({
      status: 404,
      body: { success: false, message: 'We could not find a profile with these details. Check them and try again, or ask a staff member for a code.', data: null },
    }));
    await show('#/find');
    await screen.findByRole('heading', { name: 'Buscar mi perfil' });
    await userEvent.type(screen.getByLabelText('Su correo electrónico'), 'ada@ejemplo.org');
    await userEvent.type(screen.getByLabelText('Su fecha de nacimiento'), '1990-04-12');
    await userEvent.click(screen.getByRole('button', { name: 'Abrir mi perfil' }));
    await screen.findByText(/^No encontramos un perfil con estos datos/);
    expectSpanish('find, by details');
    await userEvent.click(screen.getByText('Tengo un código'));
    await screen.findByLabelText('Su código');
    expectSpanish('find, by code');
  });

  it('shows the learner their own page, with or without a profile', async () => {
    world.session.learnerId = LEARNER_ID;
    await show('#/me');
    await screen.findByRole('heading', { name: 'Hola, Adita' });
    await screen.findByText('Su perfil está guardado.');
    expectSpanish('my page');
    cleanup();
    queryClient.clear();
    world.profile = null;
    await show('#/me');
    await screen.findByRole('heading', { name: 'Cuéntenos sobre sus metas' });
    expectSpanish('my page, no profile yet');
  });

  it('signs staff in, and refuses a wrong PIN', async () => {
    world.answers.set('kiosk.unlock', () => ({ status: 403, body: { success: false, message: 'Wrong PIN', data: null } }));
    await show('#/staff');
    await userEvent.type(await screen.findByLabelText('PIN del personal'), '000000');
    await userEvent.click(screen.getByRole('button', { name: 'Desbloquear' }));
    await screen.findByText('El PIN no es correcto. Revíselo e inténtelo de nuevo.');
    expectSpanish('staff sign-in');
  });

  it('gives staff the counselor screens, with their own controls', async () => {
    world.session.staff = true;
    await show('#/');
    await screen.findByRole('button', { name: 'Salir del modo quiosco' });
    await screen.findByRole('heading', { name: 'Metas de aprendizaje' });
    await syncShown();
    expectSpanish('staff session');
  });
});
