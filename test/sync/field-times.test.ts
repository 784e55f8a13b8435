// Field edit times decide conflicts (../shared/spec/sync.md "Conflicts"), in a known order, with three devices in
// their own processes: the later edit of each field wins, whichever record was edited last; the value that lost is in
// the conflict log on every device, with both devices' names; a device whose clock is days ahead does not win, and
// one that never met the server before is told, and its edits still arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresUrl } from '../support/backends';
import { startClient, startSyncServer, type Doc, type SyncClient, type SyncServer } from '../support/sync-world';

const DAYS_AHEAD = 3 * 24 * 60 * 60_000;
const pause = (ms = 60) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`field edit times on ${backend}`, { timeout: 300_000 }, () => {
    let server: SyncServer;
    let a: SyncClient;
    let b: SyncClient;
    let fast: SyncClient;
    let n = 0;
    const everyone = () => [a, b, fast];
    const syncAll = async () => {
      for (const client of [...everyone(), ...everyone()]) await client.call('sync.now');
    };
    const newLearner = async () => {
      const learner = (await a.call<Doc>('learner.create', { first_name: `Field${n}`, last_name: 'Times', email_address: `field.${n++}.${Date.now()}@example.org`, city: 'Lyon', postal_code: '69001' })).body.data!;
      await syncAll();
      return learner;
    };
    const offline = (...clients: SyncClient[]) => clients.forEach((client) => client.proxy.setOnline(false));
    const online = (...clients: SyncClient[]) => clients.forEach((client) => client.proxy.setOnline(true));

    beforeAll(async () => {
      server = await startSyncServer(backend === 'postgres' ? { DATABASE_URL: await freshPostgresUrl() } : {});
      [a, b, fast] = await Promise.all([
        startClient('a', server),
        startClient('b', server),
        startClient('fast', server, { SIMULATED_CLOCK_SKEW_MS: String(DAYS_AHEAD) }),
      ]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all(everyone().map((client) => client?.close()));
      await server?.close();
    });

    it('keeps the later edit of each field, not of the record, and logs the other on every device', async () => {
      const learner = await newLearner();
      offline(a, b);
      await a.call('learner.update', learner.uuid, { city: 'Paris' });
      await pause();
      await b.call('learner.update', learner.uuid, { city: 'Nice' });
      await pause();
      await a.call('learner.update', learner.uuid, { postal_code: '75001' });
      // A reaches the server first, B after: the record's last edit is A's, the city's is B's.
      online(a);
      await a.call('sync.now');
      online(b);
      await syncAll();
      for (const client of everyone()) {
        expect((await client.call<Doc>('learner.get', learner.uuid)).body.data, client.name).toMatchObject({ city: 'Nice', postal_code: '75001' });
        const entries = (await client.conflicts()).filter((c) => c.recordId === learner.uuid);
        expect(entries, client.name).toEqual([
          expect.objectContaining({ field: 'city', kind: 'field', kept: 'Nice', lost: 'Paris', keptDevice: 'Laptop B', lostDevice: 'Laptop A', learnerName: `${learner.first_name} Times` }),
        ]);
      }
    });

    it('does not let a clock days ahead win: edits are dated by the server’s time once the device has met it', async () => {
      const learner = await newLearner();
      offline(a, fast);
      await fast.call('learner.update', learner.uuid, { city: 'Fast first' });
      // Clocks agree to within a few milliseconds once corrected, not to the microsecond: a second apart is an order.
      await pause(1_000);
      await a.call('learner.update', learner.uuid, { city: 'Slow but later' });
      online(fast, a);
      await syncAll();
      for (const client of everyone()) expect((await client.call<Doc>('learner.get', learner.uuid)).body.data, client.name).toMatchObject({ city: 'Slow but later' });
      expect((await fast.call<{ clockWarning: string | null }>('sync.status')).body.data!.clockWarning).toMatch(/clock is 3 days ahead/);
      expect((await a.call<{ clockWarning: string | null }>('sync.status')).body.data!.clockWarning).toBeNull();
    });

    it('re-dates the edits of a device whose wrong clock the server refused, and they arrive', async () => {
      const late = await startClient('never-met', server, { SIMULATED_CLOCK_SKEW_MS: String(DAYS_AHEAD) });
      try {
        late.proxy.setOnline(false);
        const created = (await late.call<Doc>('learner.create', { first_name: 'Offline', last_name: 'Clock', email_address: `clock.${Date.now()}@example.org` })).body.data!;
        late.proxy.setOnline(true);
        await expect
          .poll(async () => (await late.call('sync.now')).body.data, { timeout: 60_000, interval: 500 })
          .toMatchObject({ pending: 0, rejected: 0 });
        await a.call('sync.now');
        expect((await a.call<Doc>('learner.get', created.uuid)).body.data).toMatchObject({ first_name: 'Offline' });
        expect((await late.call<{ clockWarning: string | null }>('sync.status')).body.data!.clockWarning).toMatch(/ahead/);
      } finally {
        await late.close();
      }
    });
  });
}
