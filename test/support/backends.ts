// The two databases the server runs on, each fresh for the test that opens it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';

/** A new, empty PostgreSQL database on the test cluster; its URL. */
export async function freshPostgresUrl(): Promise<string> {
  const adminUrl = inject('databaseUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<Database>;
}

export const backends: Backend[] = [
  {
    name: 'pglite',
    async open() {
      const db = await openPglite();
      await migrate(db);
      return db;
    },
  },
  {
    name: 'postgres',
    async open() {
      const db = openPostgres(await freshPostgresUrl());
      await migrate(db);
      return db;
    },
  },
];
