// Starts the engine host (engine-host.ts) as an Electron utilityProcess and talks to it:
// calls with ids and answers, pushed messages to every window. Restarts it if it dies.
import { utilityProcess, type UtilityProcess } from 'electron';
import { fileURLToPath } from 'node:url';
import type { HostMessage, HostRequest } from './channels.js';

type Answer = Extract<HostMessage, { id: number }>;

export class EngineProcess {
  private child: UtilityProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Answer) => void>();
  private stopping = false;

  constructor(private readonly onPush: (message: unknown) => void) {}

  start(): void {
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
      if (!this.stopping) setTimeout(() => this.start(), 1000);
    });
    this.child = child;
  }

  request(message: Omit<Extract<HostRequest, { method: string }>, 'id'> | Omit<Extract<HostRequest, { artifact: unknown }>, 'id'>): Promise<Answer> {
    const child = this.child;
    if (!child) return Promise.resolve({ id: 0, ok: false, error: { name: 'EngineCrashedError', message: 'the engine process is restarting; try again in a moment' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      child.postMessage({ ...message, id });
    });
  }

  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }
}
