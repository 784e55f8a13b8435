// Where the database's key comes from. It is random and sealed by the OS keychain (Electron's safeStorage) where
// the keychain is a real one; where it is weak or missing (on Linux without a keyring safeStorage falls back to a
// fixed password, `basic_text`), the key is derived from a passphrase the user enters at start instead. It never
// falls back to a fixed key. Either way the data folder holds `data-key.json` (0600): the sealed key, or the
// passphrase's salt, scrypt parameters and check value; never the key itself. The file says which mode a data
// folder uses from its first start on.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { privateFolder, removeFile, writePrivateFile } from '../private-files';
import {
  derive,
  MAX_PASSPHRASE_LENGTH,
  MIN_PASSPHRASE_LENGTH,
  newScryptParameters,
  passphraseLength,
  sameCheck,
  scryptParameters,
  type ScryptCost,
} from './passphrase';

export const KEY_FILE = 'data-key.json';
const KEY_BYTES = 32;

const keyFile = z.discriminatedUnion('mode', [
  z.strictObject({ version: z.literal(1), mode: z.literal('keychain'), sealed: z.base64() }),
  z.strictObject({ version: z.literal(1), mode: z.literal('passphrase'), kdf: scryptParameters, check: z.base64() }),
]);
type KeyFile = z.infer<typeof keyFile>;

export type KeyMode = KeyFile['mode'];
/** What opening the data needs now: nothing more (the keychain), the passphrase, or a new one (the first start). */
export type KeyNeed = 'nothing' | 'passphrase' | 'new-passphrase';

/** The key cannot be had (the keychain refuses, the key file is damaged): nothing was changed. */
export class KeyUnavailableError extends Error {
  override readonly name = 'KeyUnavailableError';
}

/** A new passphrase that breaks the rules (its message says which, in plain words). */
export class PassphraseRuleError extends Error {
  override readonly name = 'PassphraseRuleError';
}

export interface DataKeys {
  readonly mode: KeyMode;
  readonly file: string;
  needs(): KeyNeed;
  /** Keychain mode: the key, made and sealed at the first start. */
  open(): Promise<Uint8Array>;
  /** Passphrase mode: the key, or undefined when the passphrase is wrong (nothing is written). */
  unlock(passphrase: string): Promise<Uint8Array | undefined>;
  /** Passphrase mode, first start: a key from a new passphrase, its salt and check recorded. */
  create(passphrase: string): Promise<Uint8Array>;
  /** Removes a key file this start wrote, when the database it was meant for turned out to need another key. */
  discardCreated(): void;
  /** Passphrase mode, while running: whether this is the passphrase (for the lock screen). */
  checkPassphrase(passphrase: string): Promise<boolean>;
}

/** Electron's safeStorage, as far as the key needs it (passed in, so this file stays Electron-free). */
export interface Keychain {
  isEncryptionAvailable(): boolean;
  /** Linux only: which secret store backs safeStorage. */
  getSelectedStorageBackend?(): string;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
}

/** Backends that protect nothing: `basic_text` is a fixed password; `unknown` means none was found. */
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

/** Whether the keychain protects a secret with something the user has (their login), rather than a fixed password. */
export function keychainIsStrong(keychain: Keychain, platform: NodeJS.Platform = process.platform): boolean {
  if (!keychain.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  return !WEAK_BACKENDS.has(keychain.getSelectedStorageBackend?.() ?? 'unknown');
}

function readKeyFile(path: string): KeyFile | undefined {
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new KeyUnavailableError(`The key file ${path} is damaged, so the data cannot be opened. Nothing was changed.`);
  }
  const parsed = keyFile.safeParse(json);
  if (!parsed.success) throw new KeyUnavailableError(`The key file ${path} is not one this app wrote, so the data cannot be opened. Nothing was changed.`);
  return parsed.data;
}

