// `rpa record` end to end: refuses early without a display, never overwrites, and — headed
// under Xvfb, driven with real X input (xdotool) — records a URL typed in the address bar and
// saves a valid file when the browser window is closed or on Ctrl+C.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { loadAutomation } from '../../engine/format/load.js';
import { RPA_JS, cliEnv, runCli, tempDir } from '../helpers/env.js';

const run = promisify(execFile);
const haveXvfb = existsSync('/usr/bin/Xvfb') && existsSync('/usr/bin/xdotool');

/** Starts Xvfb on a free display number (it picks one and tells us through -displayfd). */
async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    xvfb.once('error', reject);
    xvfb.stdio[3]!.once('data', (data: Buffer) => resolve(`:${data.toString().trim()}`));
  });
  return { display, process: xvfb };
}

function startRecord(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [RPA_JS, 'record', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('rpa record', { concurrency: false }, () => {
  let demo: DemoSystem;
  let dir: string;
  before(async () => {
    demo = await startDemoSystem({ port: 0, slowMs: 0 });
    dir = tempDir('record-cli');
  });
  after(async () => {
    await demo.close();
  });

  it('without a display fails at once and suggests xvfb-run', async () => {
    const env = cliEnv(dir);
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    const out = path.join(dir, 'never.json');
    const result = await runCli(['record', demo.url, '--out', out], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no display.*\n.*xvfb-run -a rpa record/s);
    assert.ok(!existsSync(out));
  });

  it('refuses an --out that exists, before opening anything', async () => {
    const out = path.join(dir, 'taken.json');
    writeFileSync(out, 'keep me');
    const result = await runCli(['record', demo.url, '--out', out], cliEnv(dir, { DISPLAY: ':99' }));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /already exists/);
    assert.equal(readFileSync(out, 'utf8'), 'keep me');
  });

  it('headed under Xvfb: a typed URL becomes a goto; closing the window saves a valid file', { skip: haveXvfb ? false : 'needs Xvfb and xdotool (apt-get install xvfb xdotool)' }, async () => {
    const xvfb = await startXvfb();
    try {
      const env = cliEnv(dir, { DISPLAY: xvfb.display });
      const out = path.join(dir, 'typed.json');
      const rec = startRecord([`${demo.url}/login`, '--out', out, '--id', 'typed.nav'], env);
      await waitFor('the recorder to start', () => rec.output().includes('Recording.'));
      const x = { env: { ...process.env, DISPLAY: xvfb.display } };
      const { stdout } = await run('xdotool', ['search', '--sync', '--onlyvisible', '--class', 'chromium'], x);
      const window = stdout.trim().split('\n').at(-1)!;
      await run('xdotool', ['windowfocus', '--sync', window], x);
      await run('xdotool', ['key', '--clearmodifiers', 'ctrl+l'], x);
      await run('xdotool', ['type', '--delay', '15', `${demo.url}/login?typed=yes`], x);
      await run('xdotool', ['key', 'Return'], x);
      await waitFor('the goto step', () => rec.output().includes('go to '));
      await run('xdotool', ['key', '--clearmodifiers', 'ctrl+w'], x);
      assert.equal(await rec.exited, 0, rec.output());
      assert.match(rec.output(), /Stopped \(the browser closed\)\. Saved 2 steps to .*typed\.json/);
      assert.match(rec.output(), /Replay it: rpa run /);
      const loaded = loadAutomation(out);
      assert.deepEqual(loaded.doc.steps, [
        { kind: 'browser.open', url: `${demo.url}/login` },
        { kind: 'browser.goto', url: `${demo.url}/login?typed=yes` },
      ]);
    } finally {
      xvfb.process.kill();
    }
  });

  it('headed under Xvfb: Ctrl+C stops and saves', { skip: haveXvfb ? false : 'needs Xvfb (apt-get install xvfb)' }, async () => {
    const xvfb = await startXvfb();
    try {
      const out = path.join(dir, 'sigint.json');
      const rec = startRecord([`${demo.url}/login`, '--out', out], cliEnv(dir, { DISPLAY: xvfb.display }));
      await waitFor('the recorder to start', () => rec.output().includes('Recording.'));
      rec.child.kill('SIGINT');
      assert.equal(await rec.exited, 0, rec.output());
      assert.match(rec.output(), /Stopped \(Ctrl\+C\)/);
      assert.equal(loadAutomation(out).doc.steps.length, 1);
    } finally {
      xvfb.process.kill();
    }
  });
});
