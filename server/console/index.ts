// The audit web console: static files (HTML, one vanilla JS module, CSS) and the step-naming
// module it shares with the tray (audit/step-name.ts), served under /console with a strict
// Content-Security-Policy. The page talks only to the JSON API (/v1/…) with the bearer token the
// user pastes; the server holds no console state.
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

// img-src blob:: a failure screenshot is fetched with the auditor's token and shown from a blob: URL.
export const CONSOLE_CSP = "default-src 'self'; img-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'icon.svg': 'image/svg+xml',
};

/**
 * The static folder stays in the source tree (it is not compiled). Walk up from this module to
 * a folder holding server/console/static; a build dir outside the tree (its node_modules a
 * link into the tree) is followed through that link.
 */
export function findStaticDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  const tried: string[] = [];
  for (let dir = from; ; dir = dirname(dir)) {
    const candidates = [join(dir, 'server', 'console', 'static')];
    const modules = join(dir, 'node_modules');
    if (existsSync(modules)) candidates.push(join(dirname(realpathSync(modules)), 'server', 'console', 'static'));
    for (const candidate of candidates) {
      tried.push(candidate);
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`console static files not found (tried ${tried.join(', ')})`);
}

/**
 * The one step-naming function the tray also uses (audit/step-name.ts), served to the page as
 * compiled: a plain ES module with no imports, next to this module's build (dist/audit/).
 */
export const STEP_NAME_MODULE = fileURLToPath(new URL('../../audit/step-name.js', import.meta.url));

export interface ConsoleOptions {
  /** Where index.html, app.js and app.css live; found from this module when absent. */
  staticDir?: string;
}

export async function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): Promise<void> {
  const dir = options.staticDir ?? findStaticDir();
  const files = new Map(await Promise.all(Object.entries(FILES).map(async ([name, type]) => [name, { type, body: await readFile(join(dir, name)) }] as const)));
  files.set('step-name.js', { type: 'text/javascript; charset=utf-8', body: await readFile(STEP_NAME_MODULE) });
  const send = (reply: FastifyReply, name: string): FastifyReply => {
    const file = files.get(name)!;
    return reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cache-control', 'no-cache')
      .type(file.type)
      .send(file.body);
  };
  app.get('/console', (_request, reply) => send(reply, 'index.html'));
  app.get('/console/', (_request, reply) => send(reply, 'index.html'));
  for (const name of files.keys()) if (name !== 'index.html') app.get(`/console/${name}`, (_request, reply) => send(reply, name));
}
