// `npm run preview`: the main-process services in Node, and the renderer served to a browser on localhost. This is
// how the app runs, and is tested, where the Electron binary is not available.
import { resolve } from 'node:path';
import { z } from 'zod';
import pkg from '../package.json' with { type: 'json' };
import { setSystemClock } from '../shared/time';
import { memoryBox } from './secrets';
import { createPreviewServer } from './preview-server';
import { startServices } from './services';
import type { Log } from './log';

const env = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(5180),
    DATA_DIR: z.string().min(1).default('./.data/preview'),
    RENDERER_DIR: z.string().min(1).default('./dist/renderer'),
    SYNC_URL: z.string().optional(),
    SYNC_TOKEN: z.string().optional(),
    /** This device's name in the conflict log and the server's audit (Settings can change it). */
    DEVICE_NAME: z.string().trim().min(1).max(60).optional(),
    KIOSK: z.enum(['0', '1', 'true', 'false']).default('0'),
    KIOSK_PIN: z.string().optional(),
    KIOSK_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
    /** Makes this device's clock wrong by so many milliseconds (to see, and test, what a wrong clock does). */
    SIMULATED_CLOCK_SKEW_MS: z.coerce.number().int().default(0),
    /** The cap of sync's retry backoff (tests shorten it). */
    SYNC_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(600_000).default(60_000),
  })
  .parse(process.env);

const log: Log = {
  debug: () => {},
  info: (message, detail) => console.log(JSON.stringify({ level: 'info', message, ...detail })),
  warn: (message, detail) => console.warn(JSON.stringify({ level: 'warn', message, ...detail })),
  error: (message, detail) => console.error(JSON.stringify({ level: 'error', message, ...detail })),
};

if (env.SIMULATED_CLOCK_SKEW_MS !== 0) setSystemClock(() => Date.now() + env.SIMULATED_CLOCK_SKEW_MS);

const services = await startServices({
  dataDir: resolve(env.DATA_DIR),
  secrets: memoryBox(),
  log,
  version: pkg.version,
  kiosk: { enabled: env.KIOSK === '1' || env.KIOSK === 'true', pin: env.KIOSK_PIN, idleSeconds: env.KIOSK_IDLE_SECONDS },
  initialSync: { serverUrl: env.SYNC_URL, token: env.SYNC_TOKEN, deviceName: env.DEVICE_NAME },
  backoff: { first: Math.min(1_000, env.SYNC_BACKOFF_MAX_MS), max: env.SYNC_BACKOFF_MAX_MS },
});
const app = await createPreviewServer(services, { rendererDir: resolve(env.RENDERER_DIR) });

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await app.close();
  await services.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

await app.listen({ port: env.PORT, host: '127.0.0.1' });
const address = app.server.address();
console.log(`preview on http://127.0.0.1:${typeof address === 'object' && address ? address.port : env.PORT}`);
