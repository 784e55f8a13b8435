// @vitest-environment happy-dom
// Choosing the language: in Settings it is saved on the device (the main process keeps it, and the lock state carries
// it to every screen) and the screens switch at once; at a kiosk's welcome a learner picks theirs for their visit
// only, without touching the device's settings, and the next person starts in the device's language again.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeWorld, installFakeMain, type FakeWorld } from '../support/fake-main';

let world: FakeWorld;
let calls: { id: string; args: unknown[] }[];
let App: typeof import('../../renderer/src/App').App;
let queryClient: typeof import('../../renderer/src/lib/queries').queryClient;

beforeAll(async () => {
  calls = installFakeMain(() => world);
  ({ App } = await import('../../renderer/src/App'));
  ({ queryClient } = await import('../../renderer/src/lib/queries'));
});
beforeEach(() => {
  world = fakeWorld();
  calls.length = 0;
});
afterEach(() => {
  vi.useRealTimers();
  cleanup();
  queryClient.clear();
});

async function show(hash: string) {
  window.history.replaceState(null, '', hash);
  render(<App />);
}

describe('the language in Settings', () => {
  it('starts in the system’s language while none is chosen', async () => {
    await show('#/settings');
    await screen.findByRole('heading', { level: 1, name: 'Settings' });
    expect(document.documentElement.lang).toBe('en');
    expect((screen.getByRole('radio', { name: 'English' }) as HTMLInputElement).checked).toBe(true);
  });

  it('names each language in its own words, is saved on the device, and switches every screen at once', async () => {
    await show('#/settings');
    await screen.findByRole('heading', { level: 1, name: 'Settings' });
    const spanish = screen.getByRole('radio', { name: 'Español' });
    expect(spanish.closest('label')?.getAttribute('lang')).toBe('es');
    await userEvent.click(spanish);

    await screen.findByRole('heading', { level: 1, name: 'Configuración' });
    expect(calls.filter((call) => call.id === 'settings.update').map((call) => call.args[0])).toEqual([{ language: 'es' }]);
    expect(document.documentElement.lang).toBe('es');
    expect(document.title).toBe('Perfiles de Estudiantes');
    expect(screen.getByRole('link', { name: 'Panel' })).toBeTruthy();
    expect((screen.getByRole('radio', { name: 'Español' }) as HTMLInputElement).checked).toBe(true);

    // The app starts again: the language comes back from the main process.
    cleanup();
    queryClient.clear();
    await show('#/settings');
    await screen.findByRole('heading', { level: 1, name: 'Configuración' });
    await userEvent.click(screen.getByRole('radio', { name: 'English' }));
    await screen.findByRole('heading', { level: 1, name: 'Settings' });
    expect(document.documentElement.lang).toBe('en');
  });
});

describe('the language at a kiosk', () => {
  beforeEach(() => {
    world.session = { ...world.session, kiosk: true, idleSeconds: 120 };
    world.settings.kiosk = true;
  });

  it('is the learner’s pick for their visit, and the device’s again after the idle time', async () => {
    await show('#/');
    await screen.findByRole('heading', { name: 'Welcome' });
    const english = screen.getByRole('button', { name: 'English' });
    const spanish = screen.getByRole('button', { name: 'Español' });
    expect(english.getAttribute('aria-pressed')).toBe('true');
    expect([english.getAttribute('lang'), spanish.getAttribute('lang')]).toEqual(['en', 'es']);

    await userEvent.click(spanish);
    await screen.findByRole('heading', { name: 'Le damos la bienvenida' });
    expect(document.documentElement.lang).toBe('es');
    expect(screen.getByRole('button', { name: 'Español' }).getAttribute('aria-pressed')).toBe('true');
    // It holds through the visit's screens.
    await userEvent.click(screen.getByRole('link', { name: /Registrarme/ }));
    await screen.findByRole('heading', { name: 'Registrarme' });
    // A kiosk never changes the device's settings (the main process would refuse it anyway).
    expect(calls.some((call) => call.id.startsWith('settings.'))).toBe(false);

    // Nobody touches the screen for the idle time: the next person starts in the device's language.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    fireEvent.keyDown(window);
    await act(async () => {
      vi.advanceTimersByTime(world.session.idleSeconds * 1000);
    });
    vi.useRealTimers();
    await screen.findByRole('heading', { name: 'Welcome' });
    expect(document.documentElement.lang).toBe('en');
    expect(calls.some((call) => call.id === 'kiosk.done')).toBe(true);
  });

  it('is forgotten when the learner presses Done', async () => {
    world.answers.set('kiosk.done', () => {
      world.session.learnerId = null;
      return { status: 200, body: { success: true, message: 'See you next time', data: world.session } };
    });
    await show('#/');
    await userEvent.click(await screen.findByRole('button', { name: 'Español' }));
    await screen.findByRole('heading', { name: 'Le damos la bienvenida' });
    // The learner finds their profile: the session is theirs now.
    world.session.learnerId = world.learner.uuid;
    await act(() => queryClient.invalidateQueries({ queryKey: ['session'] }));
    await screen.findByRole('heading', { name: 'Hola, Adita' });
    await userEvent.click(screen.getAllByRole('button', { name: 'Listo' })[0]!);
    await screen.findByRole('heading', { name: 'Welcome' });
    expect(document.documentElement.lang).toBe('en');
  });
});
