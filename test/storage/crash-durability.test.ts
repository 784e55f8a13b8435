/**
 * Crash durability: a child process writes in a loop and is killed with SIGKILL
 * at random moments, 32 times, on the same database. After every kill the file
 * must pass PRAGMA integrity_check, open through the storage, hold every
 * acknowledged write (at its revision or a later one), show no torn document,
 * and show the one unacknowledged bulk either entirely or not at all, in both
 * collections when it was a write across collections.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getHeightOfRevision } from 'rxdb';
import { getRxStorageSqliteNode } from '../../electron/storage';
import { encryptionModes, filledLearnerSchema, makeTempDirectory, openInstance } from './storage-fixtures';
import type { Learner } from './storage-fixtures';

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const ROUNDS = 32;

type Message = { ready?: true; intent?: [string, number][]; bulk?: number; ack?: number };


type Writer = { start: () => Promise<Message[]> };

/**
 * Spawns a writer that loads straight away but only opens the database when
 * started; start() lets it write until a random moment, kills it, and returns
 * what it said. Loading takes most of a second, so the next writer loads while
 * the current one runs.
 */
function spawnWriter(directory: string, encrypted: boolean, round: number): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, directory, String(round), encrypted ? 'encrypted' : 'plaintext'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: Message[] = [];
  let buffered = '';
  let stderr = '';
  let killTimer: NodeJS.Timeout | undefined;
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  // Every fourth round dies while opening the database or in its first writes; the others after a stretch of writing.
  const killedEarly = round % 4 === 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffered.slice(0, newline)) as Message;
      buffered = buffered.slice(newline + 1);
      messages.push(message);
      if (message.ready && !killedEarly) killTimer = setTimeout(kill, 20 + Math.random() * 250);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Message[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve(messages);
    });
  });
  return {
    start() {
      child.stdin.write('go\n');
      if (killedEarly) killTimer = setTimeout(kill, Math.random() * 400);
      return exited;
    },
  };
}

describe.each(encryptionModes)('$mode', ({ encryptionKey }) => {
  let directory: ReturnType<typeof makeTempDirectory>;
  beforeAll(() => {
    directory = makeTempDirectory('rx-sqlite-crash-');
  });
  afterAll(() => directory.remove());

  test(`every acknowledged write survives ${ROUNDS} SIGKILLs and the file stays intact`, async () => {
    const acknowledged = new Map<string, number>();
    let totalAcks = 0;
    let unacknowledgedBulks = 0;
    let mirroredDocuments = 0;

    let writer = spawnWriter(directory.path, encryptionKey !== undefined, 1);
    for (let round = 1; round <= ROUNDS; round++) {
      const messages = await writer.start();
      if (round < ROUNDS) writer = spawnWriter(directory.path, encryptionKey !== undefined, round + 1);

      // What the writer had been told was durable, and what it was in the middle of.
      const intents = new Map<number, [string, number][]>();
      let lastIntent: [string, number][] | undefined;
      for (const message of messages) {
        if (message.intent && message.bulk !== undefined) {
          intents.set(message.bulk, message.intent);
          lastIntent = message.intent;
        }
        if (message.ack !== undefined) {
          for (const [id, height] of intents.get(message.ack) ?? []) acknowledged.set(id, Math.max(height, acknowledged.get(id) ?? 0));
          totalAcks++;
          lastIntent = undefined;
        }
      }

      const raw = new DatabaseSync(join(directory.path, 'crash.sqlite'));
      expect(raw.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }]);
      if (encryptionKey && raw.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'rx_learners_v0'`).get()) {
        // Every document body on disk is sealed, whatever moment the writer died at.
        expect(raw.prepare(`SELECT COUNT(*) AS n FROM rx_learners_v0 WHERE typeof(data) != 'blob'`).get()).toEqual({ n: 0 });
      }
      raw.close();

      const instance = await openInstance<Learner>(getRxStorageSqliteNode({ directory: directory.path, encryptionKey }), 'crash', filledLearnerSchema);
      try {
        const ids = [...acknowledged.keys()];
        const found = new Map((await instance.findDocumentsById(ids, true)).map((doc) => [doc.id, doc]));
        for (const [id, height] of acknowledged) {
          const doc = found.get(id);
          expect(doc, `acknowledged ${id}@${height} is missing after round ${round}`).toBeDefined();
          expect(getHeightOfRevision(doc!._rev)).toBeGreaterThanOrEqual(height);
        }
        // No torn documents: every stored document is exactly what its own revision wrote.
        for (const doc of found.values()) {
          const height = getHeightOfRevision(doc._rev);
          expect([doc.name, doc.age]).toEqual([`${doc.id}#${height}`, height % 150]);
        }
        // A write across collections is all or nothing too: the documents written with a copy in the mirror
        // collection (the bulk in flight included) are there in both or in neither, at the same version.
        const mirror = await openInstance<Learner>(getRxStorageSqliteNode({ directory: directory.path, encryptionKey }), 'crash', filledLearnerSchema, 'mirror');
        try {
          const checked = [...ids, ...(lastIntent ?? []).map(([id]) => id)].filter((id) => /-m\d+$/.test(id));
          const versions = async (of: typeof instance) =>
            new Map((await of.findDocumentsById(checked, true)).map((doc) => [doc.id, [doc.name, doc.age]]));
          const [originals, copies] = [await versions(instance), await versions(mirror)];
          expect(copies).toEqual(originals);
          mirroredDocuments += copies.size;
        } finally {
          await mirror.close();
        }
        if (lastIntent) {
          // The bulk in flight at the kill is all there or not there at all.
          unacknowledgedBulks++;
          const inFlight = await instance.findDocumentsById(lastIntent.map(([id]) => id), true);
          const applied = lastIntent.filter(([id, height]) => inFlight.some((d) => d.id === id && getHeightOfRevision(d._rev) >= height));
          expect([0, lastIntent.length]).toContain(applied.length);
        }
      } finally {
        await instance.close();
      }
    }
    // The kills must have landed while writing, not only before or after.
    expect(totalAcks).toBeGreaterThan(ROUNDS * 5);
    expect(unacknowledgedBulks).toBeGreaterThan(ROUNDS / 3);
    expect(mirroredDocuments).toBeGreaterThan(ROUNDS * 5);
  }, 300_000);
});
