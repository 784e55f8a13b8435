// "Synced" is a claim that must be true now (../shared/spec/sync.md "When sync runs"): when the server stops, the
// status leaves "Synced" within 30 seconds and says since when, in plain words; when it is back, "Synced" again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/desktop';
import { startClient, startSyncServer, type SyncClient, type SyncServer } from '../support/sync-world';

describe('an honest sync status', { timeout: 180_000 }, () => {
  let server: SyncServer;
  let client: SyncClient;
  const status = async () => (await client.call<SyncStatus>('sync.status')).body.data!;

  beforeAll(async () => {
    server = await startSyncServer({});
    client = await startClient('a', server);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('leaves Synced within 30 s of the server stopping, and comes back when it returns', async () => {
    await client.call('sync.now');
    await expect.poll(async () => (await status()).state, { timeout: 20_000 }).toBe('idle');
    await server.kill();
    await expect.poll(async () => (await status()).state, { timeout: 30_000, interval: 500 }).not.toBe('idle');
    const away = await status();
    expect(away.state).toBe('offline');
    expect(away.offlineSince).not.toBeNull();
    expect(away.error).toMatch(/server/i);
    expect(away.error).not.toMatch(/fetch failed|ECONNREFUSED/);
    await server.restart();
    await expect.poll(async () => (await status()).state, { timeout: 60_000, interval: 500 }).toBe('idle');
    expect((await status()).offlineSince).toBeNull();
  });
});
