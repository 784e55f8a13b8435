// The app:// handler that serves the packaged renderer: what it serves and refuses, and the built renderer loaded
// through it in Chromium with its Content-Security-Policy header (a blank window is the failure this guards).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOperationIds } from '../../shared/contract';
import { APP_URL, CONTENT_SECURITY_POLICY, createRendererHandler } from '../../electron/app-protocol';
import { bridgeHost } from '../support/bridge-host';
import { buildRenderer, launchChromium } from '../support/browser';

describe('app:// renderer handler', () => {
  const root = mkdtempSync(join(tmpdir(), 'lp-app-scheme-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(tmpdir(), 'lp-outside.txt'), 'secret');
  const handle = createRendererHandler(root);

  it('serves index.html with the policy as a header', async () => {
    const response = await handle(new Request(APP_URL));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(await response.text()).toContain('<title>t</title>');
    expect((await handle(new Request('app://bundle/'))).status).toBe(200);
  });

  it('refuses what lies outside the bundle, other hosts, missing files and writes', async () => {
    for (const url of ['app://bundle/../lp-outside.txt', 'app://bundle/%2e%2e/lp-outside.txt', 'app://bundle/..%2flp-outside.txt', 'app://bundle/missing.js', 'app://other/index.html']) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
    expect((await handle(new Request('app://bundle/%00x'))).status).toBe(400);
    expect((await handle(new Request(APP_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('the built renderer through the app:// handler, in Chromium', { timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let host: Awaited<ReturnType<typeof bridgeHost>>;
  let base = '';
  beforeAll(async () => {
    const handle = createRendererHandler(await buildRenderer());
    // Chromium cannot register a custom scheme outside Electron: the same handler answers over loopback HTTP.
    server = createServer(async (req, res) => {
      const response = await handle(new Request(`http://${req.headers.host}${req.url}`, { method: req.method }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    host = await bridgeHost();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await host?.close();
  });

  it('loads the module script under the policy and draws the screens', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    // What the preload gives the page in Electron: one function per operation over IPC, here over a binding.
    await page.exposeBinding('invokeMain', (_source, id: string, args: unknown[]) => host.services.api.handle(id, args));
    await page.addInitScript((ids: string[]) => {
      const api: Record<string, unknown> = { subscribe: () => () => {} };
      for (const id of ids) {
        const [namespace, method] = id.split('.') as [string, string];
        const target = (api[namespace] ??= {}) as Record<string, unknown>;
        target[method] = (...args: unknown[]) => (window as unknown as { invokeMain(id: string, args: unknown[]): Promise<unknown> }).invokeMain(id, args);
      }
      (window as unknown as { api: unknown }).api = api;
    }, [...apiOperationIds]);
    const response = await page.goto(`${base}/index.html`);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // The first screen is the dashboard, its charts drawn under the policy too.
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByRole('link', { name: 'Register', exact: true }).waitFor();
    expect(problems).toEqual([]);
  });
});
