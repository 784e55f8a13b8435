// A throwaway PostgreSQL cluster from Debian's `postgresql` package (which refuses to run as root, hence `runuser`),
// for the tests and the benchmarks.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  const bin = version && join(root, version, 'bin');
  if (!bin || !existsSync(join(bin, 'initdb'))) {
    throw new Error('PostgreSQL is needed for the tests: apt-get install -y postgresql (or set DATABASE_URL)');
  }
  return bin;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export async function startCluster(): Promise<{ url: string; stop: () => void }> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'lp-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  const port = await freePort();
  run('initdb', ['-D', dir, '-U', 'app', '-A', 'trust', '--no-sync']);
  run('pg_ctl', ['-D', dir, '-l', join(dir, 'log'), '-w', 'start', '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=300`]);
  return {
    url: `postgres://app@127.0.0.1:${port}/postgres`,
    stop: () => {
      run('pg_ctl', ['-D', dir, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

