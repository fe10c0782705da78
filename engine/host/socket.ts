// The engine host's local socket: how `rpa studio`, the desktop app and the CLI reach the
// one host of an RPA_HOME. A unix socket inside RPA_HOME, mode 0600 (a named pipe on
// Windows), plus a session token in <RPA_HOME>/host.json (0600): a caller must send the
// token first, or it is refused and disconnected; a caller of another version is refused too
// (the two would not agree on the API, or on the store's migrations). Newline-delimited JSON:
//   → { hello: TOKEN, version, pushes?, display? }  ← { ready: true, pid, version } | { refused: message }
//     (pushes: false — the CLI — gets no pushed messages, only its own calls' run events;
//      display: the caller's DISPLAY/WAYLAND_DISPLAY/XAUTHORITY, validated — the studio runs and
//      resumes it asks for open their browser there, not on the host's screen)
//   → { id, method, request }                  ← { id, ok: true, value } | { id, ok: false, error }
//     (method: the studio API's, or the CLI's `cli.*` ones — engine/host/cli-api.ts — served here only)
//                                              ← { id, event }  (before the answer: the run a `cli.run…` call runs)
//   → { cancel: id }                           (stops that call's run; so does closing the connection)
//   → { id, artifact: { runId, name } }        ← { id, ok: true, value: file path }
//                                              ← { push: message }  (run events, reviews …)
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AgentLog } from '../agent/agent.js';
import { AutomationInvalidError, deserializeError, MissingInputError, MissingSecretError, RpaError, serializeError, UsageError } from '../errors.js';
import type { RunEvent, SerializedError } from '../events.js';
import { DesktopUnavailableError } from '../desktop/preflight.js';
import type { RpaHome } from '../home.js';
import { PolicyInvalidError, PolicyViolationError } from '../policy/policy.js';
import { isProcessAlive } from '../store/is-process-alive.js';
import { ConflictError, NotAvailableError, NotFoundError, RequestInvalidError } from '../transport/errors.js';
import type { Pushed } from '../transport/messages.js';
import type { CallContext, StudioApi } from '../transport/studio-service.js';
import { APP_VERSION } from '../version.js';
import { DisplayEnv, displayEnvOf } from '../runner/display-env.js';
import { cliMethodRuns, isCliMethod, type CliApi, type CliCallOptions } from './cli-api.js';
import { PackageInvalidError } from '../package/errors.js';
import { VaultError } from '../vault/errors.js';

/** One line may not grow past this (a request body is at most the HTTP server's 32 MB limit). */
const MAX_LINE = 48 * 1024 * 1024;

export interface HostInfo {
  pid: number;
  socket: string;
  token: string;
  startedAt: string;
  /** The host's version (hosts before 0.1.0 wrote none). */
  version?: string;
}

