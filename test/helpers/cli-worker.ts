// One long-lived process that runs many `rpa` command lines, one after another, for tests that
// check what a command prints and returns rather than how the process starts: Node's start-up and
// the engine's module graph are paid once per test file instead of once per command (~0.6 s of
// CPU each, several seconds each on a loaded machine). Each command gets exactly the environment
// it was sent, its own working directory, and what it writes to stdout and stderr; its exit code
// is what cli/main.ts returns — the value cli/rpa.ts sets as the process's exit code.
//
// `rpa run` and `rpa review` run here too (their grace exit after a run is off in this process,
// which stays alive on purpose); a command's stdin is the text it was sent, or empty. Not for
// commands that stay running until a signal (`agent`, `studio`, `record`), nor for what is about
// the process itself (its start, its exit, signals): those stay with the real executable.
import { Readable } from 'node:stream';
import { main } from '../../cli/main.js';
import { exitGrace } from '../../cli/commands/run.js';

exitGrace.enabled = false;

export interface CliWorkerRequest {
  id: number;
  args: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** What the command reads on stdin (piped, not a terminal); empty when not given. */
  stdin?: string;
}

export interface CliWorkerReply {
  id: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

type Write = typeof process.stdout.write;

async function runOne(request: CliWorkerRequest): Promise<CliWorkerReply> {
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const savedOut = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  const savedErr = Object.getOwnPropertyDescriptor(process.stderr, 'write');
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void): Write =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    };
  /** Puts back the stream's own write (or, when it had none, the prototype's). */
  const restore = (stream: NodeJS.WriteStream, saved: PropertyDescriptor | undefined): void => {
    if (saved) Object.defineProperty(stream, 'write', saved);
    else delete (stream as Partial<NodeJS.WriteStream>).write;
  };
  for (const key of Object.keys(process.env)) delete process.env[key];
  for (const [key, value] of Object.entries(request.env)) if (value !== undefined) process.env[key] = value;
  process.chdir(request.cwd);
  const savedStdin = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { configurable: true, enumerable: savedStdin?.enumerable ?? false, value: Readable.from(request.stdin ? [Buffer.from(request.stdin)] : []) });
  process.stdout.write = capture((text) => (stdout += text));
  process.stderr.write = capture((text) => (stderr += text));
  let code: number | null;
  try {
    code = await main(request.args);
  } catch (error) {
    // main() catches every error of a command; one that escapes would have crashed `rpa` (exit 1).
    stderr += `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
    code = 1;
  } finally {
    restore(process.stdout, savedOut);
    restore(process.stderr, savedErr);
    if (savedStdin) Object.defineProperty(process, 'stdin', savedStdin);
    process.chdir(savedCwd);
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
  return { id: request.id, code, stdout, stderr };
}

if (process.send) {
  // Commands run one at a time, in the order they came: they share process.env, cwd and stdout.
  let queue = Promise.resolve();
  process.on('message', (request: CliWorkerRequest) => {
    queue = queue.then(async () => {
      process.send!(await runOne(request));
    });
  });
  process.on('disconnect', () => process.exit(0));
}
