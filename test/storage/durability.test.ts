/**
 * Acknowledged means on disk: a bulkWrite resolves only after an fsync of the
 * WAL that started after its commit. Here fsync is held back to see that, with
 * the engine on the test's thread (a mock of node:fs does not reach a worker);
 * the worker runs the same engine.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { getRxStorageSqliteInThread } from '../../electron/storage';
import { WalFsync } from '../../electron/storage/wal-fsync';
import { filledLearnerSchema, makeTempDirectory, newDocument, openInstance } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

const fsyncGate = vi.hoisted(() => ({
  held: false,
  waiting: [] as (() => void)[],
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fsync = (fd: number, done: (error: NodeJS.ErrnoException | null) => void): void => {
    const run = (): void => fs.fsync(fd, done);
    if (fsyncGate.held) fsyncGate.waiting.push(run);
    else run();
  };
  return { ...fs, default: { ...fs, fsync }, fsync };
});

let directory: ReturnType<typeof makeTempDirectory>;
beforeEach(() => {
  directory = makeTempDirectory();
  fsyncGate.held = false;
});
afterEach(() => directory.remove());

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

test('a bulkWrite is acknowledged, and its change event emitted, only after the WAL fsync', async () => {
  const instance = await openInstance<Learner>(getRxStorageSqliteInThread({ directory: directory.path }), 'durable', filledLearnerSchema);
  await instance.bulkWrite([{ document: newDocument<Learner>({ id: 'warmup', name: 'w', age: 1, archived: false }) }], 'test');

  fsyncGate.held = true;
  try {
    await expectAcknowledgementAfterFsync(instance);
  } finally {
    fsyncGate.held = false;
    for (const run of fsyncGate.waiting.splice(0)) run();
    await instance.close();
  }
});

async function expectAcknowledgementAfterFsync(instance: Awaited<ReturnType<typeof openInstance<Learner>>>): Promise<void> {
  const events: string[] = [];
  const subscription = instance.changeStream().subscribe((bulk) => events.push(bulk.context));
  let acknowledged = false;
  const write = instance
    .bulkWrite([{ document: newDocument<Learner>({ id: 'ada', name: 'Ada', age: 36, archived: false }) }], 'held')
    .then(() => {
      acknowledged = true;
    });
  await tick();
  expect(acknowledged).toBe(false);
  expect(events).toEqual([]);
  // Committed already (other readers see it); only the acknowledgement waits for the disk.
  expect(await instance.findDocumentsById(['ada'], false)).toHaveLength(1);

  fsyncGate.held = false;
  for (const run of fsyncGate.waiting.splice(0)) run();
  await write;
  expect(acknowledged).toBe(true);
  expect(events).toEqual(['held']);
  subscription.unsubscribe();
}

test('commits made while an fsync runs share the next one, and every waiter needs an fsync begun after its commit', async () => {
  const syncs: (() => void)[] = [];
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${directory.path}/wal`, '');
  const walSync = new WalFsync(`${directory.path}/wal`, (_fd, done) => syncs.push(() => done(null)));
  const resolved: number[] = [];
  const wait = (commit: number): Promise<void> => walSync.durable(commit).then(() => void resolved.push(commit));

  const first = wait(1);
  await tick();
  expect(syncs).toHaveLength(1);
  const second = wait(2);
  const third = wait(3);
  await tick();
  // The running fsync may have started before commits 2 and 3: it must not acknowledge them.
  expect(syncs).toHaveLength(1);
  syncs.shift()!();
  await first;
  await tick();
  expect(resolved).toEqual([1]);
  expect(syncs).toHaveLength(1);
  syncs.shift()!();
  await Promise.all([second, third]);
  expect(resolved).toEqual([1, 2, 3]);
  await walSync.close();
});

test('a failed fsync rejects the writes waiting for it', async () => {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${directory.path}/wal`, '');
  const walSync = new WalFsync(`${directory.path}/wal`, (_fd, done) => done(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })));
  await expect(walSync.durable(1)).rejects.toThrow(/could not make the write durable: EIO/);
  await walSync.close();
});
