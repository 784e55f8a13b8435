// The renderer is served from `app://bundle/`, a privileged, secure custom scheme, not from file://: with the fuse
// that takes file:// its extra privileges away, a module script loaded from disk may be refused, and a custom scheme
// gives the page its own origin, with the Content-Security-Policy sent as a response header (where frame-ancestors
// counts). Electron-free, so the same handler is tested in Node and its pages loaded in Chromium.
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** What `protocol.registerSchemesAsPrivileged` needs, before the app is ready. */
export const appSchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

/**
 * One policy for every page of the app, wherever it is served (this scheme, the browser preview): scripts and styles
 * only from the app itself, no plugins, no framing, no form posts anywhere.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every page and asset of the app is sent with. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const answer = (status: number, text: string) =>
  new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });

/**
 * Serves the built renderer in `rootDir`: GET and HEAD only, only the app's host, only files inside the folder
 * (encoded dots and slashes included), `/` as index.html. Anything else is a plain 4xx, never a directory listing.
 */
export function createRendererHandler(rootDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rootDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'Method Not Allowed');
    let url: URL;
    let pathname: string;
    try {
      url = new URL(request.url);
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return answer(400, 'Bad Request');
    }
    if (url.host !== APP_HOST && url.protocol === `${APP_SCHEME}:`) return answer(404, 'Not Found');
    if (pathname.includes('\0')) return answer(400, 'Bad Request');
    const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(root + sep)) return answer(404, 'Not Found');
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return answer(404, 'Not Found');
    }
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), {
      status: 200,
      headers: { 'content-type': type, 'cache-control': 'no-cache', ...SECURITY_HEADERS },
    });
  };
}
