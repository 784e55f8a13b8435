/**
 * Child process for the encryption-migration kill test: opens a database with
 * the test key (which encrypts a plaintext file) and then waits to be killed.
 * Prints one JSON line when it starts opening and one when the file is open.
 *
 * Usage: node --import tsx migration-child.ts <directory>
 */
import { getRxStorageSqliteNode } from '../../electron/storage';
import { filledLearnerSchema, openInstance, TEST_KEY } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

const [directory] = process.argv.slice(2);
if (!directory) throw new Error('usage: migration-child.ts <directory>');
const say = (message: object): void => {
  process.stdout.write(JSON.stringify(message) + '\n');
};

say({ opening: true });
await openInstance<Learner>(getRxStorageSqliteNode({ directory, encryptionKey: TEST_KEY }), 'migrating', filledLearnerSchema);
say({ opened: true });
setInterval(() => undefined, 60_000);