function writeKeyFile(path: string, content: KeyFile): void {
  privateFolder(dirname(path));
  writePrivateFile(path, JSON.stringify(content, null, 2) + '\n');
}

/** The rules a new passphrase must meet; undefined when it meets them. */
export function passphraseProblem(passphrase: string): string | undefined {
  const length = passphraseLength(passphrase);
  if (length < MIN_PASSPHRASE_LENGTH) return `Use at least ${MIN_PASSPHRASE_LENGTH} characters (a few words make a good passphrase).`;
  if (length > MAX_PASSPHRASE_LENGTH) return `Use at most ${MAX_PASSPHRASE_LENGTH} characters.`;
  return undefined;
}

/**
 * The key source for a data folder: the mode its key file names, or for a first start the keychain if it is strong
 * and a passphrase otherwise. `keychain` is absent where there is none (the browser preview).
 */
export function dataKeys(dataDir: string, options: { keychain?: Keychain; platform?: NodeJS.Platform; scryptCost?: ScryptCost } = {}): DataKeys {
  const path = join(dataDir, KEY_FILE);
  let stored = readKeyFile(path);
  const mode: KeyMode = stored?.mode ?? (options.keychain && keychainIsStrong(options.keychain, options.platform) ? 'keychain' : 'passphrase');
  let created = false;
  const wrongMode = (wanted: KeyMode) => new Error(`this data folder uses a ${mode === 'keychain' ? 'keychain key' : 'passphrase'}, not a ${wanted === 'keychain' ? 'keychain key' : 'passphrase'}`);
  const passphraseFile = () => {
    if (stored?.mode !== 'passphrase') throw wrongMode('passphrase');
    return stored;
  };

  return {
    mode,
    file: path,
    needs: () => (mode === 'keychain' ? 'nothing' : stored ? 'passphrase' : 'new-passphrase'),
    async open() {
      if (mode !== 'keychain') throw wrongMode('keychain');
      const keychain = options.keychain;
      if (!keychain) throw new KeyUnavailableError('The system keychain is not available, so the data key cannot be opened. Nothing was changed.');
      if (stored?.mode === 'keychain') {
        try {
          const key = Buffer.from(keychain.decryptString(Buffer.from(stored.sealed, 'base64')), 'base64');
          if (key.length === KEY_BYTES) return key;
        } catch {
          // Said below, in plain words.
        }
        throw new KeyUnavailableError(
          'The system keychain did not open this device’s data key (was the keyring reset, or the data folder copied from another account?). Nothing was changed.',
        );
      }
      const key = randomBytes(KEY_BYTES);
      const sealed = keychain.encryptString(key.toString('base64')).toString('base64');
      stored = { version: 1, mode: 'keychain', sealed };
      writeKeyFile(path, stored);
      created = true;
      return key;
    },
    async unlock(passphrase) {
      const file = passphraseFile();
      const { key, check } = await derive(passphrase, file.kdf);
      return sameCheck(check, Buffer.from(file.check, 'base64')) ? key : undefined;
    },
    async create(passphrase) {
      if (mode !== 'passphrase') throw wrongMode('passphrase');
      if (stored) throw new Error('this data folder has a passphrase already');
      const problem = passphraseProblem(passphrase);
      if (problem) throw new PassphraseRuleError(problem);
      const kdf = newScryptParameters(options.scryptCost);
      const { key, check } = await derive(passphrase, kdf);
      // Recorded before the database is opened with the key: a plaintext database is encrypted on that open, and a
      // crash after it must not leave data whose key no file describes.
      stored = { version: 1, mode: 'passphrase', kdf, check: check.toString('base64') };
      writeKeyFile(path, stored);
      created = true;
      return key;
    },
    discardCreated() {
      if (!created) return;
      removeFile(path);
      stored = undefined;
      created = false;
    },
    async checkPassphrase(passphrase) {
      if (stored?.mode !== 'passphrase') return false;
      return (await this.unlock(passphrase)) !== undefined;
    },
  };
}
