// Searches every byte of every file under a folder for values, as UTF-8 and as UTF-16 in either byte order (SQLite
// may store text either way), and reports where each was found.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

export function foldersUnder(folder: string): string[] {
  return [folder, ...readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(e.parentPath, e.name))];
}

export function scanFolder(folder: string, values: readonly string[]): string[] {
  const found: string[] = [];
  const needles = values.map((value) => {
    const utf16le = Buffer.from(value, 'utf16le');
    return { value, forms: [['utf-8', Buffer.from(value, 'utf8')], ['utf-16le', utf16le], ['utf-16be', Buffer.from(utf16le).swap16()]] as const };
  });
  for (const file of filesUnder(folder)) {
    const bytes = readFileSync(file);
    for (const { value, forms } of needles) {
      for (const [encoding, needle] of forms) if (bytes.includes(needle)) found.push(`${value} as ${encoding} in ${file}`);
    }
  }
  return found;
}

/** Files and folders that anyone but the user could read. */
export function notPrivate(folder: string): string[] {
  return [
    ...foldersUnder(folder).filter((path) => (statSync(path).mode & 0o777) !== 0o700).map((path) => `${path} (folder)`),
    ...filesUnder(folder).filter((path) => (statSync(path).mode & 0o777) !== 0o600),
  ];
}
