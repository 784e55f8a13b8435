// @vitest-environment happy-dom
// The learners page's import and export, with `window.api` replaced by a fake that the test drives: the progress bar
// follows the main process's progress events, and the summary says what was imported or what was refused.
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../shared/client';
import type { ChangeEvent } from '../../shared/desktop';
import type { Result } from '../../shared/result';

const calls: { id: string; args: unknown[] }[] = [];
const listeners = new Set<(events: ChangeEvent[]) => void>();
let answer: (id: string, args: unknown[]) => Promise<Result> = async () => ({ status: 200, body: { success: true, message: 'ok', data: [] } });

beforeAll(() => {
  window.api = buildClient(
    async (id, args) => {
      calls.push({ id, args });
      return answer(id, args);
    },
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  );
});
afterEach(() => {
  cleanup();
  calls.length = 0;
});

const emit = (events: ChangeEvent[]) => act(() => listeners.forEach((listener) => listener(events)));
const jsonFile = (content: string, name = 'learners.json') => new File([content], name, { type: 'application/json' });

async function renderPanel() {
  const { ImportExport } = await import('../../renderer/src/components/ImportExport');
  render(<ImportExport filter={{ text: 'ada', sort_by: 'first_name', sort_order: 'ascending' }} />);
}

describe('import and export', () => {
  it('imports a file: its records go to the import operation, a progress bar follows the main process, a summary ends it', async () => {
    let finish!: (result: Result) => void;
    answer = (id) => (id === 'learner.import' ? new Promise((resolve) => (finish = resolve)) : Promise.resolve({ status: 200, body: { success: true, message: 'ok', data: [] } }));
    await renderPanel();
    const records = [{ first_name: 'Ada' }, { first_name: 'Grace' }];
    await userEvent.upload(screen.getByLabelText('Import learners…'), jsonFile(JSON.stringify(records)));
    await waitFor(() => expect(calls.map((call) => call.id)).toContain('learner.import'));
    expect(calls.find((call) => call.id === 'learner.import')!.args).toEqual([records]);

    await emit([{ collection: 'progress', ids: [], progress: { operation: 'learner.import', phase: 'saving', done: 250, total: 1000 } }]);
    const bar = screen.getByRole('progressbar') as HTMLProgressElement;
    expect(bar.value).toBe(250);
    expect(bar.max).toBe(1000);
    expect(screen.getByRole('status').textContent).toContain('Saving 1,000 records from learners.json — 250 of 1,000');
    // Another operation's progress is not this one's.
    await emit([{ collection: 'progress', ids: [], progress: { operation: 'learnerProfile.import', phase: 'saving', done: 9, total: 10 } }]);
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBe(250);

    await act(async () => finish({ status: 200, body: { success: true, message: 'Successfully created the learners', data: ['A'.repeat(20), 'B'.repeat(20)] } }));
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
    expect(screen.getByRole('status').textContent).toBe('Imported 2 learners from learners.json.');
  });

  it('says which records were refused, and that nothing was imported', async () => {
    answer = async () => ({
      status: 422,
      body: {
        success: false,
        message: 'Validation Failed',
        data: [
          { loc: ['body', 1, 'email_address'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['body', 3, 'learner_id'], msg: 'Learner with uuid X not found', type: 'value_error.not_found' },
        ],
      },
    });
    await renderPanel();
    await userEvent.upload(screen.getByLabelText('Import learner profiles…'), jsonFile('[{}, {}, {}, {}]', 'profiles.json'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Nothing was imported: profiles.json has records that need fixing.');
    expect([...alert.querySelectorAll('li')].map((item) => item.textContent)).toEqual([
      'Record 2, email_address: field required',
      'Record 4, learner_id: Learner with uuid X not found',
    ]);
    expect(calls.map((call) => call.id)).toEqual(['learnerProfile.import']);
  });

  it('refuses a file that is not JSON before sending anything', async () => {
    await renderPanel();
    await userEvent.upload(screen.getByLabelText('Import learners…'), jsonFile('[{"first_name": '));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^learners\.json is not valid JSON \(.+\)\. Nothing was imported\.$/);
    expect(calls).toEqual([]);
  });

  it('exports the filtered list through the main process, with its progress, and downloads the file', async () => {
    let finish!: (result: Result) => void;
    answer = (id) => (id === 'report.exportLearners' ? new Promise((resolve) => (finish = resolve)) : Promise.resolve({ status: 200, body: { success: true, message: 'ok', data: [] } }));
    const clicked: { href: string; download: string }[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href')!, download: this.download });
    };
    try {
      await renderPanel();
      await userEvent.click(screen.getByRole('button', { name: 'Export list (XLSX)' }));
      expect(calls.find((call) => call.id === 'report.exportLearners')!.args).toEqual([
        { format: 'xlsx', query: { text: 'ada', sort_by: 'first_name', sort_order: 'ascending' } },
      ]);
      // Both export buttons wait while one export runs.
      expect((screen.getByRole('button', { name: 'Export list (CSV)' }) as HTMLButtonElement).disabled).toBe(true);
      await emit([{ collection: 'progress', ids: [], progress: { operation: 'report.exportLearners', phase: 'writing', done: 500, total: 2000 } }]);
      const bar = screen.getByRole('progressbar') as HTMLProgressElement;
      expect([bar.value, bar.max]).toEqual([500, 2000]);
      expect(screen.getByRole('status').textContent).toContain('Writing the list — 500 of 2,000');
      await act(async () =>
        finish({
          status: 200,
          body: { success: true, message: 'Exported the learners', data: { file_name: 'learners-2031-06-15.xlsx', rows: 2000, bytes: 1234, delivery: { kind: 'download', url: '/api/downloads/T' } } },
        }),
      );
      await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
      expect(clicked).toEqual([{ href: '/api/downloads/T', download: 'learners-2031-06-15.xlsx' }]);
      expect(screen.getByRole('status').textContent).toBe('Exported 2,000 rows to learners-2031-06-15.xlsx.');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
  });

  it('says where the app saved the file, or that it was not saved', async () => {
    const file = (delivery: unknown) => ({ status: 200, body: { success: true, message: 'ok', data: { file_name: 'learners.csv', rows: 3, bytes: 10, delivery } } });
    answer = async () => file({ kind: 'saved', path: '/home/counselor/learners.csv' });
    await renderPanel();
    await userEvent.click(screen.getByRole('button', { name: 'Export list (CSV)' }));
    expect((await screen.findByRole('status')).textContent).toBe('Exported 3 rows to /home/counselor/learners.csv.');
    answer = async () => file({ kind: 'cancelled' });
    await userEvent.click(screen.getByRole('button', { name: 'Export list (CSV)' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Not saved.'));
  });
});
