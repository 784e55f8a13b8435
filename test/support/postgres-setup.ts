// Vitest global setup: a real PostgreSQL for the tests. DATABASE_URL points at one; otherwise a throwaway cluster
// is started.
import type { TestProject } from 'vitest/node';
import { startCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('databaseUrl', process.env.DATABASE_URL);
    return;
  }
  const cluster = await startCluster();
  project.provide('databaseUrl', cluster.url);
  return () => cluster.stop();
}
