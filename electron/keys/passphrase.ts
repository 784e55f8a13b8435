// The data key from a passphrase: scrypt (node:crypto, on libuv's threads, so the main process never waits for it),
// slow and memory-hard on purpose, with a random salt. The derivation also yields a check value, kept beside the
// salt, so a wrong passphrase is told apart before the database is opened, and the lock screen can check a passphrase
// while the database is open.
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** New passphrases have at least this many characters: long enough to be a phrase, not a word. */
export const MIN_PASSPHRASE_LENGTH = 12;
export const MAX_PASSPHRASE_LENGTH = 1024;

/** scrypt's cost: N 2^17, r 8 (128 MiB, about half a second on a laptop). Stored with each key, so it can rise later. */
export const DEFAULT_SCRYPT_COST = { N: 2 ** 17, r: 8, p: 1 } as const;
export type ScryptCost = { N: number; r: number; p: number };

/** The parameters recorded in the key file, bounded so that a tampered file cannot ask for unbounded work. */
export const scryptParameters = z.strictObject({
  name: z.literal('scrypt'),
  N: z.number().int().min(2 ** 10).max(2 ** 20).refine((n) => (n & (n - 1)) === 0, 'N is a power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.base64(),
});
export type ScryptParameters = z.infer<typeof scryptParameters>;

const CHECK_LABEL = 'learner-profiles passphrase check v1';

/** Characters as a person counts them (code points), after Unicode normalization. */
export const passphraseLength = (passphrase: string) => [...passphrase.normalize('NFC')].length;

export function newScryptParameters(cost: ScryptCost = DEFAULT_SCRYPT_COST): ScryptParameters {
  return { name: 'scrypt', ...cost, salt: randomBytes(16).toString('base64') };
}

/** The 32-byte data key and the check value for a passphrase. */
export async function derive(passphrase: string, parameters: ScryptParameters): Promise<{ key: Buffer; check: Buffer }> {
  const { N, r, p } = parameters;
  // The same passphrase typed on another keyboard or system may arrive composed differently.
  const secret = passphrase.normalize('NFC');
  const master = await new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, Buffer.from(parameters.salt, 'base64'), 64, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, bytes) =>
      error ? reject(error) : resolve(bytes),
    ),
  );
  const key = Buffer.from(master.subarray(0, 32));
  const check = createHmac('sha256', master.subarray(32)).update(CHECK_LABEL).digest();
  master.fill(0);
  return { key, check };
}

export function sameCheck(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
