// The main process's way to the engine host: attaches to the host already running for this
// RPA_HOME (rpa agent, a login service, rpa studio) over its per-user socket, or starts one as
// an Electron utilityProcess (engine-host.ts) and talks to it: calls with ids and answers,
// pushed messages to every window. Restarts (or re-attaches) if the host goes away.
import { utilityProcess, type UtilityProcess } from 'electron';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializeError } from '../engine/errors.js';
import { resolveHome } from '../engine/home.js';
import { HostClient, HostVersionError } from '../engine/host/socket.js';
import type { HostMessage, HostRequest } from './channels.js';

type Answer = Extract<HostMessage, { id: number }>;
type Request = Omit<Extract<HostRequest, { method: string }>, 'id'> | Omit<Extract<HostRequest, { artifact: unknown }>, 'id'>;

export class EngineProcess {
  private child: UtilityProcess | undefined;
  private remote: HostClient | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Answer) => void>();
  private stopping = false;
  private starting: Promise<void> | undefined;
  /** The running host is of another version: said to every window until it is restarted. */
  private refused: HostVersionError | undefined;

  constructor(private readonly onPush: (message: unknown) => void) {}

  /** Which host answers: one this app started, or one it attached to (its pid). */
  get mode(): { kind: 'child' | 'attached' | 'none'; pid?: number } {
    if (this.remote) return { kind: 'attached', pid: this.remote.pid };
    if (this.child) return { kind: 'child', ...(this.child.pid ? { pid: this.child.pid } : {}) };
    return { kind: 'none' };
  }

  start(): Promise<void> {
    this.starting = this.attachOrFork();
    return this.starting;
  }

  private async attachOrFork(): Promise<void> {
    this.refused = undefined;
    const remote = await HostClient.attach(resolveHome()).catch((error: unknown) => {
      console.error(`could not attach to the running engine host: ${(error as Error).message}`);
      // Another version's host holds this RPA_HOME: starting one here would only be refused its
      // lock. Say so to every call, and look again until that host is restarted.
      if (error instanceof HostVersionError) this.refused = error;
      return undefined;
    });
    if (this.stopping) return remote?.close();
    if (this.refused) {
      setTimeout(() => void this.start(), 5_000);
      return;
    }
    if (remote) {
      this.remote = remote;
      remote.onPush((message) => this.onPush(message));
      // The host went away (its service restarted, or it was stopped): attach again, or start one.
      remote.onClose(() => {
        this.remote = undefined;
        if (!this.stopping) setTimeout(() => void this.start(), 1000);
      });
      return;
    }
    const child = utilityProcess.fork(fileURLToPath(new URL('./engine-host.js', import.meta.url)), [], { serviceName: 'RPA engine', stdio: 'inherit' });
    child.on('message', (message: HostMessage) => {
      if ('push' in message) this.onPush(message.push);
      else {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      }
    });
    child.on('exit', (code) => {
      for (const [id, resolve] of this.pending) resolve({ id, ok: false, error: { name: 'EngineCrashedError', message: `the engine process stopped (exit code ${code}); it is being restarted` } });
      this.pending.clear();
      this.child = undefined;
      // Exit code 3: another host holds this RPA_HOME (started meanwhile): the next start attaches to it.
      if (!this.stopping) setTimeout(() => void this.start(), 1000);
    });
    this.child = child;
  }

  async request(message: Request): Promise<Answer> {
    await this.starting;
    const remote = this.remote;
    if (remote) {
      try {
        const value = 'artifact' in message ? readFileSync(await remote.artifactFile(message.artifact.runId, message.artifact.name)) : await remote.call(message.method, message.request);
        return { id: 0, ok: true, value };
      } catch (error) {
        return { id: 0, ok: false, error: serializeError(error) };
      }
    }
    const child = this.child;
    if (!child && this.refused) return { id: 0, ok: false, error: serializeError(this.refused) };
    if (!child) return { id: 0, ok: false, error: { name: 'EngineCrashedError', message: 'the engine process is restarting; try again in a moment' } };
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.postMessage({ ...message, id });
    });
  }

  /** The app quits: a host this app started stops (gracefully); an attached host goes on. */
  stop(): void {
    this.stopping = true;
    this.remote?.close();
    this.child?.kill();
  }
}
