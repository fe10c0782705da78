// `rpa studio`'s server: Fastify on 127.0.0.1 serving the built renderer, the studio API as
// REST under /api/ and a WebSocket at /api/ws that pushes run events, debugger pauses and
// recording steps. Every route but the static UI needs the session token (Authorization:
// Bearer, or ?token= for the WebSocket, which browsers cannot give headers), checked on the
// route the router matched, never on the raw path; nothing logs it. State changes and the
// WebSocket handshake are refused from any browser origin but the studio's own.
import { PolicyInvalidError, PolicyViolationError } from '../policy/policy.js';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { AutomationInvalidError, MissingInputError, MissingSecretError, RpaError, serializeError, UsageError } from '../errors.js';
import { ConflictError, NotAvailableError, NotFoundError, RequestInvalidError } from './errors.js';
import type { Method } from './messages.js';
import { pathParams, ROUTES, WS_PATH } from './routes.js';
import type { StudioApi } from './studio-service.js';

export interface StudioServerOptions {
  /** The studio API: a StudioService in this process, or the engine host's over its socket. */
  service: StudioApi;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** For tests; default 32 random bytes. */
  token?: string;
}

export interface StudioServer {
  port: number;
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  url: string;
  token: string;
  close(): Promise<void>;
}

/** The part of a `ws` socket the push channel uses (ws ships no types of its own). */
interface PushSocket {
  readyState: number;
  send(data: string): void;
  on(event: 'close' | 'error', listener: () => void): void;
  terminate(): void;
}
const OPEN = 1;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks the static UI's routes, the only ones open without the session token. */
    publicUi?: boolean;
  }
}

const STATUS: Array<[new (...args: never[]) => Error, number]> = [
  [RequestInvalidError, 400],
  [UsageError, 400],
  [MissingInputError, 400],
  [MissingSecretError, 400],
  [NotFoundError, 404],
  [ConflictError, 409],
  [AutomationInvalidError, 422],
  [NotAvailableError, 501],
  [PolicyInvalidError, 403],
  [PolicyViolationError, 403],
];

function statusOf(error: unknown): number {
  for (const [type, status] of STATUS) if (error instanceof type) return status;
  // Other engine errors (a vault error, a bad schedule) are the caller's to fix; anything else is ours.
  return error instanceof RpaError ? 400 : 500;
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const tokenMatches = (given: string | undefined): boolean => {
    const buffer = Buffer.from(given ?? '');
    return buffer.length === expected.length && timingSafeEqual(buffer, expected);
  };
  const { service } = options;
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024, forceCloseConnections: true });
  let port = 0;

  // Deny by default: the token is checked on whatever route the router matched — after it has
  // decoded and normalized the path — so no spelling of a path (`/%61pi/…`, `//api`, `/API`)
  // reaches an API handler without it. Only the static UI's own routes are open, and a path
  // that no route serves needs the token too before it learns that.
  app.addHook('onRequest', async (request, reply) => {
    // Only this machine's own names: a page elsewhere cannot rebind a DNS name onto us.
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return reply.code(421).send({ error: { name: 'MisdirectedRequest', message: `unexpected Host "${host}"` } });
    if (request.routeOptions.config.publicUi === true) return;
    const auth = request.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    // Browsers cannot give a WebSocket headers: the push channel alone takes the token in its query.
    const query = request.routeOptions.url === WS_PATH ? (request.query as Record<string, unknown> | undefined)?.['token'] : undefined;
    if (!tokenMatches(bearer ?? (typeof query === 'string' ? query : undefined))) {
      if (request.headers.upgrade) reply.header('connection', 'close');
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: { name: 'Unauthorized', message: 'missing or wrong session token; open the URL rpa studio printed' } });
    }
    // A page of another origin that somehow holds the token still may not change anything or
    // listen: state changes and the WebSocket handshake must come from the studio's own origin
    // (or from no browser at all: the CLI and tests send no Origin).
    const changes = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
    const origin = request.headers.origin;
    if ((changes || request.headers.upgrade) && origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      if (request.headers.upgrade) reply.header('connection', 'close');
      return reply.code(403).send({ error: { name: 'Forbidden', message: `requests from origin "${origin}" may not use the studio API` } });
    }
  });

  // A refused WebSocket handshake is answered on the raw socket, which nothing else would close.
  app.addHook('onResponse', async (request, reply) => {
    if (request.headers.upgrade && reply.statusCode >= 400) request.raw.socket.destroy();
  });

  app.setErrorHandler((error, _request, reply) => {
    // Fastify's own errors (a body that is not JSON, too large) carry their status.
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send({ error: { name: 'RequestInvalidError', message: (error as Error).message } });
    return reply.code(statusOf(error)).send({ error: serializeError(error) });
  });

  // Open WebSockets would hold the server's close() open: ended by hand there.
  const sockets = new Set<PushSocket>();
  await app.register(fastifyWebsocket);
  app.get(WS_PATH, { websocket: true }, (connection) => {
    const socket = connection as unknown as PushSocket;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const off = service.onPush((message) => {
      if (socket.readyState === OPEN) socket.send(JSON.stringify(message));
    });
    socket.on('close', off);
    socket.on('error', off);
  });

  for (const [method, route] of Object.entries(ROUTES) as Array<[Method, (typeof ROUTES)[Method]]>) {
    const names = pathParams(route);
    app.route({
      method: route.verb,
      url: route.path,
      handler: async (request: FastifyRequest) => {
        const params = request.params as Record<string, string>;
        const extra = (route.verb === 'GET' || route.verb === 'DELETE' ? request.query : request.body) ?? {};
        if (typeof extra !== 'object' || Array.isArray(extra)) throw new RequestInvalidError(`${method}: expected a JSON object as the request body`);
        const fromPath = Object.fromEntries(names.map((name) => [name, params[name]]));
        return await service.call(method, { ...(extra as Record<string, unknown>), ...fromPath });
      },
    });
  }

  app.get('/api/runs/:runId/artifacts/:name', async (request: FastifyRequest<{ Params: { runId: string; name: string } }>, reply: FastifyReply) => {
    const file = await service.artifactFile(request.params.runId, request.params.name);
    const ext = path.extname(file).toLowerCase();
    const type = ext === '.png' ? 'image/png' : ext === '.jpg' || ext === '.jpeg' ? 'image/jpeg' : ext === '.html' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    // A captured page's HTML is shown as text and may never run as a page of this origin.
    return reply.header('content-type', type).header('content-security-policy', 'sandbox').header('x-content-type-options', 'nosniff').send(createReadStream(file));
  });

  app.all('/api/*', (_request, reply) => reply.code(404).send({ error: { name: 'NotFoundError', message: 'no such API route' } }));

  // The static UI, the only routes open without the token: marked as such when they are added.
  await app.register(async (ui) => {
    ui.addHook('onRoute', (route) => {
      route.config = { ...route.config, publicUi: true };
    });
    const hasRenderer = existsSync(path.join(options.rendererDir, 'index.html'));
    if (hasRenderer) {
      await ui.register(fastifyStatic, { root: options.rendererDir, wildcard: false, index: 'index.html' });
    } else {
      ui.get('/', (_request, reply) => reply.type('text/plain').send(`The studio UI is not built (${options.rendererDir} has no index.html): run npm run build.`));
    }
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) return;
    reply.header('content-security-policy', `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: async () => {
      for (const socket of sockets) socket.terminate();
      await app.close();
    },
  };
}
