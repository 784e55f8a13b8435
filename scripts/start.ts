// `npm start`: builds and launches the Electron app. Where the Electron binary cannot be had (it is downloaded on
// first use, and some machines have no way out to the internet), it says so and starts the browser preview instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));

function electronBinary(): string | undefined {
  const pathFile = join(electronDir, 'path.txt');
  const installed = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
  if (!installed()) {
    console.log('Fetching the Electron binary (first start only)…');
    spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', timeout: 120_000 });
  }
  return installed() ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8')) : undefined;
}

const run = (command: string, args: string[]) =>
  new Promise<number>((resolve) => spawn(command, args, { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1)));

const binary = electronBinary();
if (binary) {
  if ((await run('npm', ['run', 'build'])) !== 0) process.exit(1);
  process.exit(await run(binary, ['.', ...process.argv.slice(2)]));
} else {
  console.log(
    '\nThe Electron binary is not available on this machine (it could not be downloaded), so the desktop window cannot open.\n' +
      'Starting the browser preview instead: the same app, served to your browser from this machine only.\n',
  );
  process.exit(await run('npm', ['run', 'preview']));
}
