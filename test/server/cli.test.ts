// `npm run server` and its token commands, as a user runs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import seed from '../fixtures/seed-examples.json' with { type: 'json' };
import { API_BASE } from '../../server/app';
import { freshPostgresUrl } from '../support/backends';
import { runScript, startScript } from '../support/processes';
import { uniqueEmail } from '../contract/cases';

const CLI = 'server/cli.ts';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-cli-'));
  dirs.push(dir);
  return dir;
};

const lastLine = (text: string) => text.trim().split('\n').at(-1)!;

async function startServer(env: NodeJS.ProcessEnv) {
  const server = startScript(CLI, [], { PORT: '0', LOG_LEVEL: 'warn', ...env }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const [, url] = await server.match;
  return { ...server, url: url! };
}

describe('server command line', { timeout: 180_000 }, () => {
  it('creates, lists and revokes tokens while the server is stopped (PGlite)', async () => {
    const env = { DATA_DIR: tempDir() };
    const created = await runScript(CLI, ['token', 'create', 'laptop-1'], env);
    expect(created.code).toBe(0);
    expect(lastLine(created.stdout)).toMatch(/^lpt_[A-Za-z0-9_-]{43}$/);
    const list = await runScript(CLI, ['token', 'list'], env);
    expect(list.stdout).toMatch(/laptop-1\tcreated .*\tactive/);
    expect(list.stdout).not.toContain(lastLine(created.stdout));
    expect((await runScript(CLI, ['token', 'create', 'laptop-1'], env)).code).toBe(2);
    expect((await runScript(CLI, ['token', 'revoke', 'laptop-1'], env)).code).toBe(0);
    expect((await runScript(CLI, ['token', 'list'], env)).stdout).toMatch(/laptop-1\tcreated .*\trevoked/);
    expect((await runScript(CLI, ['token', 'revoke', 'laptop-1'], env)).code).toBe(2);
    expect((await runScript(CLI, ['token', 'create', 'bad name!'], env)).code).toBe(2);
    expect((await runScript(CLI, ['frobnicate'], env)).stderr).toContain('usage:');
  });

  it("answers the seed's calls exactly as the seed shows them, keeps data across a graceful restart", async () => {
    const env = { DATA_DIR: tempDir() };
    const token = lastLine((await runScript(CLI, ['token', 'create', 'seed'], env)).stdout);
    let server = await startServer(env);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}${API_BASE}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> & { data: Record<string, unknown> } };
    };

    const learner = await call('POST', '/learner', { first_name: 'Sam', last_name: 'Seed', email_address: uniqueEmail() });
    const learnerId = learner.body.data.uuid as string;
    let profileUuid = '';
    for (const example of seed.cases) {
      const path = example.path.replace('{learner_id}', learnerId).replace('{uuid}', profileUuid);
      const result = await call(example.method, path, 'body' in example ? example.body : undefined);
      expect(result.status, example.name).toBe(example.expect.status);
      if ('body' in example.expect) {
        expect(result.body, example.name).toEqual(example.expect.body);
        continue;
      }
      const expected = example.expect as { success: boolean; message: string; data_includes: object; data_has: string[]; data_values?: object };
      expect(result.body.success).toBe(expected.success);
      expect(result.body.message).toBe(expected.message);
      expect(result.body.data).toMatchObject(expected.data_includes);
      expect(result.body.data).toMatchObject(expected.data_values ?? {});
      for (const key of expected.data_has) expect(result.body.data).toHaveProperty(key);
      expect(result.body.data.learner_id).toBe(learnerId);
      profileUuid = result.body.data.uuid as string;
    }

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = await startServer(env);
    const again = await call('GET', `/learner/${learnerId}/learner-profile/${profileUuid}`);
    expect(again.status).toBe(200);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
  });

  it('sees tokens made by the command line while it runs on PostgreSQL, and refuses revoked ones', async () => {
    const env = { DATABASE_URL: await freshPostgresUrl() };
    const server = await startServer(env);
    try {
      const token = lastLine((await runScript(CLI, ['token', 'create', 'kiosk-7'], env)).stdout);
      const get = () => fetch(`${server.url}${API_BASE}/learners`, { headers: { authorization: `Bearer ${token}` } });
      expect((await get()).status).toBe(200);
      expect((await runScript(CLI, ['token', 'revoke', 'kiosk-7'], env)).code).toBe(0);
      await expect.poll(async () => (await get()).status).toBe(401);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses bad settings with a clear message', async () => {
    const result = await runScript(CLI, [], { PORT: 'eighty', DATA_DIR: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid server settings: PORT');
  });
});
