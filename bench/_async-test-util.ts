/**
 * The two helpers RxDB's performance test takes from `async-test-util`, a test
 * dependency of RxDB's that this project does not install: the same behaviour,
 * so bench/rxdb.ts can run RxDB's own performance.js unchanged.
 */
export const wait = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const CHARS = 'abcdefghijklmnopqrstuvwxyz';
export function randomString(length = 12, charset = CHARS): string {
  let text = '';
  for (let i = 0; i < length; i++) text += charset.charAt(Math.floor(Math.random() * charset.length));
  return text;
}
