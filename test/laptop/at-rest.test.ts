// A stolen laptop reveals nothing: learners and profiles with distinctive values are written (created, edited,
// deleted, imported in bulk), backed up, the database damaged and set aside, a backup restored, reports made; then every byte of
// every file under the data folder (database, WAL, backups, files set aside, the key file) is searched for each
// value. The same after a data folder of an older, unencrypted version is opened for the first time.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { afterEach, describe, expect, it } from 'vitest';
import { storedLearner } from '../../shared/schemas/learner';
import { ID_LENGTH } from '../../shared/ids';
import { invoke } from '../../shared/operations';
import { achievementRxSchema, conflictRxSchema, deriveRxSchema, learnerRxSchema, profileRxSchema } from '../../electron/db/schemas';
import { createRxRepository } from '../../electron/db/repository';
import type { AppDatabase } from '../../electron/db/database';
import { outboxRxSchema } from '../../electron/sync/state-schemas';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { bridgeHost, type BridgeHost } from '../support/bridge-host';
import { notPrivate, scanFolder } from '../support/byte-scan';

addRxPlugin(RxDBLocalDocumentsPlugin);

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-at-rest-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Values no file may hold: names, emails, a phone, an identifier, goals in several scripts. */
const VALUES = [
  'Quillonette',
  'Zebedee-Marchbanks',
  'quillon.zebedee',
  'school-example.org',
  'Ptolemaïs',
  'Ouagadougou-Nord',
  'Tombouctou-Sud',
  '555 0199 321',
  'STU-93812-QZ',
  'ケンジの進路相談',
  'hoping to become a vet',
  'Veterinary nursing à la Ünïcødé',
];

const learner = (i: number, city = 'Ouagadougou-Nord') => ({
  first_name: `Quillonette${i}`,
  last_name: 'Zebedee-Marchbanks',
  middle_name: 'Ptolemaïs',
  email_address: `quillon.zebedee.${i}@school-example.org`,
  city,
  student_identifier: 'STU-93812-QZ',
  phone_number: { mobile: { phone_number: '+1 555 0199 321' } },
});
const profile = { personal_goals: 'Żółć gęślą jaźń — ケンジの進路相談 🦉 hoping to become a vet', learning_goals: ['Veterinary nursing à la Ünïcødé'] };

async function writeLearners(host: BridgeHost, from: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const created = await host.call('learner.create', learner(i));
    expect(created.status).toBe(200);
    const uuid = (created.body.data as { uuid: string }).uuid;
    expect((await host.call('learnerProfile.create', uuid, profile)).status).toBe(200);
    ids.push(uuid);
  }
  return ids;
}

