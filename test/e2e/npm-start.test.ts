// `npm start` where the desktop app cannot run (no Electron binary, as on our build machines):
// it says so plainly and serves the studio in the browser — no attempt to download Electron, no
// "Electron failed to install correctly, please delete node_modules/electron…".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/env.js';

const START_JS = fileURLToPath(new URL('../../cli/start.js', import.meta.url));

describe('npm start without the desktop app', { timeout: 180_000 }, () => {
  it('says plainly that the studio opens in the browser, and serves it', { timeout: 150_000 }, async () => {
    const home = tempDir('npm-start');
    const env: NodeJS.ProcessEnv = { ...process.env, RPA_HOME: home, NO_COLOR: '1' };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    const child = spawn(process.execPath, [START_JS, '--no-open', '--port', '0'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        const check = setInterval(() => {
          if (/http:\/\/127\.0\.0\.1:\d+/.test(output)) {
            clearInterval(check);
            resolve();
          } else if (child.exitCode !== null) {
            clearInterval(check);
            reject(new Error(`npm start exited ${child.exitCode} before serving the studio:\n${output}`));
          }
        }, 100);
      });
      assert.doesNotMatch(output, /Downloading Electron|failed to install correctly|delete `?node_modules\/electron/i);
      assert.match(output, /The desktop app \(Electron\) is not available on this machine .*: the studio opens in your browser instead\./);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    }
  });
});
