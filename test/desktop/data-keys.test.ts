// The database key: sealed by a strong keychain, or derived from a passphrase where the keychain is weak (never a
// fixed key); the key file that says which, private and never holding the key itself; wrong passphrases told apart
// without touching anything.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataKeys, KEY_FILE, keychainIsStrong, KeyUnavailableError, PassphraseRuleError, type Keychain } from '../../electron/keys/data-keys';
import { dataKeyBox, memoryBox } from '../../electron/secrets';

const FAST = { N: 2 ** 12, r: 8, p: 1 };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A keychain that seals for real (reversibly, with a secret of its own), as the OS's would. */
function keychain(backend = 'gnome_libsecret', secret = 0x5c): Keychain & { broken: boolean } {
  const flip = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ secret));
  return {
    broken: false,
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => flip(Buffer.from(text, 'utf8')),
    decryptString(data) {
      if (this.broken) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return flip(data).toString('utf8');
    },
  };
}

describe('the keychain', () => {
  it('counts as strong only with a real secret store behind it', () => {
    expect(keychainIsStrong(keychain('gnome_libsecret'), 'linux')).toBe(true);
    expect(keychainIsStrong(keychain('kwallet5'), 'linux')).toBe(true);
    expect(keychainIsStrong(keychain('basic_text'), 'linux')).toBe(false);
    expect(keychainIsStrong(keychain('unknown'), 'linux')).toBe(false);
    expect(keychainIsStrong({ ...keychain(), isEncryptionAvailable: () => false }, 'darwin')).toBe(false);
    expect(keychainIsStrong({ ...keychain(), getSelectedStorageBackend: undefined }, 'darwin')).toBe(true);
  });

  it('seals a random key at the first start and opens the same key later; the file never holds the key', async () => {
    const dir = tempDir();
    const chain = keychain();
    const first = dataKeys(dir, { keychain: chain, platform: 'linux' });
    expect(first.mode).toBe('keychain');
    expect(first.needs()).toBe('nothing');
    const key = Buffer.from(await first.open());
    expect(key).toHaveLength(32);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const file = readFileSync(join(dir, KEY_FILE), 'utf8');
    expect(file).not.toContain(key.toString('base64'));
    expect(file).not.toContain(key.toString('hex'));
    expect(Buffer.from(await dataKeys(dir, { keychain: chain, platform: 'linux' }).open()).equals(key)).toBe(true);

    chain.broken = true;
    await expect(dataKeys(dir, { keychain: chain, platform: 'linux' }).open()).rejects.toThrow(KeyUnavailableError);
    expect(readFileSync(join(dir, KEY_FILE), 'utf8')).toBe(file);
  });

  it('is not used where it is weak: a passphrase is asked for instead, and stays the mode once chosen', async () => {
    const dir = tempDir();
    const weak = dataKeys(dir, { keychain: keychain('basic_text'), platform: 'linux', scryptCost: FAST });
    expect(weak.mode).toBe('passphrase');
    expect(weak.needs()).toBe('new-passphrase');
    await expect(weak.open()).rejects.toThrow(/passphrase/);
    await weak.create('a long enough passphrase');
    // A keyring installed later changes nothing for this data folder.
    const later = dataKeys(dir, { keychain: keychain('gnome_libsecret'), platform: 'linux' });
    expect(later.mode).toBe('passphrase');
    expect(later.needs()).toBe('passphrase');
  });
});

describe('a passphrase', () => {
  it('must have at least 12 characters, and gives the same key each time, wrong ones none', async () => {
    const dir = tempDir();
    const keys = dataKeys(dir, { scryptCost: FAST });
    await expect(keys.create('short')).rejects.toThrow(PassphraseRuleError);
    await expect(keys.create('eleven char')).rejects.toThrow(/at least 12 characters/);
    expect(existsSync(join(dir, KEY_FILE))).toBe(false);
    const key = Buffer.from(await keys.create('correct horse battery'));
    const file = readFileSync(join(dir, KEY_FILE), 'utf8');
    expect(JSON.parse(file)).toMatchObject({ version: 1, mode: 'passphrase', kdf: { name: 'scrypt', N: FAST.N, r: 8, p: 1 } });
    expect(file).not.toContain('correct horse');
    expect(file).not.toContain(key.toString('base64'));
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);

    const again = dataKeys(dir);
    expect(await again.unlock('correct horse batterY')).toBeUndefined();
    expect(Buffer.from((await again.unlock('correct horse battery'))!).equals(key)).toBe(true);
    expect(await again.checkPassphrase('wrong passphrase!')).toBe(false);
    expect(await again.checkPassphrase('correct horse battery')).toBe(true);
    expect(readFileSync(join(dir, KEY_FILE), 'utf8')).toBe(file);
  });

  it('is the same passphrase however its accents were composed', async () => {
    const dir = tempDir();
    const key = Buffer.from(await dataKeys(dir, { scryptCost: FAST }).create('crème brûlée à deux'));
    const decomposed = 'crème brûlée à deux'.normalize('NFD');
    expect(Buffer.from((await dataKeys(dir).unlock(decomposed))!).equals(key)).toBe(true);
  });

  it('refuses a key file it did not write, or one that asks for unbounded work', () => {
    const dir = tempDir();
    writeFileSync(join(dir, KEY_FILE), '{not json');
    expect(() => dataKeys(dir)).toThrow(KeyUnavailableError);
    writeFileSync(join(dir, KEY_FILE), JSON.stringify({ version: 1, mode: 'passphrase', kdf: { name: 'scrypt', N: 2 ** 30, r: 8, p: 1, salt: 'AAAA' }, check: 'AAAA' }));
    expect(() => dataKeys(dir)).toThrow(/not one this app wrote/);
  });

  it('forgets a key file this start wrote when the database turned out to need another key', async () => {
    const dir = tempDir();
    const keys = dataKeys(dir, { scryptCost: FAST });
    await keys.create('correct horse battery');
    keys.discardCreated();
    expect(existsSync(join(dir, KEY_FILE))).toBe(false);
    expect(keys.needs()).toBe('new-passphrase');
  });
});

describe('the token box from the data key', () => {
  it('seals and opens, refuses another key, and still opens what the keychain sealed before', () => {
    const key = new Uint8Array(32).fill(3);
    const box = dataKeyBox(key);
    const sealed = box.seal('device-token-123');
    expect(sealed).not.toContain('device-token-123');
    expect(box.open(sealed)).toBe('device-token-123');
    expect(() => dataKeyBox(new Uint8Array(32).fill(4)).open(sealed)).toThrow(/enter it again/);
    const before = memoryBox();
    expect(dataKeyBox(key, before).open(before.seal('old-token'))).toBe('old-token');
  });
});
