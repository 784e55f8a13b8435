// The contract's operations on the desktop's local database.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { isOperationId, restContract } from '../../shared/contract';
import { invoke } from '../../shared/operations';
import { randomId } from '../../shared/ids';
import { now } from '../../shared/time';
import { fail } from '../../shared/result';
import { createAppDatabase, type AppDatabase } from '../../electron/db/database';
import { createRxRepository } from '../../electron/db/repository';
import type { ContractHost } from './hosts';

let databases = 0;

export async function localHost(db?: AppDatabase): Promise<ContractHost & { db: AppDatabase }> {
  const database = db ?? (await createAppDatabase(getRxStorageMemory(), `test-${process.pid}-${databases++}`));
  const repo = createRxRepository(database);
  return {
    db: database,
    call: async (id, ...args) =>
      !isOperationId(id) || 'serverOnly' in restContract[id] ? fail(404, 'Not Found') : invoke(repo, id, args),
    // The catalog reaches the desktop by sync from the server.
    async addAchievement(body) {
      const time = now();
      const uuid = randomId();
      await database.achievements.insert({ uuid, ...body, type: body.type as 'competency', is_deleted: false, created_time: time, last_modified_time: time });
      return uuid;
    },
    close: () => repo.close(),
  };
}
