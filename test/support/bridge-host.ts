// The desktop's main-process services in Node behind the browser preview's bridge, on a fresh data folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { randomId } from '../../shared/ids';
import type { Result } from '../../shared/result';
import { now } from '../../shared/time';
import { createPreviewServer } from '../../electron/preview-server';
import { memoryBox } from '../../electron/secrets';
import { silentLog } from '../../electron/log';
import { startServices, type Services, type ServicesOptions } from '../../electron/services';
import type { ContractHost } from './hosts';

export async function bridgeHost(
  options: Partial<ServicesOptions> = {},
): Promise<ContractHost & { services: Services; app: FastifyInstance; baseUrl: string; dataDir: string; post(id: string, body: string, headers?: Record<string, string>): Promise<Result & { httpStatus: number }> }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lp-bridge-'));
  const services = await startServices({ dataDir, secrets: memoryBox(), log: silentLog, version: 'test', ...options });
  const app = await createPreviewServer(services, { rendererDir: join(dataDir, 'no-renderer') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const post = async (id: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}/api/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { ...((await response.json()) as Result), httpStatus: response.status };
  };
  return {
    services,
    app,
    baseUrl,
    dataDir,
    post,
    call: async (id, ...args) => {
      const { status, body } = await post(id, JSON.stringify(args));
      return { status, body };
    },
    async addAchievement(body) {
      const time = now();
      const uuid = randomId();
      await services.local.db.achievements.insert({ uuid, ...body, type: body.type as 'competency', is_deleted: false, created_time: time, last_modified_time: time });
      return uuid;
    },
    async close() {
      await app.close();
      await services.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
