/** Database names become file names that stay inside the directory and never collide. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { databaseFileName, getRxStorageSqliteNode } from '../../electron/storage';
import { filledLearnerSchema, makeTempDirectory, openInstance } from './storage-fixtures';

let directory: ReturnType<typeof makeTempDirectory>;
beforeEach(() => {
  directory = makeTempDirectory();
});
afterEach(() => directory.remove());

test('ordinary names stay readable', () => {
  expect(databaseFileName('learners')).toBe('learners.sqlite');
  expect(databaseFileName('learner-profiles_2')).toBe('learner-profiles_2.sqlite');
});

test('hostile names cannot leave the directory or use reserved device names', () => {
  for (const name of ['../escape', '/etc/passwd', 'a/../../b', '..', '.', 'C:\\x', 'nul', 'CON', 'com1', 'a\0b', 'x:y', '~']) {
    const file = databaseFileName(name);
    expect(file).toMatch(/^[a-z0-9_%~A-F-]+\.sqlite$/);
    expect(file.slice(0, -'.sqlite'.length)).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i);
  }
  expect(() => databaseFileName('')).toThrow(/empty/);
});

test('different names never share a file, even on case-insensitive file systems', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), (a, b) => {
      fc.pre(a !== b && a.length > 0 && b.length > 0);
      expect(databaseFileName(a).toLowerCase()).not.toBe(databaseFileName(b).toLowerCase());
    }),
    { numRuns: 2_000 },
  );
  expect(databaseFileName('Learners')).not.toBe(databaseFileName('learners'));
  expect(databaseFileName('\uD800')).not.toBe(databaseFileName('\uDC00'));
});

test('very long names fit within common file name limits', () => {
  for (const name of ['x'.repeat(1_000), '\u{1F600}'.repeat(400), 'a'.repeat(190) + 'b', 'a'.repeat(190) + 'c']) {
    expect(Buffer.byteLength(databaseFileName(name) + '-wal')).toBeLessThanOrEqual(255);
  }
  expect(databaseFileName('a'.repeat(300) + 'b')).not.toBe(databaseFileName('a'.repeat(300) + 'c'));
});

test('a database with a hostile name is created inside the directory', async () => {
  const outside = join(directory.path, 'outside.sqlite');
  writeFileSync(outside, 'not a database');
  const storage = getRxStorageSqliteNode({ directory: join(directory.path, 'data') });
  const instance = await openInstance(storage, '../outside', filledLearnerSchema);
  expect(storage.databaseFile('../outside').startsWith(join(directory.path, 'data') + '/')).toBe(true);
  await instance.close();
});
