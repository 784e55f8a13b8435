// The desktop database on the SQLite storage: a corrupt file is moved aside (never deleted) and reported, a backup
// is a consistent SQLite copy with the data in it, and schema versions migrate their documents.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../electron/log';
import { memoryBox } from '../../electron/secrets';
import { startServices } from '../../electron/services';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { uniqueEmail } from '../contract/cases';
import { createAppDatabase } from '../../electron/db/database';
import { createRxRepository } from '../../electron/db/repository';
import { outboxRxSchema } from '../../electron/sync/state-schemas';
import { historicSync } from '../../shared/schemas/sync';
import { invoke } from '../../shared/operations';
import { profileUuidFor } from '../../shared/ids';
import schemasV0Json from '../fixtures/rx-schemas-v0.json' with { type: 'json' };
import type { RxJsonSchema } from 'rxdb';
import { TEST_DATA_KEY } from '../support/data-key';

/** The local collections' schemas as version 0 stored them, before the reference service's fields. */
const schemasV0 = schemasV0Json as unknown as Record<'learners' | 'learner_profiles' | 'achievements', RxJsonSchema<any>>;

addRxPlugin(RxDBMigrationSchemaPlugin);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-db-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const start = (dataDir: string) => startServices({ dataDir, dataKey: TEST_DATA_KEY, secrets: memoryBox(), log: silentLog, version: 'test' });

