// The staff side of a kiosk: the PIN provisioned once from the environment and then only from its stored hash,
// backoff after wrong PINs that survives a restart, a staff session that sees everything and locks again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bridgeHost } from '../support/bridge-host';

const call = (host: Awaited<ReturnType<typeof bridgeHost>>, id: string, ...args: unknown[]) => host.call(id as never, ...args);

describe('kiosk staff PIN and session', { timeout: 60_000 }, () => {
  it('refuses to start a kiosk without a PIN of at least 6 digits', async () => {
    await expect(bridgeHost({ kiosk: { enabled: true, pin: '2468' } })).rejects.toThrow(/at least 6 digits/);
    await expect(bridgeHost({ kiosk: { enabled: true } })).rejects.toThrow(/KIOSK_PIN/);
  });

  it('takes KIOSK_PIN once, then only the stored hash', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lp-kiosk-pin-'));
    const first = await bridgeHost({ kiosk: { enabled: true, pin: '135790' }, dataDir });
    expect((await call(first, 'kiosk.unlock', '135790')).status).toBe(200);
    await first.app.close();
    await first.services.close();
    const second = await bridgeHost({ kiosk: { enabled: true, pin: '999999' }, dataDir });
    try {
      expect((await call(second, 'kiosk.unlock', '999999')).status).toBe(403);
      expect((await call(second, 'kiosk.unlock', '135790')).status).toBe(200);
      // Staff change it from the settings screen while unlocked.
      expect((await call(second, 'kiosk.setPin', { pin: '12345' })).status).toBe(422);
      expect((await call(second, 'kiosk.setPin', { pin: '24681357' })).status).toBe(200);
      await call(second, 'kiosk.lock');
      expect((await call(second, 'kiosk.setPin', { pin: '00000000' })).status).toBe(403);
      expect((await call(second, 'kiosk.unlock', '24681357')).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('backs off after wrong PINs, across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lp-kiosk-backoff-'));
    const host = await bridgeHost({ kiosk: { enabled: true, pin: '864209' }, dataDir });
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) answers.push((await call(host, 'kiosk.unlock', '000000')).status);
    expect(answers).toEqual([403, 403, 429, 429]);
    await host.app.close();
    await host.services.close();
    const restarted = await bridgeHost({ kiosk: { enabled: true }, dataDir });
    try {
      const right = await call(restarted, 'kiosk.unlock', '864209');
      expect(right.status).toBe(429);
      expect(right.body.message).toMatch(/try again in \d+ seconds/);
    } finally {
      await restarted.close();
    }
  });

  it('unlocks the counselor operations for staff until Lock, and locks by itself when idle', async () => {
    const host = await bridgeHost({ kiosk: { enabled: true, pin: '975310', idleSeconds: 1 } });
    try {
      expect((await call(host, 'learner.browse', {})).status).toBe(403);
      expect((await call(host, 'kiosk.unlock', '975310')).body.data).toMatchObject({ staff: true });
      expect((await call(host, 'learner.browse', {})).status).toBe(200);
      expect((await call(host, 'settings.get')).status).toBe(200);
      await call(host, 'kiosk.lock');
      expect((await call(host, 'learner.browse', {})).status).toBe(403);

      await call(host, 'kiosk.unlock', '975310');
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      expect((await call(host, 'learner.browse', {})).status).toBe(403);
      expect((await call(host, 'app.session')).body.data).toMatchObject({ staff: false });
    } finally {
      await host.close();
    }
  });
});
