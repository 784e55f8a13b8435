import { sha256 } from '@noble/hashes/sha2.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const ID_LENGTH = 20;
export const ID_PATTERN = /^[A-Za-z0-9]{20}$/;

/** A random 20-character id from [A-Za-z0-9], uniform (bytes ≥ 248 are rejected to avoid modulo bias). */
export function randomId(): string {
  let id = '';
  while (id.length < ID_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < 248 && id.length < ID_LENGTH) id += ALPHABET[byte % 62];
    }
  }
  return id;
}

/**
 * A profile's uuid is a function of its learner's id, so two devices that create a profile for the same learner
 * while offline produce the same document, which sync merges instead of breaking one-profile-per-learner.
 */
export function profileUuidFor(learnerId: string): string {
  return idFromText(`learner-profile:${learnerId}`);
}

/** An id of the usual form that any host derives alike from the same text (base62 of its SHA-256). */
export function idFromText(text: string): string {
  let n = 0n;
  for (const byte of sha256(new TextEncoder().encode(text))) n = (n << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) {
    id += ALPHABET[Number(n % 62n)];
    n /= 62n;
  }
  return id;
}