describe('encryption at rest', { timeout: 180_000 }, () => {
  it('leaves no value in any file of the data folder: database, WAL, backups, files set aside; all of them private', async () => {
    const dataDir = tempDir();
    const first = await bridgeHost({ dataDir });
    const ids = await writeLearners(first, 0, 20);
    // An edit and a delete leave old versions in freed space unless it is wiped.
    expect((await first.call('learner.update', ids[0], { city: 'Tombouctou-Sud' })).status).toBe(200);
    expect((await first.call('learner.delete', ids[1])).status).toBe(200);
    // A bulk import larger than one transaction records its writes in a local document first.
    const imported = Array.from({ length: 300 }, (_, i) => ({ first_name: `Quillonette${1000 + i}`, last_name: 'Zebedee-Marchbanks', email_address: `quillon.zebedee.import.${i}@school-example.org` }));
    expect((await first.call('learner.import', imported)).status).toBe(200);
    const backup = await first.call('app.backup');
    expect(backup.body.data).toMatchObject({ status: 'ok', learners: 319, profiles: 19 });
    // Mid-run, with the WAL in use, nothing is readable either.
    expect(scanFolder(dataDir, VALUES)).toEqual([]);
    await first.close();

    // The database is damaged: it is set aside, sealed, and a backup brings the data back.
    const file = join(dataDir, 'learner-profiles.sqlite');
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 8192);
    writeFileSync(file, bytes);
    const second = await bridgeHost({ dataDir });
    try {
      expect((await second.call('app.info')).body.data).toMatchObject({ movedAside: expect.stringMatching(/\.corrupt-.*\.sealed$/) });
      const [listed] = (await second.call('app.listBackups')).body.data as { name: string; learners: number }[];
      expect(listed).toMatchObject({ learners: 319 });
      expect((await second.call('app.restoreBackup', { name: listed!.name })).status).toBe(200);
      expect((await second.call('learner.get', ids[0])).body.data).toMatchObject({ city: 'Tombouctou-Sud' });
      await writeLearners(second, 50, 3);
      // Reports are made in memory: the dashboard's facts, and each export, which the preview holds only for its link.
      expect((await second.call('dashboard.figures', {})).status).toBe(200);
      for (const format of ['csv', 'xlsx'] as const) {
        const made = await second.call('report.exportLearners', { format, query: { text: 'quillon' } });
        expect(made.status).toBe(200);
        const { rows, delivery } = made.body.data as { rows: number; delivery: { kind: string; url: string } };
        expect(rows).toBeGreaterThan(300);
        const file = await fetch(`${second.baseUrl}${delivery.url}`, { headers: { cookie: second.cookie } });
        expect(file.status).toBe(200);
        if (format === 'csv') expect(await file.text()).toContain('Zebedee-Marchbanks');
      }
      expect((await second.call('app.backup')).status).toBe(200);
    } finally {
      await second.close();
    }

    const names = readdirSync(dataDir);
    expect(names).toEqual(expect.arrayContaining(['learner-profiles.sqlite', 'data-key.json', 'replica-id', 'backups']));
    expect(names.some((name) => /^learner-profiles\.sqlite\.corrupt-.*\.sealed$/.test(name))).toBe(true);
    expect(readdirSync(join(dataDir, 'backups')).length).toBeGreaterThanOrEqual(3);
    expect(scanFolder(dataDir, VALUES)).toEqual([]);
    expect(notPrivate(dataDir)).toEqual([]);
  });

  it('leaves no value after a data folder of an unencrypted version is opened with a key for the first time', async () => {
    const dataDir = tempDir();
    await writeUnencryptedVersion(dataDir);
    // The scan sees them in the old version's files (database, backup, a file set aside): it finds what is there.
    const before = scanFolder(dataDir, VALUES);
    expect(before.some((where) => where.includes('learner-profiles.sqlite'))).toBe(true);
    expect(before.some((where) => where.includes('backups'))).toBe(true);
    expect(before.some((where) => where.includes('.corrupt-'))).toBe(true);

    const host = await bridgeHost({ dataDir });
    try {
      // Everything is still there, found by name and email from memory (no index holds them any more).
      const found = await host.call('learner.search', { email_address: 'quillon.zebedee.3@school-example.org' });
      expect(found.body.data).toEqual([expect.objectContaining({ first_name: 'Quillonette3', city: 'Ouagadougou-Nord' })]);
      const browse = (await host.call('learner.browse', { text: 'zebedee', sort_by: 'first_name', sort_order: 'ascending' })).body.data as { total_count: number };
      expect(browse.total_count).toBe(5);
      expect(host.services.local.db.learners.schema.version).toBe(4);
      const backups = (await host.call('app.listBackups')).body.data as { status: string }[];
      expect(backups.map((b) => b.status)).toEqual(['sealed']);
    } finally {
      await host.close();
    }
    expect(scanFolder(dataDir, VALUES)).toEqual([]);
    expect(notPrivate(dataDir)).toEqual([]);
    const raw = new DatabaseSync(join(dataDir, 'learner-profiles.sqlite'), { readOnly: true });
    try {
      const tables = raw.prepare(`SELECT table_name FROM rx_meta_tables WHERE collection_name = 'learners'`).all();
      expect(tables).toEqual([{ table_name: `rx_learners_v${learnerRxSchema.version}` }]);
    } finally {
      raw.close();
    }

    // The sealed backup of the old version can still be restored: it is migrated when it opens.
    const again = await bridgeHost({ dataDir });
    try {
      const sealed = ((await again.call('app.listBackups')).body.data as { name: string; status: string }[]).find((b) => b.status === 'sealed');
      expect(sealed).toBeDefined();
      expect((await again.call('app.restoreBackup', { name: sealed!.name })).status).toBe(200);
      expect(((await again.call('learner.list', {})).body.data as { total_count: number }).total_count).toBe(5);
    } finally {
      await again.close();
    }
    expect(scanFolder(dataDir, VALUES)).toEqual([]);
  });
});

/**
 * A data folder as an older version left it: a plaintext database whose learners' schema (version 2) indexed first
 * and last names and emails, a plaintext backup (VACUUM INTO), and a damaged file set aside as it was.
 */
async function writeUnencryptedVersion(dataDir: string): Promise<void> {
  const times = { created_time: 32, last_modified_time: 32 };
  const learnersV2 = deriveRxSchema(storedLearner, {
    version: 2,
    indexes: [['is_deleted', 'created_time'], ['is_deleted', 'first_name'], ['is_deleted', 'last_name'], ['email_address']],
    lengths: { uuid: ID_LENGTH, ...times, first_name: 200, last_name: 200, email_address: 200 },
  });
  const db = await createRxDatabase({ name: 'learner-profiles', storage: getRxStorageSqliteNode({ directory: dataDir }), multiInstance: false, localDocuments: true });
  try {
    await db.addCollections({
      learners: { schema: learnersV2 },
      learner_profiles: { schema: profileRxSchema },
      achievements: { schema: achievementRxSchema },
      sync_outbox: { schema: outboxRxSchema },
      conflicts: { schema: conflictRxSchema },
    });
    const repo = createRxRepository(db as unknown as AppDatabase);
    for (let i = 0; i < 5; i++) {
      const created = await invoke(repo, 'learner.create', [learner(i)]);
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      await invoke(repo, 'learnerProfile.create', [(created.body.data as { uuid: string }).uuid, profile]);
    }
    // An older version's backup: a plain copy.
    const backups = join(dataDir, 'backups');
    mkdirSync(backups);
    const source = new DatabaseSync(join(dataDir, 'learner-profiles.sqlite'));
    source.prepare('VACUUM INTO ?').run(join(backups, 'learner-profiles-2024-03-01T10-00-00-000Z.sqlite'));
    source.close();
  } finally {
    await db.close();
  }
  copyFileSync(join(dataDir, 'backups', 'learner-profiles-2024-03-01T10-00-00-000Z.sqlite'), join(dataDir, 'learner-profiles.sqlite.corrupt-2024-02-01T10-00-00-000Z'));
}
