/** Encrypts secrets at rest: Electron's safeStorage in the app; memory only in the browser preview. */
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
