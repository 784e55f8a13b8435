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

addRxPlugin(RxDBMigrationSchemaPlugin);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-db-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const start = (dataDir: string) => startServices({ dataDir, secrets: memoryBox(), log: silentLog, version: 'test' });

describe('desktop database', () => {
  it('moves a corrupt database file aside, starts fresh, and says where the old one is', async () => {
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
      expect(info.movedAside).toMatch(/learner-profiles\.sqlite\.corrupt-/);
      expect(existsSync(info.movedAside!)).toBe(true);
      expect(readFileSync(info.movedAside!).equals(damaged)).toBe(true);
      expect((await second.api.handle('learner.list', [{}])).body.data).toEqual([]);
      expect((await second.api.handle('learner.create', [{ first_name: 'New', last_name: 'Start', email_address: uniqueEmail() }])).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('writes a backup through SQLite that opens, passes its check, and holds the data', async () => {
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
        const rows = copy.prepare(`SELECT * FROM "${learnerTable}"`).all();
        expect(JSON.stringify(rows)).toContain(uuid);
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
});
