/** Shared helpers for the storage tests: temp folders, a small indexed schema, document and query builders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRevision,
  fillWithDefaultSettings,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
} from 'rxdb';
import type {
  MangoQuery,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorage,
  RxStorageInstance,
} from 'rxdb';

export function makeTempDirectory(prefix = 'rx-sqlite-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export type Learner = {
  id: string;
  name: string;
  age: number;
  archived: boolean;
  note?: string;
};

export const learnerSchema: RxJsonSchema<Learner> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    name: { type: 'string', maxLength: 20 },
    age: { type: 'number', minimum: 0, maximum: 150, multipleOf: 1 },
    archived: { type: 'boolean' },
    note: { type: 'string' },
  },
  required: ['id', 'name', 'age', 'archived'],
  indexes: ['name', ['archived', 'age']],
};

export const filledLearnerSchema = fillWithDefaultSettings(learnerSchema);

export const databaseToken = randomToken(10);

export function newDocument<T>(data: T, previous?: RxDocumentData<T>, deleted = false): RxDocumentData<T> {
  return {
    ...data,
    _deleted: deleted,
    _attachments: {},
    _rev: createRevision(databaseToken, previous),
    _meta: { lwt: now() },
  };
}

export function openInstance<T>(
  storage: RxStorage<any, any>,
  databaseName: string,
  schema: RxJsonSchema<RxDocumentData<T>>,
  collectionName = 'learners',
): Promise<RxStorageInstance<T, any, any, any>> {
  return storage.createStorageInstance<T>({
    databaseInstanceToken: databaseToken,
    databaseName,
    collectionName,
    schema,
    options: {},
    multiInstance: false,
    devMode: true,
  });
}

export function prepared<T>(schema: RxJsonSchema<RxDocumentData<T>>, query: MangoQuery<T>): PreparedQuery<T> {
  return prepareQuery(schema, normalizeMangoQuery(schema, query));
}

/** A fixed 32-byte key for tests (the app supplies its own). */
export const TEST_KEY = new Uint8Array(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff));

/** The storage tests that hold with and without encryption run once per mode. */
export const encryptionModes = [
  { mode: 'plaintext', encryptionKey: undefined },
  { mode: 'encrypted', encryptionKey: TEST_KEY },
] as const;