describe('desktop database', () => {
  it('sets a corrupt database file aside, sealed with the key, starts fresh, and says where the old one is', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const file = first.local.file;
    await first.api.handle('learner.create', [{ first_name: 'Kept', last_name: 'Aside', email_address: uniqueEmail() }]);
    await first.close();
    const original = readFileSync(file);
    // Scribble over the file's pages, keeping its size.
    const damaged = Buffer.from(original);
    damaged.fill(0x5a, 0, Math.min(damaged.length, 8192));
    writeFileSync(file, damaged);

    const second = await start(dataDir);
    try {
      const info = (await second.api.handle('app.info', [])).body.data as { movedAside: string | null };
      expect(info.movedAside).toMatch(/learner-profiles\.sqlite\.corrupt-.+\.sealed$/);
      expect(existsSync(info.movedAside!)).toBe(true);
      expect(existsSync(info.movedAside!.replace(/\.sealed$/, ''))).toBe(false);
      // Kept whole for recovery: the key opens it byte for byte.
      const opened = join(dataDir, 'opened.sqlite');
      await getRxStorageSqliteNode({ directory: dataDir, encryptionKey: TEST_DATA_KEY }).unsealFile(info.movedAside!, opened);
      expect(readFileSync(opened).equals(damaged)).toBe(true);
      expect((await second.api.handle('learner.list', [{}])).body.data).toEqual({ records: [], total_count: 0 });
      expect((await second.api.handle('learner.create', [{ first_name: 'New', last_name: 'Start', email_address: uniqueEmail() }])).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('writes a backup through SQLite that opens, passes its check, and holds the data, sealed', async () => {
    const dataDir = tempDir();
    const services = await start(dataDir);
    try {
      const created = await services.api.handle('learner.create', [{ first_name: 'Backed', last_name: 'Up', email_address: uniqueEmail() }]);
      const uuid = (created.body.data as { uuid: string }).uuid;
      const result = await services.api.handle('app.backup', []);
      expect(result.status).toBe(200);
      const path = (result.body.data as { path: string }).path;
      expect(readdirSync(join(dataDir, 'backups'))).toHaveLength(1);
      const copy = new DatabaseSync(path, { readOnly: true });
      try {
        expect(copy.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
        const tables = copy.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => String(row.name));
        const learnerTable = tables.find((name) => name.includes('learners'))!;
        const rows = copy.prepare(`SELECT id, typeof(data) AS type FROM "${learnerTable}"`).all();
        expect(rows.map((row) => Buffer.from(row.id as Uint8Array).toString('utf8'))).toContain(uuid);
        expect(new Set(rows.map((row) => row.type))).toEqual(new Set(['blob']));
      } finally {
        copy.close();
      }
    } finally {
      await services.close();
    }
  });

  it('migrates documents when a collection’s schema version rises', async () => {
    const directory = tempDir();
    const schema = (version: number, extra: Record<string, unknown> = {}) => ({
      version,
      primaryKey: 'id',
      type: 'object',
      properties: { id: { type: 'string', maxLength: 20 }, name: { type: 'string' }, ...extra },
      required: ['id'],
    });
    const v0 = await createRxDatabase({ name: 'migrating', storage: getRxStorageSqliteNode({ directory }), multiInstance: false });
    await v0.addCollections({ people: { schema: schema(0) } });
    await v0.people!.insert({ id: 'p1', name: 'Ada Lovelace' });
    await v0.close();

    const v1 = await createRxDatabase({ name: 'migrating', storage: getRxStorageSqliteNode({ directory }), multiInstance: false });
    await v1.addCollections({
      people: {
        schema: schema(1, { first_name: { type: 'string' } }),
        migrationStrategies: { 1: (doc: { id: string; name: string }) => ({ ...doc, first_name: doc.name.split(' ')[0] }) },
      },
    });
    expect((await v1.people!.findOne('p1').exec())!.toJSON()).toMatchObject({ id: 'p1', first_name: 'Ada' });
    await v1.close();
  });

  it('migrates a database of schema version 0 (before the reference fields): every document gets the defaults', async () => {
    const directory = tempDir();
    const time = '2024-03-01 10:00:00.000000+00:00';
    const learnerId = 'L'.repeat(20);
    const achievementId = 'A'.repeat(20);
    const v0 = await createRxDatabase({ name: 'learner-profiles', storage: getRxStorageSqliteNode({ directory }), multiInstance: false, localDocuments: true });
    await v0.addCollections({
      learners: { schema: schemasV0.learners },
      learner_profiles: { schema: schemasV0.learner_profiles },
      achievements: { schema: schemasV0.achievements },
      sync_outbox: { schema: outboxRxSchema },
    });
    const dates = { is_deleted: false, created_time: time, last_modified_time: time };
    await v0.learners!.insert({
      uuid: learnerId, first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org', city: 'London',
      phone_number: { mobile: { phone_number: '+44 20 7946 0000', phone_number_type: 'Mobile', primary_phone_number_indicator: 'Yes' } },
      preferred_name_type: 'PreferredName', email_address_type: 'Work', gender: 'Female', is_archived: false, ...dates,
    });
    await v0.learner_profiles!.insert({
      uuid: profileUuidFor(learnerId), learner_id: learnerId, learning_goals: ['Teamwork'], learning_constraints: null,
      learning_preferences: {}, patterns_of_participation: {}, employment_status: '', potential_career_fields: [], personal_goals: '',
      employment_history: {}, education_history: {}, account_settings: {}, contact_preferences: { email: true, phone: false },
      attestation_object: {}, enrollment_information: {},
      progress: { curriculum_pathways: {}, learning_experiences: {}, learning_objects: {}, learning_resources: {}, assessments: { a1: { name: 'Quiz', status: 'completed', score: 9 } } },
      achievements: [achievementId], tagged_skills: [], tagged_competencies: [], mastered_skills: [], mastered_competencies: [],
      is_archived: false, ...dates,
    });
    await v0.achievements!.insert({ uuid: achievementId, type: 'competency', name: 'Teamwork', description: 'Works well with others', ...dates });
    await v0.close();

    const db = await createAppDatabase(getRxStorageSqliteNode({ directory }));
    try {
      expect(db.learners.schema.version).toBe(4);
      const learner = (await db.learners.findOne(learnerId).exec())!.toMutableJSON(false);
      // Edit times as of the last change, alike on every host, so nothing is pushed for a migration.
      expect(learner.sync).toEqual(historicSync({ ...learner, sync: undefined } as never));
      expect(learner.sync.times.city).toBe('2024-03-01T10:00:00.000Z-0000-before-field-times');
      expect(learner).toEqual({
        sync: learner.sync,
        uuid: learnerId, first_name: 'Ada', last_name: 'Lovelace', email_address: 'ada@example.org', city: 'London',
        middle_name: '', suffix: '', prefix: '', preferred_name: '', preferred_first_name: '', preferred_middle_name: '',
        preferred_last_name: '', preferred_name_type: 'PreferredName', preferred_pronoun: '', student_identifier: '',
        student_identification_system: '', personal_information_verification: '', personal_information_type: '',
        address_type: '', street_number_and_name: '', apartment_room_or_suite_number: '', state_abbreviation: '',
        postal_code: '', country_name: '', country_code: '', latitude: '', longitude: '', country_ansi_code: 10000,
        address_do_not_publish_indicator: 'Yes',
        phone_number: {
          mobile: { phone_number: '+44 20 7946 0000', phone_number_type: 'Mobile', primary_phone_number_indicator: 'Yes', phone_do_not_publish_indicator: 'Yes', phone_number_listed_status: 'Listed' },
          telephone: {},
        },
        email_address_type: 'Work', email_do_not_publish_indicator: 'Yes', backup_email_address: '', birth_date: null,
        gender: 'Female', country_of_birth_code: null, ethnicity: null, organisation_email_id: '', employer_id: '',
        affiliation: '', employer: '', employer_email: '', is_archived: false, ...dates,
      });
      const profile = (await db.learner_profiles.findOne(profileUuidFor(learnerId)).exec())!.toMutableJSON(false);
      expect(profile.progress.assessments.a1).toEqual({
        name: 'Quiz', status: 'completed', score: 9, is_optional: false, is_hidden: true, parent_node: null, is_locked: true, progress: 0,
        last_attempted: null, num_attempts: null, child_count: null, completed_child_count: null, ungate: false, instruction_completed: null,
      });
      expect(profile).toMatchObject({ learning_goals: ['Teamwork'], contact_preferences: { email: true, phone: false }, achievements: [achievementId] });
      expect((await db.achievements.findOne(achievementId).exec())!.toMutableJSON(false)).toMatchObject({
        name: 'Teamwork', description: 'Works well with others', is_archived: false, credits_available: null, tags: null,
        alignments: { competency_alignments: [], skill_alignments: [] }, metadata: { design_config: {} },
      });
      // The migrated documents work with the service as they are.
      const repo = createRxRepository(db);
      const updated = await invoke(repo, 'learner.update', [learnerId, { phone_number: { telephone: { phone_number: '020 7946 0001' } } }]);
      expect(updated.status).toBe(200);
      expect((updated.body.data as { city: string }).city).toBe('London');
    } finally {
      await db.close();
    }
  });
});
