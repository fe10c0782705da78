// Starts a desktop program and makes sure it is up: a program that cannot be started, or
// exits at once, fails with its exit code and what it wrote to stderr. The program can be
// closed again (with what it started) when the run ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { AmbiguousLocatorError, RpaError } from '../errors.js';
import { abortableSleep } from '../runner/timing.js';
import { findWindows, type DesktopWindow } from './windows.js';

export class ProgramStartError extends RpaError {}

/** A program still running after this long counts as started. */
const SETTLE_MS = 700;
const STDERR_LIMIT = 4_000;
/** How long a program may take to quit after SIGTERM before it is killed. */
const CLOSE_GRACE_MS = 3_000;

export interface LaunchRequest {
  program: string;
  args: string[];
  cwd: string;
  signal: AbortSignal;
}

export interface LaunchedProgram {
  pid: number;
  /** Ends the program and the processes it started (SIGTERM, then SIGKILL after a grace time). */
  close(): Promise<void>;
}

export async function launchProgram(request: LaunchRequest): Promise<LaunchedProgram> {
  const { program, args, cwd } = request;
  const child = spawn(program, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32' });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk;
  });
  const early = await new Promise<{ error?: NodeJS.ErrnoException; code?: number | null; signal?: NodeJS.Signals | null } | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), SETTLE_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ error });
    });
    // 'close' rather than 'exit': it comes after the last of stderr.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  const shown = [program, ...args].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(' ');
  if (early?.error) {
    const why = early.error.code === 'ENOENT' ? 'program not found (not on PATH, or the path is wrong)' : early.error.code === 'EACCES' ? 'permission denied (is it executable?)' : early.error.message;
    throw new ProgramStartError(`cannot start ${shown}: ${why}`, { program, code: early.error.code, cwd });
  }
  if (early) {
    const status = early.code !== null && early.code !== undefined ? `exit code ${early.code}` : `signal ${early.signal}`;
    const output = stderr.trim();
    throw new ProgramStartError(`${shown} exited at once with ${status}${output ? `; stderr:\n${output}` : ' and wrote nothing to stderr'}`, {
      program,
      exitCode: early.code,
      signal: early.signal,
      stderr: output,
    });
  }
  // The program lives on after the step (until the run ends, unless the step keeps it running):
  // nothing of it may hold this process open.
  child.stderr.destroy();
  child.unref();
  return { pid: child.pid!, close: () => closeProgram(child) };
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Signals the program's process group (it was started detached, as its leader); on Windows the program. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') child.kill(name);
    else process.kill(-child.pid!, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // ESRCH: all gone already
  }
}

function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function closeProgram(child: ChildProcess): Promise<void> {
  // A program that has exited is left alone: its process id (and group) may belong to another
  // process by now.
  if (exited(child)) return;
  signal(child, 'SIGTERM');
  if (await exitWithin(child, CLOSE_GRACE_MS)) return;
  signal(child, 'SIGKILL');
  await exitWithin(child, 1_000);
}

/**
 * The window with a title matching `pattern` that appears; `existing`: ids of windows open before
 * the program started, which are never it (another instance, an older window of the same title).
 * Two new windows of that title leave it undecided: an error naming both, never the first.
 */
export async function waitForWindow(pattern: string, timeoutMs: number, signal: AbortSignal, existing: ReadonlySet<string> = new Set()): Promise<DesktopWindow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await findWindows(pattern);
    const fresh = all.filter((window) => !existing.has(window.id));
    if (fresh.length === 1) return fresh[0]!;
    if (fresh.length > 1) {
      const listed = fresh.map((window) => `"${window.title}" at (${window.rect.x}, ${window.rect.y}) ${window.rect.width}×${window.rect.height}`);
      throw new AmbiguousLocatorError(`${fresh.length} new windows match "${pattern}": ${listed.join('; ')}; none was chosen. Give a title that names one`, { windows: fresh.map((window) => ({ id: window.id, title: window.title, rect: window.rect })) });
    }
    if (Date.now() >= deadline) {
      const older = all.length ? `; ${all.length} window(s) with that title were open before it started and are not it` : '';
      throw new RpaError(`no window with a title matching "${pattern}" appeared within ${timeoutMs} ms${older}`);
    }
    await abortableSleep(200, signal);
  }
}
