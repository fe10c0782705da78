// Shared by the end-to-end tests: where things are, temporary homes, running the CLI.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../../assets/demo-system/server.js';
import type { CliWorkerReply, CliWorkerRequest } from './cli-worker.js';

// Compiled tests run from dist/test/helpers/.
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RPA_JS = fileURLToPath(new URL('../../cli/rpa.js', import.meta.url));
const CLI_WORKER_JS = fileURLToPath(new URL('./cli-worker.js', import.meta.url));
export const EXAMPLES = path.join(REPO_ROOT, 'automations', 'examples');

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `rpa-${prefix}-`));
}

/**
 * Environment for a CLI run: its own RPA_HOME, the demo password as secret, and the vault key in
 * RPA_HOME/vault.key (RPA_VAULT_KEYCHAIN=off): a test never puts keys in the keyring of whoever
 * runs it, nor depends on its state (test/e2e/keychain.test.ts turns the keychain back on, with a
 * keyring of its own).
 */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, RPA_HOME: home, RPA_SECRET_PORTALPASSWORD: DEMO_PASSWORD, NO_COLOR: '1', RPA_VAULT_KEYCHAIN: 'off', ...extra };
  return env;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RPA_JS, ...args], { cwd, env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (stdin !== undefined) child.stdin?.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface CliWorker {
  /** Like runCli, in the worker: the command's stdout, stderr and exit code (stdin: what it reads, piped). */
  run: (args: string[], env: NodeJS.ProcessEnv, cwd?: string, stdin?: string) => Promise<CliResult>;
  close(): void;
}

/**
 * One process that runs `rpa` command lines one after another (test/helpers/cli-worker.ts), for a
 * test file whose commands are about what they print and return, not about the process: start-up
 * is paid once. Keep at least one runCli of the real executable in such a file.
 */
export function cliWorker(): CliWorker {
  // Piped, not inherited: the test file's own stdout is its report to the test runner.
  const child = fork(CLI_WORKER_JS, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const pending = new Map<number, { resolve: (result: CliResult) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let ended: Error | undefined;
  child.on('message', (reply: CliWorkerReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    waiter?.resolve({ code: reply.code, signal: null, stdout: reply.stdout, stderr: reply.stderr });
  });
  child.on('exit', (code, signal) => {
    ended = new Error(`the CLI worker ended (code ${code}, signal ${signal}):\n${output}`);
    for (const waiter of pending.values()) waiter.reject(ended);
    pending.clear();
  });
  return {
    run: (args, env, cwd = REPO_ROOT, stdin) =>
      new Promise<CliResult>((resolve, reject) => {
        if (ended) return reject(ended);
        const request: CliWorkerRequest = { id: nextId++, args, env: { ...env }, cwd, ...(stdin === undefined ? {} : { stdin }) };
        pending.set(request.id, { resolve, reject });
        child.send(request);
      }),
    close: () => {
      if (child.connected) child.disconnect();
    },
  };
}

/** JSON lines printed by `rpa run --json` / `rpa runs --json`. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function writeAutomation(dir: string, name: string, doc: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return file;
}
