// `rpa run --headed` typed in a terminal on one display while the engine host runs on another
// (two Xvfb displays): the bot runs in the host, and its browser window opens on the terminal's
// display — seen with xwininfo -root -tree on each. A terminal display the host cannot reach,
// and a desktop bot asked from another display, fail before the run starts, naming the display,
// instead of acting on the host's screen.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { missingDesktopTools, startVirtualDisplay, type VirtualDisplay } from '../fixtures/desktop/virtual-display.js';
import { cliEnv, jsonLines, RPA_JS, runCli, tempDir, writeAutomation } from '../helpers/env.js';
import { until } from '../helpers/until.js';

const TITLE = 'on-the-callers-screen';

/** A visible page with a known title, then a wait that lasts until the run is cancelled. */
const HEADED = {
  format: 1,
  id: 'test.headed',
  name: 'Headed',
  version: '1.0.0',
  steps: [
    { kind: 'browser.open', url: `data:text/html,<title>${TITLE}</title><p>hello</p>` },
    { kind: 'browser.waitFor', urlContains: 'never-there', timeoutMs: 600_000 },
  ],
};

const DESKTOP = { format: 1, id: 'test.desktop', name: 'Desktop', version: '1.0.0', steps: [{ kind: 'desktop.press', keys: 'Escape' }] };

function start(args: string[], env: NodeJS.ProcessEnv, cwd: string): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [RPA_JS, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

/** The names of every window on a display. */
function windowsOn(display: string): string {
  // A window that goes away while the tree is read (Chromium opens and closes helper windows)
  // fails the query ("Bad Window"): read it again.
  let tree = spawnSync('xwininfo', ['-root', '-tree'], { env: { ...process.env, DISPLAY: display } });
  for (let tries = 0; tree.status !== 0 && tries < 50; tries++) tree = spawnSync('xwininfo', ['-root', '-tree'], { env: { ...process.env, DISPLAY: display } });
  assert.equal(tree.status, 0, tree.stderr.toString());
  return tree.stdout.toString();
}

const skip = process.platform !== 'linux' ? 'X11 displays' : missingDesktopTools();

describe('a run asked of the engine host from a terminal on another display', { skip: skip ?? false, concurrency: false }, () => {
  let hostScreen: VirtualDisplay;
  let callerScreen: VirtualDisplay;
  let agent: { child: ChildProcess; output: () => string };
  const home = tempDir('host-display');
  const work = tempDir('host-display-cwd');
  const env = cliEnv(home);
  const children: ChildProcess[] = [];

  before(async () => {
    hostScreen = await startVirtualDisplay();
    callerScreen = await startVirtualDisplay();
    writeAutomation(work, 'headed.json', HEADED);
    writeAutomation(work, 'desktop.json', DESKTOP);
    agent = start(['agent'], { ...env, DISPLAY: hostScreen.display }, work);
    children.push(agent.child);
    await until('the host listening', () => agent.output().includes('engine host listening'), { detail: agent.output, timeoutMs: 60_000 });
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await hostScreen?.stop();
    await callerScreen?.stop();
  });

  it("opens a headed run's browser on the terminal's display, not the host's", { timeout: 180_000 }, async () => {
    const run = start(['run', 'headed.json', '--headed', '--json'], { ...env, DISPLAY: callerScreen.display }, work);
    children.push(run.child);
    await until(`the window "${TITLE}" on the terminal's display ${callerScreen.display}`, () => {
      if (run.child.exitCode !== null) throw new Error(`rpa run ended:\n${run.output()}`);
      return windowsOn(callerScreen.display).includes(TITLE);
    }, { detail: () => `host's display:\n${windowsOn(hostScreen.display)}\n${run.output()}`, timeoutMs: 120_000 });
    assert.doesNotMatch(windowsOn(hostScreen.display), new RegExp(TITLE), "nothing of the run on the host's display");
    const started = jsonLines(run.output().split('\n').filter((line) => line.includes('"type":"run.started"')).join('\n'))[0]!;
    assert.equal(started['pid'], agent.child.pid, 'the run ran in the host');
    run.child.kill('SIGINT');
    assert.equal(await exited(run.child), 130, run.output());
  });

  it('fails clearly, running nothing, when the terminal is on a display the host cannot reach', { timeout: 120_000 }, async () => {
    // A display number with no X server behind it.
    const result = await runCli(['run', 'headed.json', '--headed'], { ...env, DISPLAY: ':7391' }, work);
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, /asked from a terminal on DISPLAY=:7391, which the engine host \(pid \d+\) cannot use: no X server answers on :7391\. It was not run on another display/, result.stderr);
    assert.doesNotMatch(windowsOn(hostScreen.display), new RegExp(TITLE));
  });

  it("refuses a desktop bot asked from another display than the host's, naming both", { timeout: 120_000 }, async () => {
    const result = await runCli(['run', 'desktop.json'], { ...env, DISPLAY: callerScreen.display }, work);
    assert.notEqual(result.code, 0, result.stdout);
    assert.match(result.stderr, new RegExp(`desktop steps and was asked from a terminal on DISPLAY=${callerScreen.display}, but the engine host \\(pid \\d+\\) acts on DISPLAY=${hostScreen.display}: it was not run`), result.stderr);
    const runs = jsonLines((await runCli(['runs', '--json'], env, work)).stdout);
    assert.equal(runs.filter((run) => run['automationId'] === 'test.desktop').length, 0, 'nothing was recorded of it');
  });
});
