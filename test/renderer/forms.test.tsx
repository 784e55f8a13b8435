// @vitest-environment happy-dom
// Component tests of the screens' forms, with `window.api` replaced by a recording fake.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildClient } from '../../shared/client';
import type { Result } from '../../shared/result';

const calls: { id: string; args: unknown[] }[] = [];
let answer: (id: string, args: unknown[]) => Result = () => ({ status: 200, body: { success: true, message: 'ok', data: [] } });

beforeAll(() => {
  window.api = buildClient(
    async (id, args) => {
      calls.push({ id, args });
      return answer(id, args);
    },
    () => () => {},
  );
});
afterEach(() => {
  cleanup();
  calls.length = 0;
});

async function renderInRouter(element: React.ReactNode) {
  const { installFriendlyValidationMessages } = await import('../../renderer/src/lib/messages');
  installFriendlyValidationMessages();
  const router = createMemoryRouter([{ path: '/', element }, { path: '*', element: <p>elsewhere</p> }]);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe('learner form', () => {
  it('shows each error beside its field, focuses the first, and sends nothing', async () => {
    const { LearnerForm } = await import('../../renderer/src/pages/LearnerForm');
    const onSubmit = vi.fn();
    await renderInRouter(<LearnerForm mode="create" submitLabel="Register" onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Register' }));
    await waitFor(() => expect(screen.getAllByText('This field is required')).toHaveLength(3));
    expect(document.activeElement).toBe(screen.getByLabelText('First name'));
    expect(screen.getByLabelText('First name').getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('reads the date of birth back in words, since the date field shows it in the system order', async () => {
    const { LearnerForm } = await import('../../renderer/src/pages/LearnerForm');
    await renderInRouter(<LearnerForm mode="create" submitLabel="Register" onSubmit={vi.fn()} />);
    const field = screen.getByLabelText('Date of birth');
    expect(field.getAttribute('aria-describedby')).toBeNull();
    await userEvent.type(field, '2010-03-04');
    const hint = await screen.findByText('That is March 4, 2010');
    expect(field.getAttribute('aria-describedby')).toBe(hint.id);
  });

  it('asks for the center where the device serves several, and sends the one chosen', async () => {
    const { LearnerForm } = await import('../../renderer/src/pages/LearnerForm');
    const onSubmit = vi.fn(async (_body: unknown) => {});
    const centers = [
      { id: 'AAAAAAAAAAAAAAAAAAAA', name: 'Riverside' },
      { id: 'BBBBBBBBBBBBBBBBBBBB', name: 'Hillside' },
    ];
    await renderInRouter(<LearnerForm mode="create" submitLabel="Register" onSubmit={onSubmit} centers={centers} />);
    await userEvent.type(screen.getByLabelText('First name'), 'Ada');
    await userEvent.type(screen.getByLabelText('Last name'), 'Lovelace');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Register' }));
    await waitFor(() => expect(screen.getByText('Choose the learner’s center')).toBeTruthy());
    expect(onSubmit).not.toHaveBeenCalled();
    await userEvent.selectOptions(screen.getByLabelText('Center'), 'Hillside');
    await userEvent.click(screen.getByRole('button', { name: 'Register' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({ first_name: 'Ada', center_id: 'BBBBBBBBBBBBBBBBBBBB' });
  });

  it('asks nothing about centers where the device serves one', async () => {
    const { LearnerForm } = await import('../../renderer/src/pages/LearnerForm');
    await renderInRouter(<LearnerForm mode="create" submitLabel="Register" onSubmit={vi.fn()} centers={[{ id: 'AAAAAAAAAAAAAAAAAAAA', name: 'Riverside' }]} />);
    expect(screen.queryByLabelText('Center')).toBeNull();
  });

  it('sends the API body of a new learner: blanks left out, email lower-cased, the mobile typed as such', async () => {
    const { LearnerForm } = await import('../../renderer/src/pages/LearnerForm');
    const onSubmit = vi.fn(async (_body: unknown) => {});
    await renderInRouter(<LearnerForm mode="create" submitLabel="Register" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText('First name'), 'Ada');
    await userEvent.type(screen.getByLabelText('Last name'), 'Lovelace');
    await userEvent.type(screen.getByLabelText('Email'), 'Ada@Example.ORG');
    await userEvent.type(screen.getByLabelText('Mobile phone'), '+44 20 7946 0000');
    await userEvent.click(screen.getByRole('button', { name: 'Register' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]).toEqual([
      {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email_address: 'ada@example.org',
        gender: 'NotSelected',
        phone_number: { mobile: { phone_number: '+44 20 7946 0000', phone_number_type: 'Mobile', primary_phone_number_indicator: 'Yes' } },
      },
    ]);
  });

  it('sends only what an edit changed, a cleared field as "", and keeps the phone details the form does not show', async () => {
    const { LearnerForm } = await import('../../renderer/src/pages/LearnerForm');
    const time = '2024-01-01 00:00:00.000000+00:00';
    const mobile = { phone_number_type: 'Work', primary_phone_number_indicator: 'Yes', phone_number: '555 0100', phone_do_not_publish_indicator: 'No', phone_number_listed_status: 'Unlisted' } as const;
    const telephone = { phone_number_type: 'Home', primary_phone_number_indicator: 'No', phone_number: '555 0199', phone_do_not_publish_indicator: 'Yes', phone_number_listed_status: 'Listed' } as const;
    const learner = {
      uuid: 'L'.repeat(20), first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org', city: 'London',
      preferred_first_name: 'Addie', organisation_email_id: 'ada@college.example.org', phone_number: { mobile, telephone },
      latitude: '51.5', personal_information_type: 'kept', is_archived: false, created_time: time, last_modified_time: time,
    };
    const onSubmit = vi.fn(async (_body: unknown) => {});
    await renderInRouter(<LearnerForm mode="edit" learner={learner} submitLabel="Save" onSubmit={onSubmit} />);
    expect((screen.getByLabelText('Preferred given name') as HTMLInputElement).value).toBe('Addie');
    expect((screen.getByLabelText('Organisation email') as HTMLInputElement).value).toBe('ada@college.example.org');
    await userEvent.clear(screen.getByLabelText('City'));
    await userEvent.clear(screen.getByLabelText('Mobile phone'));
    await userEvent.type(screen.getByLabelText('Mobile phone'), '555 0111');
    await userEvent.type(screen.getByLabelText('Preferred family name'), 'Byron');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]).toEqual([
      { preferred_last_name: 'Byron', city: '', phone_number: { mobile: { ...mobile, phone_number: '555 0111' }, telephone } },
    ]);
  });

  it("puts the API's refusal of a duplicate email at the email field", async () => {
    const { LearnerForm } = await import('../../renderer/src/pages/LearnerForm');
    const { ApiError } = await import('../../renderer/src/lib/result');
    const message = 'Learner with the given email address ada@example.org already exists';
    const onSubmit = vi.fn(async () => {
      throw new ApiError({ status: 409, body: { success: false, message, data: null } });
    });
    await renderInRouter(<LearnerForm mode="create" submitLabel="Register" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText('First name'), 'Ada');
    await userEvent.type(screen.getByLabelText('Last name'), 'Lovelace');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Register' }));
    await screen.findByText(message);
    expect(document.activeElement).toBe(screen.getByLabelText('Email'));
  });
});

describe('profile form', () => {
  it('allows at most three career fields and counts personal-goal characters', async () => {
    answer = (id) => ({ status: 200, body: { success: true, message: 'ok', data: id === 'achievement.list' ? { records: [{ uuid: 'A'.repeat(20), type: 'competency', name: 'Teamwork' }], total_count: 1 } : [] } });
    const { ProfileForm } = await import('../../renderer/src/pages/ProfileForm');
    const onSubmit = vi.fn(async (_body: unknown) => {});
    await renderInRouter(<ProfileForm mode="create" onSubmit={onSubmit} onCancel={() => {}} />);
    for (const name of ['Healthcare', 'Legal', 'Sales']) await userEvent.click(screen.getByLabelText(new RegExp(`^${name}`)));
    expect((screen.getByLabelText(/^Protective service/) as HTMLInputElement).disabled).toBe(true);
    await userEvent.type(screen.getByLabelText('Personal goals'), 'Nurse');
    expect(screen.getByText('5 / 500 characters')).toBeTruthy();
    await userEvent.click(await screen.findByLabelText(/^Teamwork/));
    await userEvent.click(screen.getByRole('button', { name: 'Create profile' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]![0]).toMatchObject({
      potential_career_fields: ['Healthcare', 'Legal', 'Sales'],
      personal_goals: 'Nurse',
      achievements: ['A'.repeat(20)],
      learning_constraints: { weekly_study_time: 0 },
    });
  });
});

describe('sync indicator', () => {
  it('says sync is off and links to settings when no server is configured', async () => {
    answer = (id) => ({
      status: 200,
      body: { success: true, message: 'ok', data: id === 'sync.status' ? { state: 'disabled', lastSyncedAt: null, pending: 0, conflicts: 0, rejected: 0, error: null } : null },
    });
    const { SyncIndicator } = await import('../../renderer/src/components/SyncIndicator');
    await renderInRouter(<SyncIndicator />);
    await screen.findByText('Sync off');
    expect(screen.getByRole('link', { name: 'set up a server' }).getAttribute('href')).toBe('/settings');
  });

  it('shows pending changes and conflicts to review', async () => {
    answer = () => ({
      status: 200,
      body: { success: true, message: 'ok', data: { state: 'idle', lastSyncedAt: '2026-11-26 10:00:00.000000+00:00', pending: 3, conflicts: 2, rejected: 1, error: null } },
    });
    const { SyncIndicator } = await import('../../renderer/src/components/SyncIndicator');
    await renderInRouter(<SyncIndicator />);
    await screen.findByText('Synced');
    expect(screen.getByText('3 to send')).toBeTruthy();
    expect(screen.getByRole('link', { name: '2 to review' })).toBeTruthy();
    expect(screen.getByText('1 refused by the server')).toBeTruthy();
  });
});
