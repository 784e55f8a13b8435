// Talking to a browser preview as its own screens do: the start line's address carries this launch's secret, opening
// it once gives the cookie every later call sends. Test and bench processes set DATA_PASSPHRASE for the previews they
// start (there is no keychain, and no terminal to type it on).
import type { Result } from '../../shared/result';

/** What previews started by tests and benchmarks use to open their data. */
export const TEST_PASSPHRASE = 'correct horse battery staple';

/** The preview's start line: its address, and the secret in it. */
export const PREVIEW_LINE = /preview on (http:\/\/127\.0\.0\.1:\d+)\/\?key=([A-Za-z0-9_-]+)/;

/** Opens the address with the key as a browser would, and returns the cookie it set (`name=value`). */
export async function previewCookie(baseUrl: string, secret: string): Promise<string> {
  const response = await fetch(`${baseUrl}/?key=${secret}`, { redirect: 'manual' });
  const setCookie = response.headers.get('set-cookie');
  if (response.status !== 303 || !setCookie) throw new Error(`the preview gave no cookie for its key (${response.status})`);
  return setCookie.split(';')[0]!;
}

/** Calls operations of a preview the way its screens do: `POST /api/<id>` with the argument list, with the cookie. */
export function previewCaller(baseUrl: string, cookie: string) {
  return async <T = unknown>(id: string, ...args: unknown[]): Promise<Result<T>> => {
    const response = await fetch(`${baseUrl}/api/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(args) });
    return (await response.json()) as Result<T>;
  };
}
