// The desktop's main-process runtime in Node behind the browser preview's bridge, on a fresh data folder, its data
// opened with the test passphrase (a fast scrypt cost: the key's strength is not what these tests are about).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { randomId } from '../../shared/ids';
import type { Result } from '../../shared/result';
import { now } from '../../shared/time';
import { dataKeys } from '../../electron/keys/data-keys';
import { createPreviewServer } from '../../electron/preview-server';
import { createRuntime, type AppRuntime, type RuntimeOptions } from '../../electron/runtime';
import { memoryBox } from '../../electron/secrets';
import { silentLog } from '../../electron/log';
import type { Services } from '../../electron/services';
import type { ContractHost } from './hosts';
import { previewCookie, TEST_PASSPHRASE } from './preview-client';

export const FAST_SCRYPT = { N: 2 ** 12, r: 8, p: 1 };

export type BridgeHost = ContractHost & {
  runtime: AppRuntime;
  /** The running services (new ones after a restore). */
  readonly services: Services;
  app: FastifyInstance;
  baseUrl: string;
  dataDir: string;
  /** The cookie this launch's key gave: sent with every call unless the headers say otherwise. */
  cookie: string;
  post(id: string, body: string, headers?: Record<string, string>): Promise<Result & { httpStatus: number }>;
};

export async function bridgeHost(options: Partial<Omit<RuntimeOptions, 'keys'>> & { passphrase?: string } = {}): Promise<BridgeHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lp-bridge-'));
  const runtime = createRuntime({
    dataDir,
    keys: dataKeys(dataDir, { scryptCost: FAST_SCRYPT }),
    secrets: () => memoryBox(),
    log: silentLog,
    version: 'test',
    // Nobody sits at this screen: the tests that are about the idle lock turn it on.
    initialSettings: { autoLockMinutes: 0 },
    ...options,
  });
  const opened = await runtime.openWithPassphrase(options.passphrase ?? TEST_PASSPHRASE);
  if (opened.status !== 200) {
    await runtime.close();
    throw new Error(opened.body.message);
  }
  const secret = randomBytes(24).toString('base64url');
  const app = await createPreviewServer(runtime, { rendererDir: join(dataDir, 'no-renderer'), secret });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const cookie = await previewCookie(baseUrl, secret);
  const post = async (id: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}/api/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body });
    return { ...((await response.json()) as Result), httpStatus: response.status };
  };
  return {
    runtime,
    get services() {
      return runtime.services()!;
    },
    app,
    baseUrl,
    dataDir,
    cookie,
    post,
    call: async (id, ...args) => {
      const { status, body } = await post(id, JSON.stringify(args));
      return { status, body };
    },
    async addAchievement(body) {
      const time = now();
      const uuid = randomId();
      await runtime.services()!.local.db.achievements.insert({ uuid, ...body, type: body.type as 'competency', is_deleted: false, created_time: time, last_modified_time: time });
      return uuid;
    },
    async close() {
      await app.close();
      await runtime.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
