// Restores a backup again and again until it is killed (restore-crash.test.ts kills it at random moments).
// Usage: node --import tsx restore-child.ts <data folder> <backup name>
import { silentLog } from '../../electron/log';
import { memoryBox } from '../../electron/secrets';
import { startServices } from '../../electron/services';
import { prepareRestore, recordRestore } from '../../electron/db/restore';
import { TEST_DATA_KEY } from '../support/data-key';

const [dataDir, backup] = process.argv.slice(2);
if (!dataDir || !backup) throw new Error('usage: restore-child.ts <data folder> <backup name>');

for (let n = 0; ; n++) {
  const services = await startServices({ dataDir, dataKey: TEST_DATA_KEY, secrets: memoryBox(), log: silentLog, version: 'test' });
  await prepareRestore(services.local.storage, dataDir, backup);
  recordRestore(dataDir, backup);
  if (n === 0) console.log('restoring');
  await services.close();
  // The next start carries out the restore the journal describes.
}
