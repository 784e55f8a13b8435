// The preview's one-time download links: a file is handed out once, for ten minutes at most, and only the last few
// are kept (a report holds personal data: it should not linger in memory either).
import { describe, expect, it } from 'vitest';
import { DOWNLOAD_PATH, Downloads } from '../../electron/reports/deliveries';

const file = (name: string) => ({ name, type: 'text/csv', bytes: new TextEncoder().encode(name) });
const tokenOf = (delivery: { kind: string; url?: string }) => {
  expect(delivery.kind).toBe('download');
  expect(delivery.url!.startsWith(DOWNLOAD_PATH)).toBe(true);
  return delivery.url!.slice(DOWNLOAD_PATH.length);
};

describe('download links', () => {
  it('hand a file out once', async () => {
    const downloads = new Downloads();
    const token = tokenOf(await downloads.deliver(file('a.csv')));
    expect(token).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(downloads.take(token)?.name).toBe('a.csv');
    expect(downloads.take(token)).toBeUndefined();
    expect(downloads.take('A'.repeat(40))).toBeUndefined();
  });

  it('expire after ten minutes', async () => {
    let now = 0;
    const downloads = new Downloads(() => now);
    const token = tokenOf(await downloads.deliver(file('a.csv')));
    now = 10 * 60 * 1000;
    expect(downloads.take(token)).toBeUndefined();
  });

  it('keep only the last four files', async () => {
    const downloads = new Downloads();
    const tokens = [];
    for (const name of ['1', '2', '3', '4', '5']) tokens.push(tokenOf(await downloads.deliver(file(name))));
    expect(downloads.take(tokens[0]!)).toBeUndefined();
    expect(tokens.slice(1).map((token) => downloads.take(token)?.name)).toEqual(['2', '3', '4', '5']);
  });
});
