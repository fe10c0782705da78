// The engine host's local socket: how `rpa studio`, the desktop app and the CLI reach the
// one host of an RPA_HOME. A unix socket inside RPA_HOME, mode 0600 (a named pipe on
// Windows), plus a session token in <RPA_HOME>/host.json (0600): a caller must send the
// token first, or it is refused and disconnected. Newline-delimited JSON:
//   → { hello: TOKEN }                         ← { ready: true, pid } | { refused: message }
//   → { id, method, request }                  ← { id, ok: true, value } | { id, ok: false, error }
//   → { id, artifact: { runId, name } }        ← { id, ok: true, value: file path }
//                                              ← { push: message }  (run events, reviews …)
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AgentLog } from '../agent/agent.js';
import { deserializeError, RpaError, serializeError } from '../errors.js';
import type { SerializedError } from '../events.js';
import type { RpaHome } from '../home.js';
import { PolicyInvalidError, PolicyViolationError } from '../policy/policy.js';
import { isProcessAlive } from '../store/is-process-alive.js';
import { ConflictError, NotAvailableError, NotFoundError, RequestInvalidError } from '../transport/errors.js';
import type { Pushed } from '../transport/messages.js';
import type { StudioApi } from '../transport/studio-service.js';

/** One line may not grow past this (a request body is at most the HTTP server's 32 MB limit). */
const MAX_LINE = 48 * 1024 * 1024;

export interface HostInfo {
  pid: number;
  socket: string;
  token: string;
  startedAt: string;
}

export function hostInfoFile(home: RpaHome): string {
  return path.join(home.dir, 'host.json');
}

