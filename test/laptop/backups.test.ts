// Backups as Settings uses them: listed newest first with what each holds, restored (the app reopens on the restored
// data, under a new replica identity, after keeping what it replaced), kept to the newest N (and files set aside as
// damaged too), and refused with a plain reason when another device's key made them or they are damaged.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupEntry } from '../../shared/desktop';
import { uniqueEmail } from '../contract/cases';
import { bridgeHost, type BridgeHost } from '../support/bridge-host';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-backups-'));
  dirs.push(dir);
  return dir;
};
const hosts: BridgeHost[] = [];
const open = async (options: Parameters<typeof bridgeHost>[0] = {}) => {
  const host = await bridgeHost({ dataDir: tempDir(), ...options });
  hosts.push(host);
  return host;
};
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close().catch(() => {});
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

const createLearner = async (host: BridgeHost, first_name: string) => {
  const created = await host.call('learner.create', { first_name, last_name: 'Backup', email_address: uniqueEmail() });
  expect(created.status).toBe(200);
  const uuid = (created.body.data as { uuid: string }).uuid;
  expect((await host.call('learnerProfile.create', uuid, {})).status).toBe(200);
  return uuid;
};
const list = async (host: BridgeHost) => (await host.call('app.listBackups')).body.data as BackupEntry[];
const names = async (host: BridgeHost) => ((await host.call('learner.list', { sort_by: 'first_name', sort_order: 'ascending' })).body.data as { records: { first_name: string }[] }).records.map((l) => l.first_name);

describe('backups', { timeout: 120_000 }, () => {
  it('round trip: a backup lists what it holds, and restoring it brings that back under a new replica identity', async () => {
    const host = await open();
    await createLearner(host, 'Ada');
    const made = await host.call('app.backup');
    expect(made.body.data).toMatchObject({ status: 'ok', learners: 1, profiles: 1, path: expect.stringContaining(join(host.dataDir, 'backups')) });
    await createLearner(host, 'Bea');
    await createLearner(host, 'Cy');
    const replicaBefore = readFileSync(join(host.dataDir, 'replica-id'), 'utf8');

    const [backup] = await list(host);
    expect(backup).toMatchObject({ status: 'ok', learners: 1, profiles: 1, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const restored = await host.call('app.restoreBackup', { name: backup!.name });
    expect(restored).toMatchObject({ status: 200, body: { data: { backup: backup!.name, learners: 1, profiles: 1 } } });
    expect(await names(host)).toEqual(['Ada']);
    expect((await host.call('app.info')).body.data).toMatchObject({ restoredFrom: backup!.name });
    // Sync starts over under a new identity: its checkpoints described another past.
    expect(readFileSync(join(host.dataDir, 'replica-id'), 'utf8')).not.toBe(replicaBefore);
    expect((await host.services.local.db.getLocal<{ id: string }>('replica'))?.toJSON().data.id).not.toBe(replicaBefore);

    // What the restore replaced was backed up first: restoring that undoes it.
    const after = await list(host);
    expect(after.map((b) => b.learners)).toEqual([3, 1]);
    expect((await host.call('app.restoreBackup', { name: after[0]!.name })).status).toBe(200);
    expect(await names(host)).toEqual(['Ada', 'Bea', 'Cy']);
    // Nothing of the swap is left behind.
    expect(readdirSync(host.dataDir).filter((name) => /restore|replaced/.test(name))).toEqual([]);
    // The app works as before.
    await createLearner(host, 'Dee');
    expect(await names(host)).toEqual(['Ada', 'Bea', 'Cy', 'Dee']);
  });

  it('keeps the newest N backups, and as many files set aside as damaged', async () => {
    const host = await open();
    await createLearner(host, 'Ada');
    expect((await host.call('settings.update', { backupsToKeep: 3 })).status).toBe(200);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(((await host.call('app.backup')).body.data as { name: string }).name);
    expect((await list(host)).map((b) => b.name)).toEqual(made.slice(2).reverse());
    expect(readdirSync(join(host.dataDir, 'backups')).sort()).toEqual(made.slice(2).sort());
    expect((await host.call('settings.update', { backupsToKeep: 0 })).status).toBe(422);

    // Damaged files set aside at four starts: the next start keeps the newest three.
    for (const day of ['01', '02', '03', '04']) writeFileSync(join(host.dataDir, `learner-profiles.sqlite.corrupt-2024-05-${day}T10-00-00-000Z.sealed`), 'sealed bytes');
    writeFileSync(join(host.dataDir, 'learner-profiles.sqlite.corrupt-2024-05-01T10-00-00-000Z-wal.sealed'), 'sealed bytes');
    await host.close();
    hosts.splice(hosts.indexOf(host), 1);
    const again = await open({ dataDir: host.dataDir });
    expect(readdirSync(again.dataDir).filter((name) => name.includes('.corrupt-')).sort()).toEqual([
      'learner-profiles.sqlite.corrupt-2024-05-02T10-00-00-000Z.sealed',
      'learner-profiles.sqlite.corrupt-2024-05-03T10-00-00-000Z.sealed',
      'learner-profiles.sqlite.corrupt-2024-05-04T10-00-00-000Z.sealed',
    ]);
  });

  it('refuses a backup made with another device’s key, or damaged, with a plain reason, changing nothing', async () => {
    // Another device (one RxDB database of a name per process: one after the other).
    const elsewhere = await open({ passphrase: 'another device passphrase' });
    await createLearner(elsewhere, 'Zed');
    const foreign = (await elsewhere.call('app.backup')).body.data as { name: string; path: string };
    const foreignCopy = join(tempDir(), foreign.name);
    copyFileSync(foreign.path, foreignCopy);
    await elsewhere.close();
    hosts.splice(hosts.indexOf(elsewhere), 1);

    const here = await open();
    await createLearner(here, 'Ada');
    const made = (await here.call('app.backup')).body.data as { name: string; path: string };
    copyFileSync(foreignCopy, join(here.dataDir, 'backups', foreign.name));
    const damagedName = made.name.replace(/(\d{3})Z/, (_, ms: string) => `${String((Number(ms) + 1) % 1000).padStart(3, '0')}Z`);
    writeFileSync(join(here.dataDir, 'backups', damagedName), readFileSync(made.path).subarray(0, 4096));

    const listed = await list(here);
    expect(listed.find((b) => b.name === foreign.name)).toMatchObject({ status: 'other-key', learners: null });
    expect(listed.find((b) => b.name === damagedName)).toMatchObject({ status: 'damaged', learners: null });
    const before = readdirSync(join(here.dataDir, 'backups')).sort();

    const refused = await here.call('app.restoreBackup', { name: foreign.name });
    expect(refused).toMatchObject({ status: 409, body: { message: expect.stringMatching(/another device’s key.*Nothing was changed/) } });
    expect((await here.call('app.restoreBackup', { name: damagedName })).status).toBe(409);
    expect((await here.call('app.restoreBackup', { name: '../learner-profiles.sqlite' })).body.message).toBe('There is no such backup.');
    expect((await here.call('app.restoreBackup', {})).status).toBe(422);
    expect(await names(here)).toEqual(['Ada']);
    expect(readdirSync(join(here.dataDir, 'backups')).sort()).toEqual(before);
    expect(readdirSync(here.dataDir).filter((name) => /restore|replaced/.test(name))).toEqual([]);
    expect(existsSync(join(here.dataDir, 'learner-profiles.sqlite'))).toBe(true);
  });
});
