// The moment a backup or a moved-aside file was made, in its name: sortable as text, valid in every file system.
export const stamp = (when: Date) => when.toISOString().replace(/[:.]/g, '-');

/** The ISO time a stamp stands for, or null for a name without one. */
export function stampTime(text: string): string | null {
  const match = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(text);
  return match ? `${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z` : null;
}
