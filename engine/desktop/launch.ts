// Starts a desktop program and makes sure it is up: a program that cannot be started, or
// exits at once, fails with its exit code and what it wrote to stderr.
import { spawn } from 'node:child_process';
import { RpaError } from '../errors.js';
import { abortableSleep } from '../runner/timing.js';
import { findWindows, type DesktopWindow } from './windows.js';

export class ProgramStartError extends RpaError {}

/** A program still running after this long counts as started. */
const SETTLE_MS = 700;
const STDERR_LIMIT = 4_000;

export interface LaunchRequest {
  program: string;
  args: string[];
  cwd: string;
  signal: AbortSignal;
}

export async function launchProgram(request: LaunchRequest): Promise<{ pid: number }> {
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
  // The program lives on after the step and the run: it is the user's application.
  child.stderr.destroy();
  child.unref();
  return { pid: child.pid! };
}

export async function waitForWindow(pattern: string, timeoutMs: number, signal: AbortSignal): Promise<DesktopWindow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [window] = await findWindows(pattern);
    if (window) return window;
    if (Date.now() >= deadline) throw new RpaError(`no window with a title matching "${pattern}" appeared within ${timeoutMs} ms`);
    await abortableSleep(200, signal);
  }
}
