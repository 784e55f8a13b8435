/**
 * Turns an RxDB database name into a file name that is safe on every desktop
 * file system and never collides with another name's file.
 *
 * Lower-case ASCII letters, digits, '_' and '-' pass through, so ordinary names
 * keep readable files (`learners` → `learners.sqlite`). Every other UTF-8 byte
 * becomes `%XX`; upper-case letters are escaped too, because macOS and Windows
 * treat `A` and `a` as the same file. The escaping is injective, so two names
 * never share a file, and it removes path separators, `..`, NUL and anything
 * else a hostile name could use to leave the directory. Over-long names are cut
 * and made unique again with a digest of the whole name.
 */
import { createHash } from 'node:crypto';

const SAFE_CHAR = /^[a-z0-9_-]$/;
/** Device names Windows reserves whatever the extension (`con.sqlite` cannot be created there). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;
/** Leaves room for the extension and the `-wal` / `-shm` side files within the usual 255-byte limit. */
const MAX_STEM_BYTES = 200;

function escapeByte(byte: number): string {
  return '%' + byte.toString(16).toUpperCase().padStart(2, '0');
}

export function databaseFileStem(databaseName: string): string {
  if (databaseName.length === 0) {
    throw new Error('sqlite storage: the database name must not be empty');
  }
  let stem = '';
  for (const char of databaseName) {
    const code = char.charCodeAt(0);
    if (SAFE_CHAR.test(char)) {
      stem += char;
    } else if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      // UTF-8 cannot carry a lone surrogate (it would become U+FFFD and collide), so it gets its own form.
      stem += '%%' + code.toString(16).toUpperCase();
    } else {
      for (const byte of Buffer.from(char, 'utf8')) stem += escapeByte(byte);
    }
  }
  if (WINDOWS_RESERVED.test(stem)) {
    stem = escapeByte(stem.charCodeAt(0)) + stem.slice(1);
  }
  if (stem.length > MAX_STEM_BYTES) {
    // Truncation alone could make two long names collide; the digest of the full name keeps them apart.
    const digest = createHash('sha256').update(databaseName, 'utf8').digest('hex').slice(0, 32);
    stem = stem.slice(0, MAX_STEM_BYTES - 33) + '~' + digest;
  }
  return stem;
}

export function databaseFileName(databaseName: string): string {
  return databaseFileStem(databaseName) + '.sqlite';
}
