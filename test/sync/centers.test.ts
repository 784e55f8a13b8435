// Two devices of two centers against one server, each in its own process: each holds only its own center's
// learners; a learner moved by an administrator leaves the old center's device (purged, not a delete the user must
// confirm) and reaches the new one; each device knows its name and centers, and its changes are signed with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BASE } from '../../server/app';
import type { Settings, SyncStatus } from '../../shared/desktop';
import { profileUuidFor } from '../../shared/ids';
import { syncPath } from '../../shared/sync-protocol';
import { startClient, startSyncServer, type SyncServer } from '../support/sync-world';

type Client = Awaited<ReturnType<typeof startClient>>;
type Learner = { uuid: string; center_id?: string };
const lastLine = (text: string) => text.trim().split('\n').at(-1)!;

describe('devices of two centers', { timeout: 240_000 }, () => {
  let server: SyncServer;
  let a: Client;
  let b: Client;
  let centerA: string;
  let centerB: string;
  let admin: string;

  const ids = async (client: Client) =>
    ((await client.call<{ records: Learner[] }>('learner.browse', { limit: 100 })).body.data?.records ?? []).map((l) => l.uuid).sort();
  const syncBoth = async () => {
    for (const client of [a, b, a, b]) await client.call('sync.now');
  };

  beforeAll(async () => {
    server = await startSyncServer({});
    // The server runs on PGlite: these commands are run by the server itself.
    const list = await server.cli(['center', 'list']);
    centerA = list.stdout.trim().split('\t')[0]!;
    centerB = lastLine((await server.cli(['center', 'create', 'Hillside'])).stdout);
    const tokenA = lastLine((await server.cli(['token', 'create', 'laptop-a', '--center', centerA])).stdout);
    const tokenB = lastLine((await server.cli(['token', 'create', 'laptop-b', '--center', centerB])).stdout);
    admin = lastLine((await server.cli(['token', 'create', 'office', '--admin'])).stdout);
    a = await startClient('a', server, { SYNC_TOKEN: tokenA });
    b = await startClient('b', server, { SYNC_TOKEN: tokenB });
    // Six processes start one after another (the server, four commands, two clients): on a busy machine that is a
    // minute or more.
  }, 240_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.close();
  });

  it('knows its name and centers from the server, and shows them in Settings', async () => {
    await syncBoth();
    expect((await a.call<Settings>('settings.get')).body.data?.identity).toEqual({ name: 'laptop-a', admin: false, centers: [{ id: centerA, name: 'default' }] });
    expect((await b.call<Settings>('settings.get')).body.data?.identity).toEqual({ name: 'laptop-b', admin: false, centers: [{ id: centerB, name: 'Hillside' }] });
  });

  it("holds only its own center's learners, and the server signs them with the name of the device that wrote them", async () => {
    const ofA = (await a.call<Learner>('learner.create', { first_name: 'Ana', last_name: 'A', email_address: 'ana@example.org' })).body.data!;
    const ofB = (await b.call<Learner>('learner.create', { first_name: 'Bo', last_name: 'B', email_address: 'bo@example.org' })).body.data!;
    expect(ofA.center_id).toBe(centerA);
    expect(ofB.center_id).toBe(centerB);
    expect((await a.call('learnerProfile.create', ofA.uuid, { personal_goals: 'Finish the course' })).status).toBe(200);
    await syncBoth();
    expect(await ids(a)).toEqual([ofA.uuid]);
    expect(await ids(b)).toEqual([ofB.uuid]);
    const pulled = await fetch(`${server.url}${syncPath('learners', 'pull')}?checkpoint=0&limit=100`, { headers: { authorization: `Bearer ${admin}` } });
    const docs = ((await pulled.json()) as { documents: { uuid: string; modified_by?: string }[] }).documents;
    expect(docs.find((d) => d.uuid === ofA.uuid)?.modified_by).toBe('laptop-a');
    expect(docs.find((d) => d.uuid === ofB.uuid)?.modified_by).toBe('laptop-b');
  });

  it("sees a learner moved to the other center leave this device and reach that center's device, profile too", async () => {
    const [moving] = await ids(a);
    // A change made here meanwhile cannot be sent any more: it is dropped with the record, and the status says so.
    a.proxy.setOnline(false);
    expect((await a.call('learner.update', moving, { city: 'Made before the move' })).status).toBe(200);
    const moved = await fetch(`${server.url}${API_BASE}/learner/${moving}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ center_id: centerB }),
    });
    expect(moved.status).toBe(200);
    a.proxy.setOnline(true);
    await expect
      .poll(async () => {
        await syncBoth();
        return [await ids(a), (await ids(b)).includes(moving!)];
      }, { timeout: 60_000, interval: 500 })
      .toEqual([[], true]);
    // Purged, not deleted: nothing held for the user to confirm, nothing left waiting to be sent. The counts follow
    // the outbox a moment later (they are taken once after a burst of writes).
    await expect
      .poll(async () => (await a.call<SyncStatus>('sync.status')).body.data, { timeout: 10_000, interval: 200 })
      .toMatchObject({ heldDeletes: 0, pending: 0, rejected: 0, movedAway: 1 });
    expect((await b.call<{ city?: string }>('learner.get', moving)).body.data?.city).not.toBe('Made before the move');
    expect((await a.call('learner.get', moving)).status).toBe(404);
    expect((await a.call('learnerProfile.get', moving, profileUuidFor(moving!))).status).toBe(404);
    expect((await b.call('learnerProfile.getByLearner', moving)).status).toBe(200);
  });

  it("follows a new token's centers: a wider one brings the added center's learners, a narrower one takes them away", async () => {
    const ofA = (await a.call<Learner>('learner.create', { first_name: 'Cy', last_name: 'A', email_address: 'cy@example.org' })).body.data!.uuid;
    expect((await a.call('learnerProfile.create', ofA, { personal_goals: 'Read every day' })).status).toBe(200);
    await syncBoth();
    // A later change of b's own center takes b's checkpoint past the other center's learner.
    expect((await b.call('learner.create', { first_name: 'Di', last_name: 'B', email_address: 'di@example.org' })).status).toBe(200);
    await syncBoth();
    const bOnly = await ids(b);
    expect(bOnly).not.toContain(ofA);
    const both = lastLine((await server.cli(['token', 'create', 'laptop-b-both', '--center', centerA, '--center', centerB])).stdout);
    const narrow = lastLine((await server.cli(['token', 'create', 'laptop-b-again', '--center', centerB])).stdout);
    const before = (await b.call<SyncStatus>('sync.status')).body.data!;

    expect((await b.call('settings.update', { token: both })).status).toBe(200);
    // Learners of the added center that were written long before this device's checkpoint arrive too, by themselves.
    await expect.poll(() => ids(b), { timeout: 60_000, interval: 500 }).toEqual([...bOnly, ofA].sort());
    expect((await b.call<Settings>('settings.get')).body.data?.identity?.centers.map((c) => c.id).sort()).toEqual([centerA, centerB].sort());

    // A change made under the wider token but not sent before the narrower one cannot be sent any more.
    b.proxy.setOnline(false);
    expect((await b.call('learner.update', ofA, { city: 'Made under the wider token' })).status).toBe(200);
    expect((await b.call('settings.update', { token: narrow })).status).toBe(200);
    b.proxy.setOnline(true);
    await expect.poll(async () => (await syncBoth(), await ids(b)), { timeout: 60_000, interval: 500 }).toEqual(bOnly);
    expect((await b.call('learner.get', ofA)).status).toBe(404);
    expect((await b.call('learnerProfile.getByLearner', ofA)).status).toBe(404);
    // Taken off, not deleted: the one unsent change counted, nothing left waiting, nothing held as a deletion.
    await expect
      .poll(async () => (await b.call<SyncStatus>('sync.status')).body.data, { timeout: 10_000, interval: 200 })
      .toMatchObject({ heldDeletes: 0, pending: 0, rejected: 0, movedAway: before.movedAway + 1 });
    // Still on the server as it was, and still on its own center's device.
    expect(await ids(a)).toContain(ofA);
    expect((await a.call<{ city?: string }>('learner.get', ofA)).body.data?.city).not.toBe('Made under the wider token');
    expect((await a.call('learnerProfile.getByLearner', ofA)).status).toBe(200);
  });
});
