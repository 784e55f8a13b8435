// The browser preview on a laptop: its bridge answers only the browser that opened the address with this launch's
// secret (other local processes get 401), pages cannot be framed, and its data opens only with its passphrase: given
// as DATA_PASSPHRASE, or asked in the window (test/e2e/first-start.test.ts); a wrong one changes nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_KEY_MESSAGE } from '../../electron/preview-server';
import { bridgeHost, type BridgeHost } from '../support/bridge-host';
import { PREVIEW_LINE, previewCaller, previewCookie, TEST_PASSPHRASE } from '../support/preview-client';
import { runScript, startScript } from '../support/processes';

const noKey = { status: 401, body: { success: false, message: NO_KEY_MESSAGE, data: null } };

describe('the preview bridge’s secret', () => {
  let host: BridgeHost;
  beforeAll(async () => {
    host = await bridgeHost();
  });
  afterAll(() => host?.close());

  it('answers 401 in the envelope to calls and the event stream without the cookie, or with another', async () => {
    const call = await fetch(`${host.baseUrl}/api/learner.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{}]' });
    expect(call.status).toBe(401);
    expect(await call.json()).toEqual(noKey);
    const forged = await fetch(`${host.baseUrl}/api/learner.list`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: host.cookie.replace(/=.*/, '=guess') }, body: '[{}]' });
    expect(forged.status).toBe(401);
    const events = await fetch(`${host.baseUrl}/api/events`, { headers: { accept: 'text/event-stream' } });
    expect(events.status).toBe(401);
    expect(await events.json()).toEqual(noKey);
    expect((await fetch(`${host.baseUrl}/`)).status).toBe(401);
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the right key and sends the browser on without it in the address', async () => {
    const wrong = await fetch(`${host.baseUrl}/?key=not-the-key`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const secret = host.cookie.split('=')[1]!;
    const right = await fetch(`${host.baseUrl}/?key=${secret}`, { redirect: 'manual' });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/');
    expect(right.headers.get('set-cookie')).toMatch(/^preview_key_\d+=[A-Za-z0-9_-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    // No page of the preview may be framed, whatever the answer.
    for (const response of [wrong, right]) expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await host.call('learner.list', {})).status).toBe(200);
  });
});

describe('the preview’s passphrase', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-preview-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const env = (dataDir: string, extra: Record<string, string> = {}) => ({ PORT: '0', DATA_DIR: dataDir, RENDERER_DIR: join(dataDir, 'none'), ...extra });

  it('without DATA_PASSPHRASE, starts on the passphrase screen and opens nothing, nor writes any data, until one is chosen', async () => {
    const dataDir = join(tempDir(), 'data');
    expect(process.env.DATA_PASSPHRASE).toBeUndefined();
    const preview = startScript('electron/preview.ts', [], env(dataDir), PREVIEW_LINE);
    try {
      const [, url, secret] = await preview.match;
      const call = previewCaller(url!, await previewCookie(url!, secret!));
      expect((await call('app.lockState')).body.data).toMatchObject({ phase: 'new-passphrase' });
      expect((await call('learner.list', {})).status).toBe(403);
      expect(existsSync(dataDir) ? readdirSync(dataDir, { recursive: true }) : []).toEqual([]);
      expect((await call('app.createPassphrase', { passphrase: 'too short', confirm: 'too short' })).status).toBe(422);
      expect(existsSync(dataDir) ? readdirSync(dataDir, { recursive: true }) : []).toEqual([]);
      expect((await call('app.createPassphrase', { passphrase: TEST_PASSPHRASE, confirm: TEST_PASSPHRASE })).status).toBe(200);
      expect((await call('learner.list', {})).status).toBe(200);
    } finally {
      preview.child.kill('SIGTERM');
      await preview.exited;
    }
  });

  it('takes a new passphrase of 12 characters or more, prints its address with the key, and opens only with it later', async () => {
    const dataDir = tempDir();
    const short = await runScript('electron/preview.ts', [], env(dataDir, { DATA_PASSPHRASE: 'too short' }));
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    expect(readdirSync(dataDir)).toEqual([]);

    const preview = startScript('electron/preview.ts', [], env(dataDir, { DATA_PASSPHRASE: TEST_PASSPHRASE }), PREVIEW_LINE);
    const [, url, secret] = await preview.match;
    const call = previewCaller(url!, await previewCookie(url!, secret!));
    expect((await call('learner.create', { first_name: 'Pia', last_name: 'Preview', email_address: 'pia.preview@example.org' })).status).toBe(200);
    preview.child.kill('SIGTERM');
    expect(await preview.exited).toBe(0);

    const files = () => new Map(readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name))]));
    const before = files();
    const wrong = await runScript('electron/preview.ts', [], env(dataDir, { DATA_PASSPHRASE: 'not the passphrase at all' }));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('The passphrase does not open the data');
    const after = files();
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [file, bytes] of before) expect(after.get(file)!.equals(bytes), file).toBe(true);
    expect(wrong.stdout + wrong.stderr).not.toContain('not the passphrase at all');

    const again = startScript('electron/preview.ts', [], env(dataDir, { DATA_PASSPHRASE: TEST_PASSPHRASE }), PREVIEW_LINE);
    const [, url2, secret2] = await again.match;
    expect(secret2).not.toBe(secret);
    const call2 = previewCaller(url2!, await previewCookie(url2!, secret2!));
    expect((await call2('learner.search', { email_address: 'pia.preview@example.org' })).body.data).toEqual([expect.objectContaining({ first_name: 'Pia' })]);
    again.child.kill('SIGTERM');
    await again.exited;
  });
});
