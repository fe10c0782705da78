// Two windows with the same title (issue #23, left item 2), under Xvfb with openbox: steps that
// name a window by its title must tell the two apart or fail saying that several match — never
// act on the first one listed. Before, desktop.read/screenshot/assert read whichever window
// xdotool listed first, and desktop.launch focused an already open window of the awaited title
// instead of the one the program it started showed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import { CONTACT_DIALOG, missingDesktopTools, PYTHON, startContactDialog } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';

const skip = missingDesktopTools();

describe('two windows with the same title (Xvfb)', { concurrency: false, skip: skip ?? false, timeout: 300_000 }, () => {
  const x = useDesktopDisplay('desktop-same-title');
  const xdotool = (...args: string[]): string => execFileSync('xdotool', args, { env: x.display.env, encoding: 'utf8' });
  const pidOf = (id: string): string => {
    try {
      return xdotool('getwindowpid', id).trim();
    } catch {
      return ''; // a window that names no process
    }
  };
  const run = async (name: string, steps: unknown[]) => {
    const file = path.join(x.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ format: 1, id: name, name, version: '1.0.0', steps }));
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, `home-${name}`) } });
    try {
      return await engine.run({ file }, () => undefined);
    } finally {
      engine.close();
    }
  };

  it('desktop.read of a title two windows have fails naming both, reading neither', { timeout: 240_000 }, async () => {
    x.programs.push(await startContactDialog(x.display.env, path.join(x.dir, 'first.jsonl'), '460x260+40+40'));
    x.programs.push(await startContactDialog(x.display.env, path.join(x.dir, 'second.jsonl'), '460x260+900+500'));
    const result = await run('read', [{ kind: 'desktop.read', window: 'Contact Dialog', region: { x: 0, y: 0, width: 200, height: 60 }, into: 'seen', timeoutMs: 3_000 }]);
    assert.equal(result.status, 'failed', `read one of them: ${JSON.stringify(result.outputs ?? {})}`);
    assert.match(result.error?.message ?? '', /2 windows match/, result.error?.message);
    for (const program of x.programs.splice(0)) await program.stop();
  });

  it('desktop.launch waits for and focuses the window of the program it started, not an older one of that title', { timeout: 240_000 }, async () => {
    x.programs.push(await startContactDialog(x.display.env, path.join(x.dir, 'older.jsonl'), '460x260+40+40'));
    // Kept running, so that which window the launch left focused can be seen after the run.
    const result = await run('launch', [
      { kind: 'desktop.launch', program: PYTHON, args: [CONTACT_DIALOG, path.join(x.dir, 'started.jsonl'), '460x260+900+500'], waitForWindow: 'Contact Dialog', keepRunning: true, timeoutMs: 30_000 },
    ]);
    const active = xdotool('getactivewindow', 'getwindowgeometry');
    const launchedPid = Number(
      xdotool('search', '--onlyvisible', '--name', 'Contact Dialog')
        .split('\n')
        .filter(Boolean)
        .map((id) => ({ pid: pidOf(id), at: xdotool('getwindowgeometry', id) }))
        .find((window) => /Position: 9\d\d,5\d\d/.test(window.at))?.pid,
    );
    try {
      assert.equal(result.status, 'passed', result.error?.message);
      assert.match(active, /Position: 9\d\d,5\d\d/, `the launched dialog (at 900, 500) is focused, not the older one: ${active}`);
    } finally {
      if (launchedPid > 0) process.kill(launchedPid);
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });
});