/** The socket's address for an RPA_HOME: a file in it (unix), or a pipe named after it (Windows). */
export function hostSocketPath(home: RpaHome): string {
  const hash = createHash('sha256').update(path.resolve(home.dir)).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\rpa-host-${os.userInfo().username}-${hash}`;
  const inside = path.join(home.dir, 'host.sock');
  // A unix socket's path has a short limit (about 100 bytes): a deep RPA_HOME uses a private temp folder.
  return Buffer.byteLength(inside) < 100 ? inside : path.join(os.tmpdir(), `rpa-host-${process.getuid?.() ?? 'user'}-${hash}.sock`);
}

/** Reads host.json when the host it names still runs; undefined otherwise. */
export function readHostInfo(home: RpaHome): HostInfo | undefined {
  let info: HostInfo;
  try {
    info = JSON.parse(readFileSync(hostInfoFile(home), 'utf8')) as HostInfo;
  } catch {
    return undefined;
  }
  if (typeof info.pid !== 'number' || typeof info.socket !== 'string' || typeof info.token !== 'string') return undefined;
  return isProcessAlive(info.pid, os.hostname()) ? info : undefined;
}

function tokenMatches(expected: Buffer, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const buffer = Buffer.from(given);
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

/** Splits a stream into JSON lines; a line over MAX_LINE or not JSON ends the connection. */
function onLines(socket: net.Socket, handle: (message: Record<string, unknown>) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (buffer.length > MAX_LINE) return void socket.destroy();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.trim()) continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return void socket.destroy();
      }
      if (message && typeof message === 'object' && !Array.isArray(message)) handle(message as Record<string, unknown>);
    }
  });
}

function send(socket: net.Socket, message: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}

export interface HostListener {
  socket: string;
  /** Connections that sent the token and are attached now. */
  readonly attached: number;
  close(): Promise<void>;
}

/** Serves the studio API on the per-user socket and writes host.json with a new token. */
export async function listenHost(home: RpaHome, service: StudioApi, log: AgentLog): Promise<HostListener> {
  const token = randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const socketPath = hostSocketPath(home);
  // The caller holds the RPA_HOME's lock: a socket file still there was left by a host that died.
  if (process.platform !== 'win32' && existsSync(socketPath)) rmSync(socketPath, { force: true });
  const connections = new Set<net.Socket>();
  let attached = 0;
  const server = net.createServer((socket) => {
    connections.add(socket);
    let off: (() => void) | undefined;
    let authenticated = false;
    // A caller that says nothing is not kept waiting forever.
    socket.setTimeout(10_000, () => {
      if (!authenticated) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      connections.delete(socket);
      off?.();
      if (authenticated) attached--;
    });
    onLines(socket, (message) => {
      if (!authenticated) {
        if (!tokenMatches(expected, message['hello'])) {
          send(socket, { refused: 'missing or wrong session token (host.json)' });
          socket.end();
          setTimeout(() => socket.destroy(), 100).unref();
          return;
        }
        authenticated = true;
        attached++;
        socket.setTimeout(0);
        off = service.onPush((push) => send(socket, { push }));
        send(socket, { ready: true, pid: process.pid });
        return;
      }
      const id = message['id'];
      if (typeof id !== 'number') return;
      const artifact = message['artifact'] as { runId?: unknown; name?: unknown } | undefined;
      const answer = async (): Promise<unknown> => {
        if (artifact) {
          if (typeof artifact.runId !== 'string' || typeof artifact.name !== 'string') throw new RequestInvalidError('artifact: expected runId and name');
          return await service.artifactFile(artifact.runId, artifact.name);
        }
        if (typeof message['method'] !== 'string') throw new RequestInvalidError('expected a method');
        return await service.call(message['method'], message['request']);
      };
      answer().then(
        (value) => send(socket, { id, ok: true, value }),
        (error: unknown) => send(socket, { id, ok: false, error: serializeError(error) }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') chmodSync(socketPath, 0o600);
  const info: HostInfo = { pid: process.pid, socket: socketPath, token, startedAt: new Date().toISOString() };
  const file = hostInfoFile(home);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(info, null, 2), { mode: 0o600 });
  renameSync(temporary, file);
  log('info', `engine host listening on ${socketPath}`);
  return {
    socket: socketPath,
    get attached() {
      return attached;
    },
    close: async () => {
      try {
        const current = JSON.parse(readFileSync(file, 'utf8')) as HostInfo;
        if (current.pid === process.pid) rmSync(file, { force: true });
      } catch {
        // gone already
      }
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export class HostRefusedError extends RpaError {}
export class HostGoneError extends RpaError {}

/** Errors the HTTP server maps to a status by their class: rebuilt as those classes. */
const CLASSES: Record<string, new (message: string, details?: Record<string, unknown>) => Error> = {
  RequestInvalidError,
  NotFoundError,
  NotAvailableError,
  ConflictError,
  PolicyViolationError,
};

function revive(serialized: SerializedError): Error {
  if (serialized.name === 'PolicyInvalidError') {
    const error = deserializeError(serialized);
    Object.setPrototypeOf(error, PolicyInvalidError.prototype);
    return error;
  }
  const Ctor = CLASSES[serialized.name];
  return Ctor ? new Ctor(serialized.message, serialized.details) : deserializeError(serialized);
}

/** A front end attached to a running host: the studio API over the socket. */
export class HostClient implements StudioApi {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Set<(message: Pushed) => void>();
  private readonly closeListeners = new Set<(error: Error) => void>();
  private closing = false;

  private constructor(
    private readonly socket: net.Socket,
    readonly pid: number,
  ) {
    socket.on('close', () => {
      const error = new HostGoneError(`the engine host (pid ${pid}) is gone`);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      if (!this.closing) for (const listener of this.closeListeners) listener(error);
    });
  }

  /**
   * Attaches to the host of this RPA_HOME: undefined when none runs (no host.json, its process
   * gone, or nothing listening); HostRefusedError when the token is refused.
   */
  static async attach(home: RpaHome, options: { token?: string; timeoutMs?: number } = {}): Promise<HostClient | undefined> {
    const info = readHostInfo(home);
    if (!info) return undefined;
    const socket = net.createConnection(info.socket);
    socket.on('error', () => undefined);
    return await new Promise<HostClient | undefined>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new HostRefusedError(`the engine host (pid ${info.pid}) did not answer on ${info.socket} within ${options.timeoutMs ?? 10_000} ms`));
      }, options.timeoutMs ?? 10_000);
      let client: HostClient | undefined;
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // Nothing listening (the host is starting or just stopped): there is no host to attach to.
        if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(undefined);
        else reject(new HostRefusedError(`cannot reach the engine host on ${info.socket}: ${error.message}`));
      });
      onLines(socket, (message) => {
        if (!client) {
          clearTimeout(timer);
          if (message['ready'] === true) {
            client = new HostClient(socket, info.pid);
            resolve(client);
          } else {
            socket.destroy();
            reject(new HostRefusedError(`the engine host refused this connection: ${typeof message['refused'] === 'string' ? message['refused'] : 'no answer'}`));
          }
          return;
        }
        client.receive(message);
      });
      socket.once('connect', () => send(socket, { hello: options.token ?? info.token }));
    });
  }

  private receive(message: Record<string, unknown>): void {
    if ('push' in message) {
      for (const listener of this.listeners) listener(message['push'] as Pushed);
      return;
    }
    const waiting = this.pending.get(message['id'] as number);
    if (!waiting) return;
    this.pending.delete(message['id'] as number);
    if (message['ok'] === true) waiting.resolve(message['value']);
    else waiting.reject(revive(message['error'] as SerializedError));
  }

  private request(body: Record<string, unknown>): Promise<unknown> {
    if (this.socket.destroyed) return Promise.reject(new HostGoneError(`the engine host (pid ${this.pid}) is gone`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      send(this.socket, { ...body, id });
    });
  }

  call(method: string, request: unknown): Promise<unknown> {
    return this.request({ method, request: request ?? {} });
  }

  async artifactFile(runId: string, name: string): Promise<string> {
    return (await this.request({ artifact: { runId, name } })) as string;
  }

  onPush(listener: (message: Pushed) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once when the host goes away (not after close()). */
  onClose(listener: (error: Error) => void): void {
    this.closeListeners.add(listener);
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }
}
