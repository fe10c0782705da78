// The demo system's tiny router: routes are (method, path pattern) pairs;
// routes marked `auth` need a signed-in session.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IdGen } from './html.js';
import type { Session, SessionStore } from './sessions.js';
import type { DemoState } from './state.js';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Capture groups of the route pattern, URI-decoded. */
  params: string[];
  state: DemoState;
  sessions: SessionStore;
  session: Session | undefined;
  /** Fresh random element ids for this render. */
  ids: IdGen;
  /** Server-side delay of the slow pages, in ms. */
  slowMs: number;
  /** Wait, unless the server shuts down first (then it rejects). */
  sleep(ms: number): Promise<void>;
}

export interface AuthCtx extends Ctx {
  session: Session;
}

export type Method = 'GET' | 'POST';

export type Route =
  | { method: Method; pattern: RegExp; auth: false; handler: (ctx: Ctx) => Promise<void> | void }
  | { method: Method; pattern: RegExp; auth: true; handler: (ctx: AuthCtx) => Promise<void> | void };

export function publicRoute(method: Method, pattern: RegExp, handler: (ctx: Ctx) => Promise<void> | void): Route {
  return { method, pattern, auth: false, handler };
}

export function authRoute(method: Method, pattern: RegExp, handler: (ctx: AuthCtx) => Promise<void> | void): Route {
  return { method, pattern, auth: true, handler };
}

export interface RouteMatch {
  route: Route;
  params: string[];
}

/**
 * The route for this method and path; `'method'` when the path exists only for
 * other methods; undefined when nothing matches.
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch | 'method' | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    const wanted = method === 'HEAD' ? 'GET' : method;
    if (route.method !== wanted) continue;
    const params: string[] = [];
    for (const group of m.slice(1)) {
      try {
        params.push(decodeURIComponent(group ?? ''));
      } catch {
        return undefined;
      }
    }
    return { route, params };
  }
  return pathMatched ? 'method' : undefined;
}
