// `npm run preview`: the main-process services in Node, and the renderer served to a browser on localhost. This is
// how the app runs, and is tested, where the Electron binary is not available. There is no keychain here: the data
// key comes from a passphrase, chosen at the first start and asked at every start after, in the window as the
// desktop app asks it (or given as DATA_PASSPHRASE). The bridge answers only a browser that opened the address
// printed at start, which carries this launch's secret.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import pkg from '../package.json' with { type: 'json' };
import { setSystemClock } from '../shared/time';
import { id } from '../shared/schemas/common';
import { dataKeys, KeyUnavailableError, passphraseProblem } from './keys/data-keys';
import { memoryBox } from './secrets';
import { createPreviewServer } from './preview-server';
import { createRuntime } from './runtime';
import type { Log } from './log';

// Every file and folder this process creates is private to the user.
process.umask(0o077);

const env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(5180),
    DATA_DIR: z.string().min(1).default('./.data/preview'),
    RENDERER_DIR: z.string().min(1).default('./dist/renderer'),
    /** Opens the data (a first start: sets the passphrase). Read once, then gone from this process's environment. */
    DATA_PASSPHRASE: z.string().optional(),
    SYNC_URL: z.string().optional(),
    SYNC_TOKEN: z.string().optional(),
    /** This device's name in the conflict log and the server's audit (Settings can change it). */
    DEVICE_NAME: z.string().trim().min(1).max(60).optional(),
    KIOSK: z.enum(['0', '1', 'true', 'false']).default('0'),
    KIOSK_PIN: z.string().optional(),
    KIOSK_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
    KIOSK_CENTER: id.optional(),
    /** Minutes without activity before the app locks (0: never), as if saved in Settings. */
    AUTO_LOCK_MINUTES: z.coerce.number().int().min(0).max(240).optional(),
    /** Makes this device's clock wrong by so many milliseconds (to see, and test, what a wrong clock does). */
    SIMULATED_CLOCK_SKEW_MS: z.coerce.number().int().default(0),
    /** The cap of sync's retry backoff (tests shorten it). */
    SYNC_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(600_000).default(60_000),
  })
  .parse(process.env);
delete process.env.DATA_PASSPHRASE;

const log: Log = {
  debug: () => {},
  info: (message, detail) => console.log(JSON.stringify({ level: 'info', message, ...detail })),
  warn: (message, detail) => console.warn(JSON.stringify({ level: 'warn', message, ...detail })),
  error: (message, detail) => console.error(JSON.stringify({ level: 'error', message, ...detail })),
};

const refuse = (message: string): never => {
  console.error(message);
  process.exit(1);
};

if (env.SIMULATED_CLOCK_SKEW_MS !== 0) setSystemClock(() => Date.now() + env.SIMULATED_CLOCK_SKEW_MS);

const dataDir = resolve(env.DATA_DIR);
const keys = (() => {
  try {
    return dataKeys(dataDir);
  } catch (error) {
    return refuse(error instanceof KeyUnavailableError ? error.message : String(error));
  }
})();
if (keys.mode !== 'passphrase') refuse(`The data in ${dataDir} is sealed by a system keychain, which the browser preview cannot use. Open it with the desktop app.`);

const runtime = createRuntime({
  dataDir,
  keys,
  // The preview keeps the token in memory: SYNC_TOKEN gives it at every start.
  secrets: () => memoryBox(),
  log,
  version: pkg.version,
  kiosk: { enabled: env.KIOSK === '1' || env.KIOSK === 'true', pin: env.KIOSK_PIN, idleSeconds: env.KIOSK_IDLE_SECONDS, center: env.KIOSK_CENTER },
  initialSync: { serverUrl: env.SYNC_URL, token: env.SYNC_TOKEN, deviceName: env.DEVICE_NAME },
  initialSettings: { autoLockMinutes: env.AUTO_LOCK_MINUTES },
  backoff: { first: Math.min(1_000, env.SYNC_BACKOFF_MAX_MS), max: env.SYNC_BACKOFF_MAX_MS },
});
// Without DATA_PASSPHRASE the window opens on the passphrase screen, as the desktop app's does.
if (env.DATA_PASSPHRASE !== undefined) {
  const given = env.DATA_PASSPHRASE;
  if (keys.needs() === 'new-passphrase' && passphraseProblem(given)) refuse(`DATA_PASSPHRASE: ${passphraseProblem(given)}`);
  const opened = await runtime.openWithPassphrase(given);
  if (opened.status === 403) refuse(`The passphrase does not open the data in ${dataDir}. Nothing was changed.`);
  if (opened.status !== 200) {
    await runtime.close();
    refuse(opened.body.message);
  }
}

const secret = randomBytes(24).toString('base64url');
const app = await createPreviewServer(runtime, { rendererDir: resolve(env.RENDERER_DIR), secret });

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await app.close();
  await runtime.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

await app.listen({ port: env.PORT, host: '127.0.0.1' });
const address = app.server.address();
console.log(`preview on http://127.0.0.1:${typeof address === 'object' && address ? address.port : env.PORT}/?key=${secret}`);
