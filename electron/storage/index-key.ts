/**
 * Index keys as SQLite BLOBs that sort exactly like RxDB's JavaScript strings.
 *
 * RxDB orders index strings with `<` on JavaScript strings, i.e. by UTF-16 code
 * units. SQLite compares TEXT (BINARY collation) by its UTF-8 bytes, i.e. by code
 * points, and the two disagree: a character outside the BMP (a surrogate pair,
 * 0xD800–0xDFFF) sorts *below* U+E000–U+FFFF in JavaScript but *above* them in
 * UTF-8. RxDB's own upper bound is U+FFFF, so with TEXT keys a range scan would
 * silently drop every emoji.
 *
 * The key is CESU-8: every UTF-16 code unit, surrogates included, written on its
 * own as a 1–3 byte UTF-8 sequence. That encoding is prefix-free and increasing
 * in the code unit, so memcmp over the bytes (how SQLite compares BLOBs, shorter
 * first on a common prefix) is exactly JavaScript's code-unit order. Unlike
 * UTF-16BE it keeps ASCII at one byte, which halves the index keys and the pages
 * each write touches. For text without surrogates CESU-8 and UTF-8 are the same
 * bytes, so the common case is one native encode. Lone surrogates survive too,
 * where a round trip through TEXT would turn them into U+FFFD.
 */
const SURROGATE = /[\uD800-\uDFFF]/;

export function indexKey(value: string): Uint8Array {
  if (!SURROGATE.test(value)) return Buffer.from(value, 'utf8');
  const bytes = Buffer.allocUnsafe(value.length * 3);
  let at = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) {
      bytes[at++] = unit;
    } else if (unit < 0x800) {
      bytes[at++] = 0xc0 | (unit >> 6);
      bytes[at++] = 0x80 | (unit & 0x3f);
    } else {
      bytes[at++] = 0xe0 | (unit >> 12);
      bytes[at++] = 0x80 | ((unit >> 6) & 0x3f);
      bytes[at++] = 0x80 | (unit & 0x3f);
    }
  }
  return bytes.subarray(0, at);
}

/** The string an index key was made from (CESU-8 back to UTF-16 code units, lone surrogates included). */
export function stringFromIndexKey(key: Uint8Array): string {
  let out = '';
  for (let i = 0; i < key.length; ) {
    const byte = key[i] as number;
    let unit: number;
    if (byte < 0x80) {
      unit = byte;
      i += 1;
    } else if (byte < 0xe0) {
      unit = ((byte & 0x1f) << 6) | ((key[i + 1] as number) & 0x3f);
      i += 2;
    } else {
      unit = ((byte & 0x0f) << 12) | (((key[i + 1] as number) & 0x3f) << 6) | ((key[i + 2] as number) & 0x3f);
      i += 3;
    }
    out += String.fromCharCode(unit);
  }
  return out;
}
