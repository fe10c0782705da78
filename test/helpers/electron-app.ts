// The Electron main process (dist/electron/main.js) under the fake `electron` module
// (test/helpers/fake-electron), driven over stdin/stdout as run-main.mjs describes; shared by
// the tests of the desktop app's main process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cliEnv, REPO_ROOT } from './env.js';

const FAKE = path.join(REPO_ROOT, 'test', 'helpers', 'fake-electron');
const MAIN_JS = path.join(REPO_ROOT, 'dist', 'electron', 'main.js');
const RENDERER_INDEX = path.join(REPO_ROOT, 'dist', 'renderer', 'index.html');
export interface MenuItem {
  label: string;
  checked?: boolean;
  submenu?: MenuItem[];
}


/** The app's main process under the fake electron, driven over stdin/stdout. */
export class App {
  readonly child: ChildProcess;
  private readonly replies: Array<Record<string, unknown>> = [];
  private waiting: (() => void) | undefined;
  output = '';

  constructor(home: string) {
    this.child = spawn(process.execPath, ['--import', path.join(FAKE, 'register.mjs'), path.join(FAKE, 'run-main.mjs'), MAIN_JS, RENDERER_INDEX], {
      env: cliEnv(home, { FAKE_ELECTRON_USER_DATA: path.join(home, 'electron-user-data') }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (line.startsWith('@@')) {
        this.replies.push(JSON.parse(line.slice(2)) as Record<string, unknown>);
        this.waiting?.();
      } else this.output += `${line}\n`;
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  async send(command: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    const deadline = Date.now() + 30_000;
    while (!this.replies.length) {
      if (Date.now() > deadline) throw new Error(`no answer to ${JSON.stringify(command)}; output:\n${this.output}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 200);
      });
    }
    return this.replies.shift()!;
  }

  async call(method: string, request: unknown = {}, url?: string): Promise<{ ok: boolean; value?: unknown; error?: { name: string; message: string } }> {
    const reply = await this.send({ cmd: 'call', method, request, ...(url ? { url } : {}) });
    if (typeof reply['error'] === 'string') throw new Error(reply['error']);
    return reply['answer'] as { ok: boolean; value?: unknown; error?: { name: string; message: string } };
  }

  async menu(): Promise<MenuItem[]> {
    return (await this.send({ cmd: 'menu' }))['items'] as MenuItem[];
  }
}

export { until } from './until.js';

