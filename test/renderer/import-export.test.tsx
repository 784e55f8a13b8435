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

  it('exports the filtered list page by page as CSV, formulas escaped', async () => {
    const time = '2024-01-01 00:00:00.000000+00:00';
    const learner = (i: number) => ({ uuid: String(i).padStart(20, 'L'), first_name: i === 0 ? '=HYPERLINK("x")' : `Ada${i}`, last_name: 'Lovelace', email_address: `ada${i}@example.org`, is_archived: false, created_time: time, last_modified_time: time });
    answer = async (_id, args) => {
      const { offset } = args[0] as { offset: number };
      const records = Array.from({ length: offset === 0 ? 500 : 2 }, (_, i) => learner(offset + i));
      return { status: 200, body: { success: true, message: 'ok', data: { records, total_count: 502 } } };
    };
    const saved: { name: string; blob: Blob }[] = [];
    const create = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob) => {
      saved.push({ name: '', blob });
      return 'blob:test';
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved.at(-1)!.name = this.download;
    };
    try {
      await renderPanel();
      await userEvent.click(screen.getByRole('button', { name: 'Export list (CSV)' }));
      expect((await screen.findByRole('status')).textContent).toBe('Exported 502 learners to CSV.');
      expect(calls.map((call) => call.args[0])).toEqual([
        { text: 'ada', sort_by: 'first_name', sort_order: 'ascending', offset: 0, limit: 500 },
        { text: 'ada', sort_by: 'first_name', sort_order: 'ascending', offset: 500, limit: 500 },
      ]);
      expect(saved).toHaveLength(1);
      expect(saved[0]!.name).toMatch(/^learners-\d{4}-\d{2}-\d{2}\.csv$/);
      const lines = (await saved[0]!.blob.text()).split(/\r?\n/);
      expect(lines).toHaveLength(503);
      expect(lines[0]).toBe('uuid,first_name,last_name,preferred_name,email_address,mobile_phone,home_phone,birth_date,city,postal_code,student_identifier,is_archived,created_time');
      expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    } finally {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
    }
  });
});
