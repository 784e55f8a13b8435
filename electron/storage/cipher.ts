/**
 * Sealing of stored values with AES-256-GCM (node:crypto, so OpenSSL and the
 * CPU's AES instructions do the work).
 *
 * A sealed value is one BLOB: a format byte, a random 12-byte nonce, the
 * ciphertext and the 16-byte tag. The caller's additional data (which table and
 * which document a value belongs to) is authenticated but not stored, so a
 * value copied to another row, or tampered with, fails to open.
 *
 * Random nonces are safe for about 2^32 seals with one key, far beyond what a
 * learner database writes in its life.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

const FORMAT = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;
export const KEY_BYTES = 32;

export class Cipher {
  private readonly key: Buffer;
  /** Imported once: a raw key given to each cipher call is imported again every time, half the cost of a small seal. */
  private readonly keyObject: KeyObject;

  constructor(key: Uint8Array) {
    if (key.byteLength !== KEY_BYTES) {
      throw new Error(`sqlite storage: encryptionKey must be ${KEY_BYTES} bytes, not ${key.byteLength}`);
    }
    // A private copy: the caller may wipe or reuse its array.
    this.key = Buffer.from(key);
    this.keyObject = createSecretKey(this.key);
  }

  seal(plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyObject, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const body = cipher.update(plaintext);
    const final = cipher.final();
    const sealed = Buffer.allocUnsafe(HEADER_BYTES + body.length + final.length + TAG_BYTES);
    sealed[0] = FORMAT;
    nonce.copy(sealed, 1);
    body.copy(sealed, HEADER_BYTES);
    final.copy(sealed, HEADER_BYTES + body.length);
    cipher.getAuthTag().copy(sealed, sealed.length - TAG_BYTES);
    return sealed;
  }

  /** The plaintext, or undefined when the value is not one this key sealed for this place (wrong key, tampered, truncated). */
  open(sealed: Uint8Array, aad: Uint8Array): Buffer | undefined {
    if (sealed.byteLength < HEADER_BYTES + TAG_BYTES || sealed[0] !== FORMAT) return undefined;
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyObject, bytes.subarray(1, HEADER_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const body = decipher.update(bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES));
      const final = decipher.final();
      return final.length === 0 ? body : Buffer.concat([body, final]);
    } catch {
      return undefined;
    }
  }

  /** Same key, compared without leaking where two keys differ. */
  sameKey(key: Uint8Array): boolean {
    return key.byteLength === KEY_BYTES && timingSafeEqual(this.key, Buffer.from(key.buffer, key.byteOffset, key.byteLength));
  }
}

/**
 * Additional data naming where a value lives: length-prefixed parts, so no two
 * different (table, id, …) tuples give the same bytes.
 */
export function placeOf(...parts: (string | Uint8Array)[]): Uint8Array {
  const buffers = parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part.buffer, part.byteOffset, part.byteLength)));
  const out = Buffer.allocUnsafe(buffers.reduce((n, b) => n + 4 + b.length, 0));
  let at = 0;
  for (const buffer of buffers) {
    out.writeUInt32BE(buffer.length, at);
    buffer.copy(out, at + 4);
    at += 4 + buffer.length;
  }
  return out;
}
