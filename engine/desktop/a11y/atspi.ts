// AT-SPI (Linux) through a small Python helper on libatspi, the reference AT-SPI client that
// screen readers use (python3-gi + gir1.2-atspi-2.0). Chosen over a Node D-Bus client because
// libatspi owns the protocol details (finding the accessibility bus, its cache, coordinate
// types, timeouts towards hung programs) and is released with at-spi2-core itself, while the
// Node D-Bus clients are unmaintained; and because libatspi aborts its process when the bus is
// gone, which must not be the engine's process. One helper runs per engine process, answering
// JSON lines; it ends with its standard input.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { RpaError } from '../../errors.js';
import { ATSPI_HELPER } from './atspi-helper.js';
import type { A11yElement, A11yProvider, A11yWindow } from './types.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/** How long the helper may take to start and reach the bus. */
const START_MS = 15_000;
/** How long one request may take (libatspi gives up on a hung program after 2 s a call). */
const REQUEST_MS = 20_000;
/** An unreachable bus is asked again after this long (a session can start one later). */
const RETRY_UNAVAILABLE_MS = 30_000;

interface Pending {
  resolve(reply: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Helper {
  child: ChildProcessWithoutNullStreams;
  /** DISPLAY and bus address it was started with: another session needs another helper. */
  session: string;
  started: Promise<string | undefined>;
  pending: Map<number, Pending>;
  stderr: string;
}

/** Why there is no D-Bus session bus to find the accessibility bus on, without starting Python to learn it. */
function noSessionBus(): string | undefined {
  if (process.env['DBUS_SESSION_BUS_ADDRESS']) return undefined;
  const runtime = process.env['XDG_RUNTIME_DIR'];
  if (runtime && existsSync(`${runtime}/bus`)) return undefined;
  return 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); a desktop session has one, under Xvfb start one with dbus-run-session';
}

const sessionOf = (): string => `${process.env['DISPLAY'] ?? ''}|${process.env['DBUS_SESSION_BUS_ADDRESS'] ?? ''}`;

export class AtSpiProvider implements A11yProvider {
  readonly api = 'AT-SPI';
  private helper: Helper | undefined;
  private unavailableUntil = 0;
  private lastReason: string | undefined;
  private unavailableSession: string | undefined;
  private nextId = 1;

  private start(): Helper {
    const child = spawn(PYTHON, ['-u', '-W', 'ignore', '-c', ATSPI_HELPER], { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
    const helper: Helper = { child, session: sessionOf(), started: Promise.resolve(undefined), pending: new Map(), stderr: '' };
    child.stderr.on('data', (chunk: Buffer) => {
      helper.stderr = (helper.stderr + chunk.toString()).slice(-2_000);
    });
    const lines = createInterface({ input: child.stdout });
    let onFirst: ((line: Record<string, unknown>) => void) | undefined;
    helper.started = new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => {
        resolve(`the AT-SPI helper did not start within ${START_MS / 1000} s`);
        child.kill();
      }, START_MS);
      onFirst = (line) => {
        clearTimeout(timer);
        resolve(line['ready'] ? undefined : typeof line['unavailable'] === 'string' ? line['unavailable'] : 'the AT-SPI helper did not start');
      };
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(this.exitReason(helper));
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve(error.code === 'ENOENT' ? `${PYTHON} is not installed; AT-SPI selectors need it (Debian: apt-get install python3 python3-gi gir1.2-atspi-2.0)` : error.message);
      });
    });
    lines.on('line', (text) => {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return; // not ours (a library printing to stdout)
      }
      if (onFirst) {
        const first = onFirst;
        onFirst = undefined;
        first(line);
        return;
      }
      const waiting = helper.pending.get(line['id'] as number);
      if (!waiting) return;
      helper.pending.delete(line['id'] as number);
      clearTimeout(waiting.timer);
      this.idle(helper);
      if (typeof line['error'] === 'string') waiting.reject(new RpaError(`AT-SPI: ${line['error']}`));
      else waiting.resolve(line);
    });
    child.once('exit', () => {
      if (this.helper === helper) this.helper = undefined;
      for (const [, waiting] of helper.pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new RpaError(`the AT-SPI helper ended: ${this.exitReason(helper)}`));
      }
      helper.pending.clear();
    });
    this.idle(helper);
    return helper;
  }

  private exitReason(helper: Helper): string {
    const said = helper.stderr.trim().split('\n').filter((line) => line.trim()).slice(-2).join(' ');
    if (/accessibility bus/i.test(said)) return `the accessibility bus (at-spi-bus-launcher) cannot be reached: ${said}`;
    return `the AT-SPI helper exited (${helper.child.exitCode ?? helper.child.signalCode})${said ? `: ${said}` : ''}`;
  }

  /** The helper must not keep the process alive while nobody waits for it. */
  private idle(helper: Helper): void {
    const busy = helper.pending.size > 0;
    for (const handle of [helper.child, helper.child.stdin, helper.child.stdout, helper.child.stderr] as Array<{ ref?(): void; unref?(): void }>) {
      if (busy) handle.ref?.();
      else handle.unref?.();
    }
  }

  /** The running helper for this session, started when needed. */
  private async ready(): Promise<Helper> {
    if (this.helper && this.helper.session !== sessionOf()) await this.close();
    if (!this.helper) {
      const noBus = noSessionBus();
      if (noBus) throw new RpaError(noBus);
      if (Date.now() < this.unavailableUntil && this.unavailableSession === sessionOf()) throw new RpaError(this.lastReason ?? 'AT-SPI is not available');
      this.helper = this.start();
    }
    const helper = this.helper;
    const reason = await helper.started;
    if (reason) {
      this.lastReason = reason;
      this.unavailableUntil = Date.now() + RETRY_UNAVAILABLE_MS;
      this.unavailableSession = helper.session;
      if (this.helper === helper) this.helper = undefined;
      helper.child.kill();
      throw new RpaError(reason);
    }
    return helper;
  }

  private async request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const helper = await this.ready();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        helper.pending.delete(id);
        reject(new RpaError(`AT-SPI did not answer "${String(body['op'])}" within ${REQUEST_MS / 1000} s; a program may be hung`));
        helper.child.kill(); // a fresh helper next time
      }, REQUEST_MS);
      helper.pending.set(id, { resolve, reject, timer });
      this.idle(helper);
      helper.child.stdin.write(`${JSON.stringify({ ...body, id })}\n`);
    });
  }

  async unavailable(): Promise<string | undefined> {
    try {
      await this.ready();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  async windows(): Promise<A11yWindow[]> {
    return (await this.request({ op: 'windows' }))['windows'] as A11yWindow[];
  }

  async elements(window: A11yWindow): Promise<A11yElement[]> {
    return (await this.request({ op: 'elements', ref: window.ref, title: window.title }))['elements'] as A11yElement[];
  }

  async close(): Promise<void> {
    const helper = this.helper;
    this.helper = undefined;
    if (!helper || helper.child.exitCode !== null || helper.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      helper.child.once('exit', () => resolve());
      helper.child.stdin.end();
      setTimeout(() => helper.child.kill(), 2_000).unref();
    });
  }
}