/** What to do when a front end and the host are of different versions. */
function versionAdvice(hostVersion: string | undefined, callerVersion: string | undefined, pid: number): string {
  return `the engine host of this RPA_HOME (pid ${pid}) is version ${hostVersion ?? '(older, unnamed)'} and this program is version ${callerVersion ?? '(older, unnamed)'}; they do not talk to each other. Stop that host and start it again from this version (rpa agent: Ctrl+C, or systemctl --user restart rpa-agent; the desktop app: Quit from the tray, then open it again)`;
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

export interface ListenOptions {
  /** The CLI's state commands (engine/host/cli-api.ts). */
  commands?: CliApi;
  /**
   * Tests only (RPA_TEST_HOST_HOLD=METHOD[,METHOD…]): do the work of these calls but never answer them,
   * so a test can kill the host between doing and answering.
   */
  holdAnswerOf?: string;
  /** This host's version (tests give another to see a caller of another version refused). */
  version?: string;
}

/** Serves the studio API (and the CLI's) on the per-user socket and writes host.json with a new token. */
export async function listenHost(home: RpaHome, service: StudioApi, log: AgentLog, options: ListenOptions = {}): Promise<HostListener> {
  const version = options.version ?? APP_VERSION;
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
    // The caller's display (validated at hello): its studio calls' headed runs open there.
    let callerDisplay: DisplayEnv | undefined;
    // The calls of this connection that may be cancelled (runs): a caller that goes away cancels them.
    const calls = new Map<number, AbortController>();
    // A caller that says nothing is not kept waiting forever.
    socket.setTimeout(10_000, () => {
      if (!authenticated) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      connections.delete(socket);
      for (const controller of calls.values()) controller.abort();
      calls.clear();
      off?.();
      if (authenticated) attached--;
    });
    onLines(socket, (message) => {
      if (!authenticated) {
        const refuse = (why: string): void => {
          send(socket, { refused: why });
          socket.end();
          setTimeout(() => socket.destroy(), 100).unref();
        };
        if (!tokenMatches(expected, message['hello'])) return refuse('missing or wrong session token (host.json)');
        const callerVersion = typeof message['version'] === 'string' ? message['version'] : undefined;
        if (callerVersion !== version) {
          log('warn', `refused a caller of version ${callerVersion ?? '(unnamed)'}: this host is ${version}`);
          send(socket, { refused: versionAdvice(version, callerVersion, process.pid), version });
          socket.end();
          setTimeout(() => socket.destroy(), 100).unref();
          return;
        }
        if (message['display'] !== undefined) {
          const display = DisplayEnv.safeParse(message['display']);
          if (!display.success) {
            const issue = display.error.issues[0]!;
            return refuse(`display: ${issue.path.join('.')}: ${issue.message}`);
          }
          callerDisplay = display.data;
        }
        authenticated = true;
        attached++;
        socket.setTimeout(0);
        // The CLI asks for its own calls' events only: every run's events would cross for nothing.
        if (message['pushes'] !== false) off = service.onPush((push) => send(socket, { push }));
        send(socket, { ready: true, pid: process.pid, version });
        return;
      }
      if (typeof message['cancel'] === 'number') return void calls.get(message['cancel'])?.abort();
      const id = message['id'];
      if (typeof id !== 'number') return;
      const artifact = message['artifact'] as { runId?: unknown; name?: unknown } | undefined;
      const answer = async (): Promise<unknown> => {
        if (artifact) {
          if (typeof artifact.runId !== 'string' || typeof artifact.name !== 'string') throw new RequestInvalidError('artifact: expected runId and name');
          return await service.artifactFile(artifact.runId, artifact.name);
        }
        const method = message['method'];
        if (typeof method !== 'string') throw new RequestInvalidError('expected a method');
        if (isCliMethod(method)) {
          if (!options.commands) throw new NotAvailableError(`${method} is not served by this host`);
          if (!cliMethodRuns(method)) return await options.commands.call(method, message['request'] as never);
          const controller = new AbortController();
          calls.set(id, controller);
          try {
            return await options.commands.call(method, message['request'] as never, { signal: controller.signal, onEvent: (event) => send(socket, { id, event }) });
          } finally {
            calls.delete(id);
          }
        }
        return await service.call(method, message['request'], callerDisplay ? { display: callerDisplay } : {});
      };
      answer().then(
        (value) => {
          if (options.holdAnswerOf !== undefined && typeof message['method'] === 'string' && options.holdAnswerOf.split(',').includes(message['method'])) {
            log('warn', `done ${message['method']}; holding its answer back (RPA_TEST_HOST_HOLD)`);
            return;
          }
          send(socket, { id, ok: true, value });
        },
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
  const info: HostInfo = { pid: process.pid, socket: socketPath, token, startedAt: new Date().toISOString(), version };
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
/** The host runs another version of the program. */
export class HostVersionError extends HostRefusedError {}
export class HostGoneError extends RpaError {}

/** Errors the HTTP server maps to a status by their class: rebuilt as those classes. */
const CLASSES: Record<string, new (message: string, details?: Record<string, unknown>) => Error> = {
  RequestInvalidError,
  NotFoundError,
  NotAvailableError,
  ConflictError,
  PolicyViolationError,
  // The CLI's exit codes follow these.
  UsageError,
  MissingInputError,
  MissingSecretError,
  VaultError,
  DesktopUnavailableError,
};

function revive(serialized: SerializedError): Error {
  if (serialized.name === 'PolicyInvalidError') {
    const error = deserializeError(serialized);
    Object.setPrototypeOf(error, PolicyInvalidError.prototype);
    return error;
  }
  if (serialized.name === 'PackageInvalidError') {
    const details = serialized.details ?? {};
    return new PackageInvalidError(details['code'] as PackageInvalidError['code'], typeof details['file'] === 'string' ? details['file'] : '', serialized.message);
  }
  if (serialized.name === 'AutomationInvalidError') return new AutomationInvalidError((serialized.details?.['issues'] as AutomationInvalidError['issues'] | undefined) ?? []);
  const Ctor = CLASSES[serialized.name];
  return Ctor ? new Ctor(serialized.message, serialized.details) : deserializeError(serialized);
}

/** A front end attached to a running host: the studio API over the socket. */
export class HostClient implements StudioApi {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; onEvent?: (event: RunEvent) => void }>();
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
  static async attach(
    home: RpaHome,
    options: {
      token?: string;
      timeoutMs?: number;
      version?: string;
      /** false: no pushed messages (the CLI) */ pushes?: boolean;
      /** The display this front end's headed runs open on; default this process's own (Linux), none elsewhere. */
      display?: DisplayEnv;
    } = {},
  ): Promise<HostClient | undefined> {
    const info = readHostInfo(home);
    if (!info) return undefined;
    const version = options.version ?? APP_VERSION;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const socket = net.createConnection(info.socket);
    socket.on('error', () => undefined);
    return await new Promise<HostClient | undefined>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const timer = setTimeout(() => {
        socket.destroy();
        settle(() => reject(new HostRefusedError(`the engine host (pid ${info.pid}) did not answer on ${info.socket} within ${timeoutMs} ms`)));
      }, timeoutMs);
      let client: HostClient | undefined;
      socket.once('error', (error: NodeJS.ErrnoException) => {
        // Nothing listening (the host is starting or just stopped): there is no host to attach to.
        if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') settle(() => resolve(undefined));
        else settle(() => reject(new HostRefusedError(`cannot reach the engine host on ${info.socket}: ${error.message}`)));
      });
      // Closed before it said ready: a host that died meanwhile is no host; a live one that hung up refused.
      socket.once('close', () =>
        settle(() => (isProcessAlive(info.pid, os.hostname()) ? reject(new HostGoneError(`the engine host (pid ${info.pid}) closed the connection before it was ready`)) : resolve(undefined))),
      );
      onLines(socket, (message) => {
        if (!client) {
          const theirs = typeof message['version'] === 'string' ? message['version'] : undefined;
          if (message['ready'] === true && theirs === version) {
            client = new HostClient(socket, info.pid);
            settle(() => resolve(client));
            return;
          }
          socket.destroy();
          if (message['ready'] === true || (theirs !== undefined && theirs !== version)) settle(() => reject(new HostVersionError(versionAdvice(theirs, version, info.pid))));
          else settle(() => reject(new HostRefusedError(`the engine host refused this connection: ${typeof message['refused'] === 'string' ? message['refused'] : 'no answer'}`)));
          return;
        }
        client.receive(message);
      });
      // A display variable of this process that is not a display name is not sent (the host refuses one).
      const own = process.platform === 'linux' ? DisplayEnv.safeParse(displayEnvOf(process.env)) : undefined;
      const display = options.display ?? (own?.success ? own.data : undefined);
      socket.once('connect', () =>
        send(socket, { hello: options.token ?? info.token, version, ...(options.pushes === false ? { pushes: false } : {}), ...(display && Object.keys(display).length ? { display } : {}) }),
      );
    });
  }

  private receive(message: Record<string, unknown>): void {
    if ('push' in message) {
      for (const listener of this.listeners) listener(message['push'] as Pushed);
      return;
    }
    const waiting = this.pending.get(message['id'] as number);
    if (!waiting) return;
    if ('event' in message) return void waiting.onEvent?.(message['event'] as RunEvent);
    this.pending.delete(message['id'] as number);
    if (message['ok'] === true) waiting.resolve(message['value']);
    else waiting.reject(revive(message['error'] as SerializedError));
  }

  private request(body: Record<string, unknown>, options: CliCallOptions = {}): Promise<unknown> {
    if (this.socket.destroyed) return Promise.reject(new HostGoneError(`the engine host (pid ${this.pid}) is gone`));
    const id = this.nextId++;
    const { signal, onEvent } = options;
    const cancel = (): void => send(this.socket, { cancel: id });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onEvent ? { onEvent } : {}) });
      send(this.socket, { ...body, id });
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    }).finally(() => signal?.removeEventListener('abort', cancel));
  }

  /** A call of the studio API or the CLI's; a run's events go to `onEvent`, and `signal` cancels the run. */
  /** (A context's display is not sent per call: the one given at attach applies to every studio call.) */
  call(method: string, request: unknown, options?: CliCallOptions & CallContext): Promise<unknown> {
    return this.request({ method, request: request ?? {} }, options);
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
