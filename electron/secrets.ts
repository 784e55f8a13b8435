// Encrypts secrets at rest (the device token): Electron's safeStorage where the keychain is strong, a key derived from
// the data key where it is weak, memory only in the browser preview.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface SecretBox {
  /** Whether secrets written now survive a restart. */
  readonly persistent: boolean;
  seal(secret: string): string;
  open(sealed: string): string;
}

/** Over Electron's `safeStorage` (the OS keychain, DPAPI or libsecret), passed in to keep this file Electron-free. */
export function safeStorageBox(safeStorage: {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(data: Buffer): string;
}): SecretBox {
  return {
    persistent: true,
    seal(secret) {
      if (!safeStorage.isEncryptionAvailable()) throw new Error('the system keychain is not available to encrypt the token');
      return safeStorage.encryptString(secret).toString('base64');
    },
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

/** Keeps secrets in this process only: nothing secret is written to disk without an OS keychain. */
export function memoryBox(): SecretBox {
  const secrets = new Map<string, string>();
  let next = 0;
  return {
    persistent: false,
    seal(secret) {
      const handle = `memory:${next++}`;
      secrets.set(handle, secret);
      return handle;
    },
    open(sealed) {
      const secret = secrets.get(sealed);
      if (secret === undefined) throw new Error('the token was kept in memory only and is gone since the restart');
      return secret;
    },
  };
}

const DATA_KEY_PREFIX = 'k1:';

/**
 * Seals secrets with a key derived from the database's key: for devices whose keychain is weak (then safeStorage
 * would only hide the token behind a fixed password). Tokens sealed by safeStorage before are still opened by it.
 */
export function dataKeyBox(dataKey: Uint8Array, fallback?: SecretBox): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'learner-profiles secrets v1', 32));
  return {
    persistent: true,
    seal(secret) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return `${DATA_KEY_PREFIX}${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith(DATA_KEY_PREFIX)) {
        if (fallback) return fallback.open(sealed);
        throw new Error('the token must be entered again in Settings');
      }
      const bytes = Buffer.from(sealed.slice(DATA_KEY_PREFIX.length), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('the saved token could not be opened; enter it again in Settings');
      }
    },
  };
}
