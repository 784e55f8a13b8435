// `npm run server` and its token commands, as a user runs them.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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
      // Every server hears of a token change from the database's notification: within a second.
      await expect.poll(async () => (await get()).status, { timeout: 1_000, interval: 50 }).toBe(200);
      expect((await runScript(CLI, ['token', 'revoke', 'kiosk-7'], env)).code).toBe(0);
      await expect.poll(async () => (await get()).status, { timeout: 1_000, interval: 50 }).toBe(401);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses unknown options, missing values and misplaced ones with its usage, before touching any data', async () => {
    const env = { DATA_DIR: tempDir() };
    for (const argv of [
      ['token', 'create', 'x', '--adm'],
      ['token', 'create', 'x', '--center'],
      ['token', 'create', 'x', '--center', '--admin'],
      ['token', 'create', 'x', '--admin', '--center', 'AAAAAAAAAAAAAAAAAAAA'],
      ['token', 'create', 'x', '--center', 'not an id'],
      ['token', 'list', '--admin'],
      ['token', 'revoke'],
      ['center', 'create'],
      ['center', 'create', 'A', 'B'],
      ['audit', '--learner'],
      ['audit', '--center', 'AAAAAAAAAAAAAAAAAAAA'],
      ['epoch'],
    ]) {
      const result = await runScript(CLI, argv, env);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toContain('usage:');
      expect(result.stdout, argv.join(' ')).toBe('');
    }
    // None of them opened the database.
    expect(readdirSync(env.DATA_DIR)).toEqual([]);
  });

  it('makes centers and tokens for them; with several centers a token must name its own, or be an administrator\'s', async () => {
    const env = { DATA_DIR: tempDir() };
    // Run by a running server (each command then costs a request, not an open of the database).
    const server = await startServer(env);
    try {
      // One center: a name is all a token needs.
      const only = await runScript(CLI, ['token', 'create', 'first'], env);
      expect(only.code).toBe(0);
      const made = await runScript(CLI, ['center', 'create', 'Riverside Center'], env);
      expect(made.code).toBe(0);
      const riverside = lastLine(made.stdout);
      expect(riverside).toMatch(/^[A-Za-z0-9]{20}$/);
      expect((await runScript(CLI, ['center', 'create', 'Riverside Center'], env)).code).toBe(2);
      const centers = (await runScript(CLI, ['center', 'list'], env)).stdout;
      expect(centers).toContain(`${riverside}\tRiverside Center\t0 learners`);
      expect(centers).toMatch(/\tdefault\t0 learners/);

      const refused = await runScript(CLI, ['token', 'create', 'laptop-b'], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--center');
      expect(refused.stderr).toContain(riverside);
      expect(refused.stderr).toContain('default');
      const unknown = await runScript(CLI, ['token', 'create', 'laptop-b', '--center', 'AAAAAAAAAAAAAAAAAAAA'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no center with id AAAAAAAAAAAAAAAAAAAA');

      expect((await runScript(CLI, ['token', 'create', 'laptop-b', '--center', riverside], env)).code).toBe(0);
      expect((await runScript(CLI, ['token', 'create', 'office', '--admin'], env)).code).toBe(0);
      const list = (await runScript(CLI, ['token', 'list'], env)).stdout;
      expect(list).toMatch(/laptop-b\tcreated .*\tactive\tcenters: Riverside Center/);
      expect(list).toMatch(/office\tcreated .*\tactive\tadministrator/);
      expect(list).toMatch(/first\tcreated .*\tactive\tcenters: default/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('revokes a token in a running server on PGlite through the server itself, and it stays revoked', async () => {
    const env = { DATA_DIR: tempDir() };
    let server = await startServer(env);
    try {
      // While the server holds the folder, every command is run by the server.
      const created = await runScript(CLI, ['token', 'create', 'laptop-9'], env);
      expect(created.code).toBe(0);
      const token = lastLine(created.stdout);
      const whoami = () => fetch(`${server.url}/sync/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
      // The command answers once the server holds the change: no waiting.
      expect((await whoami()).status).toBe(200);
      const stream = await fetch(`${server.url}/sync/v1/learners/stream`, { headers: { authorization: `Bearer ${token}` } });
      expect(stream.status).toBe(200);
      const revoked = await runScript(CLI, ['token', 'revoke', 'laptop-9'], env);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain('revoked token laptop-9');
      expect((await whoami()).status).toBe(401);
      // Its open stream is ended too.
      const reader = stream.body!.getReader();
      while (!(await reader.read()).done);
      expect((await runScript(CLI, ['token', 'revoke', 'laptop-9'], env)).code).toBe(2);

      const made = await runScript(CLI, ['center', 'create', 'North'], env);
      expect(made.code).toBe(0);
      expect((await runScript(CLI, ['center', 'list'], env)).stdout).toContain(`${lastLine(made.stdout)}\tNorth`);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      // Stopped: the commands open the folder themselves, and the revocation was kept.
      expect((await runScript(CLI, ['token', 'list'], env)).stdout).toMatch(/laptop-9\tcreated .*\trevoked/);
      server = await startServer(env);
      expect((await whoami()).status).toBe(401);
      // A second server on the same folder is refused.
      const second = await runScript(CLI, [], { ...env, PORT: '0' });
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('another server');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    // The folder and everything in it are the owner's only.
    const modes: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if ((statSync(path).mode & 0o077) !== 0) modes.push(`${path} ${(statSync(path).mode & 0o777).toString(8)}`);
        if (entry.isDirectory()) walk(path);
      }
    };
    expect(statSync(env.DATA_DIR).mode & 0o777).toBe(0o700);
    walk(env.DATA_DIR);
    expect(modes).toEqual([]);
  });

  it('says so and changes nothing when the server holding the folder does not answer', async () => {
    const env = { DATA_DIR: tempDir() };
    expect((await runScript(CLI, ['token', 'create', 'kept'], env)).code).toBe(0);
    // A live process (this one) named as the holder, at a loopback port where nothing listens.
    const idle = createServer();
    await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
    const port = (idle.address() as AddressInfo).port;
    await new Promise((resolve) => idle.close(resolve));
    writeFileSync(join(env.DATA_DIR, 'server-control.json'), JSON.stringify({ pid: process.pid, host: '127.0.0.1', port, secret: 'x'.repeat(43) }), { mode: 0o600 });
    const result = await runScript(CLI, ['token', 'revoke', 'kept'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('revoked');
    expect(result.stderr).toContain('nothing was changed');
    // The holder gone (a file left by a server that died): the command runs, and the token was still active.
    writeFileSync(join(env.DATA_DIR, 'server-control.json'), JSON.stringify({ pid: 2 ** 22 + 1, host: '127.0.0.1', port, secret: 'x'.repeat(43) }));
    expect((await runScript(CLI, ['token', 'list'], env)).stdout).toMatch(/kept\tcreated .*\tactive/);
  });

  it('refuses bad settings with a clear message', async () => {
    const result = await runScript(CLI, [], { PORT: 'eighty', DATA_DIR: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid server settings: PORT');
  });
});
