// The renderer is served from our own scheme, app://renderer/…, never file://: a file:// page
// shares its origin with every file on the disk and never passes through onHeadersReceived, so
// no Content-Security-Policy header would apply to it. Every answer of this handler — pages,
// scripts, errors — carries the strict CSP below, and a path can name only a file inside the
// built renderer folder (dist/renderer).
import { protocol } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url));

/** Scripts and everything else only from our own origin; no eval, no plugins, no framing, no forms, no remote connections. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // React writes style attributes; no script can run from a style.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** The headers of every answer, the error answers included. */
function headers(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
}

function refuse(status: number, reason: string): Response {
  return new Response(reason, { status, headers: headers('text/plain; charset=utf-8') });
}

/** The URL of one of our pages (the renderer routes by hash: #/tray, #/studio). */
export function rendererUrl(route: string): string {
  return `${APP_ORIGIN}/index.html#/${route}`;
}

/** True for a URL of our renderer (a top-level page of app://renderer). */
export function isAppUrl(raw: string | undefined): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && !url.username && !url.password && !url.port;
  } catch {
    return false;
  }
}

/**
 * The answer to one request on the app scheme: a file of `root` (index.html for "/"), or a 4xx.
 * Paths that would leave `root` — `..` in any spelling, encoded separators, backslashes, NUL,
 * symbolic links pointing outside — are refused.
 */
export async function rendererResponse(request: Request, root: string = RENDERER_DIR): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
  if (!isAppUrl(request.url)) return refuse(404, 'not found');
  // The raw path, before any decoding: an encoded "/" or "\" or "." has no business in our file names.
  const rawPath = new URL(request.url).pathname;
  if (/%2f|%5c|%2e|%00|\\/i.test(rawPath)) return refuse(400, 'bad path');
  let relative: string;
  try {
    relative = decodeURIComponent(rawPath);
  } catch {
    return refuse(400, 'bad path');
  }
  if (relative.includes('\0')) return refuse(400, 'bad path');
  const segments = relative.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return refuse(400, 'bad path');
  if (segments.length === 0) segments.push('index.html');
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (path.relative(base, file).startsWith('..') || path.isAbsolute(path.relative(base, file))) return refuse(400, 'bad path');
  try {
    // A link inside the folder must not lead out of it.
    const [realBase, realFile] = await Promise.all([realpath(base), realpath(file)]);
    const inside = path.relative(realBase, realFile);
    if (inside.startsWith('..') || path.isAbsolute(inside)) return refuse(403, 'forbidden');
    if (!(await stat(realFile)).isFile()) return refuse(404, 'not found');
    const type = TYPES[path.extname(realFile).toLowerCase()] ?? 'application/octet-stream';
    const body = request.method === 'HEAD' ? null : await readFile(realFile);
    return new Response(body, { status: 200, headers: headers(type) });
  } catch {
    return refuse(404, 'not found');
  }
}

/**
 * Before the app is ready: app:// is a standard, secure origin (so 'self', fetch and modules work
 * as for https). corsEnabled lets the page's own `crossorigin` module script and stylesheet load;
 * no answer carries Access-Control-Allow-Origin, so no other origin can read ours.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);
}

/** After the app is ready: answer app:// from the built renderer. */
export function serveRenderer(root: string = RENDERER_DIR): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(request, root));
}
