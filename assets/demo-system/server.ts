// The bundled legacy demo system, "Acme Mutual — Claims Intake v3.2": a small,
// deliberately old-fashioned claims back office for RPA bots to work against.
// State lives in memory per server instance; see README.md for the pages.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { claimRoutes } from './claimRoutes.js';
import { IdGen, plainErrorPage } from './html.js';
import { invoiceRoutes } from './invoiceRoutes.js';
import { HttpError, parseCookies, redirect, rewriteHtml, sendHtml } from './http.js';
import { legacyRoutes } from './legacyRoutes.js';
import { SESSION_COOKIE, loginRoutes } from './loginRoutes.js';
import { reportRoutes } from './reportRoutes.js';
import { mutateHtml, type MutationKind } from './mutations.js';
import { matchRoute } from './router.js';
import type { Ctx, Route } from './router.js';
import { SessionStore } from './sessions.js';
import { createDemoState, resetDemoState } from './state.js';
import type { DemoState } from './state.js';
import { toolsRoutes } from './toolsRoutes.js';
import { wizardRoutes } from './wizardRoutes.js';

export { DEMO_PASSWORD, DEMO_USER } from './credentials.js';
export { MUTATION_KINDS, type MutationKind } from './mutations.js';
export type { ApInvoice, Attachment, Channel, Claim, ClaimStatus, ClaimType, DemoState, LoginAttempt } from './state.js';

export interface DemoSystemOptions {
  /** Port to listen on; default 0 = a random free port. */
  port?: number;
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** Server-side delay of the slow pages (claim submit, reports), in ms; default 1500. */
  slowMs?: number;
  /** Serve every page with this markup mutation (same forms and behaviour; see mutations.ts). */
  mutation?: MutationKind;
}

export interface DemoSystem {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43123 */
  url: string;
  /** The live in-memory state; read it in-process. Same object for the server's life. */
  state: DemoState;
  /** Back to the seed state (in place); also ends every session and draft. */
  reset(): void;
  close(): Promise<void>;
}

const ROUTES: readonly Route[] = [...loginRoutes, ...wizardRoutes, ...claimRoutes, ...legacyRoutes, ...toolsRoutes, ...invoiceRoutes, ...reportRoutes];

interface Env {
  state: DemoState;
  sessions: SessionStore;
  slowMs: number;
  sleep(ms: number): Promise<void>;
  mutation?: MutationKind | undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse, env: Env): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const mutation = env.mutation;
  if (mutation) rewriteHtml(res, (html) => mutateHtml(html, mutation));
  const match = matchRoute(ROUTES, req.method ?? 'GET', url.pathname);
  if (match === undefined) {
    sendHtml(res, 404, plainErrorPage(404, 'Not Found', `The requested URL ${url.pathname} was not found on this server.`));
    return;
  }
  if (match === 'method') {
    sendHtml(res, 405, plainErrorPage(405, 'Method Not Allowed', `The requested method ${req.method ?? ''} is not allowed for the URL ${url.pathname}.`));
    return;
  }
  const session = env.sessions.get(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
  const ctx: Ctx = { req, res, url, params: match.params, session, ids: new IdGen(), ...env };
  const route = match.route;
  if (!route.auth) {
    await route.handler(ctx);
  } else if (session) {
    await route.handler({ ...ctx, session });
  } else {
    redirect(res, '/login?expired=1');
  }
}

function fail(res: ServerResponse, err: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    const title = err.status === 413 ? 'Request Entity Too Large' : 'Bad Request';
    sendHtml(res, err.status, plainErrorPage(err.status, title, err.message));
    return;
  }
  if (err instanceof Error && err.name === 'AbortError') {
    res.destroy(); // the server is shutting down
    return;
  }
  sendHtml(res, 500, plainErrorPage(500, 'Internal Server Error', 'The server encountered an internal error and was unable to complete your request.'));
}

export async function startDemoSystem(opts: DemoSystemOptions = {}): Promise<DemoSystem> {
  const host = opts.host ?? '127.0.0.1';
  const state = createDemoState();
  const sessions = new SessionStore();
  const shutdown = new AbortController();
  const env: Env = {
    state,
    sessions,
    slowMs: Math.max(0, opts.slowMs ?? 1500),
    sleep: (ms) => (ms > 0 ? delay(ms, undefined, { signal: shutdown.signal }) : Promise.resolve()),
    mutation: opts.mutation,
  };
  const server = http.createServer((req, res) => {
    handle(req, res, env).catch((err: unknown) => fail(res, err));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    state,
    reset() {
      resetDemoState(state);
      sessions.clear();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
