/** Form inputs give '' for "nothing": the API means that by leaving the key out. Empty groups go too. */
export function withoutBlanks<T>(value: T): T {
  if (Array.isArray(value)) return value as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => [key, withoutBlanks(item)] as const)
    .filter(([, item]) => item !== '' && item !== undefined && !(item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 0));
  return Object.fromEntries(entries) as T;
}
