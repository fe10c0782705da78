// Keys typed after a click go to the window that has the focus, whichever that is (issue #23).
// A window that takes the focus between a click and the typing after it (another program's
// prompt, a chat window, a dialog) got the text, and the run passed. Now a desktop.type or
// desktop.press checks the active window is the one the run last acted on; if not it focuses
// that window once and checks again, and otherwise fails naming the window that has the focus,
// with nothing typed. Real Tk programs under Xvfb with openbox, the whole runner.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { spotsOf, windowOf } from '../fixtures/desktop/challenge.js';
import { missingDesktopTools, startAskDialog, startContactDialog, startFocusThief } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { until } from '../helpers/until.js';

const skip = missingDesktopTools();

describe('a window that takes the focus between a click and the typing (Xvfb)', { concurrency: false, skip: skip ?? false, timeout: 400_000 }, () => {
  const x = useDesktopDisplay('desktop-focus-stolen');
  const xdotool = (...args: string[]): string => execFileSync('xdotool', args, { env: x.display.env, encoding: 'utf8' });

  /** Click the first-name entry, type a name, click OK: the dialog writes what its entries hold. */
  async function fillFirstName(name: string): Promise<string> {
    const dialog = await windowOf('Contact Dialog');
    const spots = await spotsOf('Contact Dialog', ['First name', 'OK']);
    const size = { width: dialog.rect.width, height: dialog.rect.height };
    const at = (x: number, y: number): Record<string, unknown> => ({ window: 'Contact Dialog', candidates: [{ offset: { x, y } }], windowSize: size });
    const file = path.join(x.dir, `${name}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        format: 1,
        id: name,
        name,
        version: '1.0.0',
        steps: [
          { kind: 'desktop.click', target: at(240, spots['First name']!.y - dialog.rect.y) },
          { kind: 'desktop.type', text: 'Asha', timeoutMs: 8_000 },
          { kind: 'desktop.click', target: at(spots['OK']!.x - dialog.rect.x, spots['OK']!.y - dialog.rect.y) },
        ],
      }),
    );
    return file;
  }

  const warnings = (events: RunEvent[]): string[] => events.flatMap((event) => (event.type === 'log' && event.level === 'warn' ? [event.message] : []));

  it('focuses the clicked window again when another took the focus once, and types there (before: the other window got the text, run passed)', { timeout: 180_000 }, async () => {
    const dialog = await startContactDialog(x.display.env, path.join(x.dir, 'once.jsonl'));
    x.programs.push(dialog);
    const thief = await startFocusThief(x.display.env, path.join(x.dir, 'thief-once.jsonl'));
    x.programs.push(thief);
    const thiefId = xdotool('search', '--onlyvisible', '--name', '^Focus Thief$').split('\n')[0]!;
    const file = await fillFirstName('once');
    const events: RunEvent[] = [];
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home-once') } });
    try {
      const result = await engine.run({ file }, (event) => {
        events.push(event);
        // Right after the click, before a key is typed: the other program takes the focus.
        if (event.type === 'step.started' && event.kind === 'desktop.type') xdotool('windowactivate', '--sync', thiefId);
      });
      assert.ok(await dialog.waitClosed(5_000), `the dialog was closed by OK (run ${result.status}: ${result.error?.message ?? ''})`);
      assert.deepEqual(thief.records(), [], 'no key reached the window that took the focus');
      assert.equal(dialog.records()[0]?.['first'], 'Asha', `the name went into the clicked entry: ${JSON.stringify(dialog.records())}`);
      assert.equal(result.status, 'passed', result.error?.message);
      assert.ok(
        warnings(events).some((message) => message.includes('"Focus Thief"') && message.includes('"Contact Dialog"')),
        `a warning says the focus was taken back: ${warnings(events).join('\n')}`,
      );
    } finally {
      engine.close();
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });

  it('fails the typing step naming the window that keeps the focus, with nothing typed (before: it got the text, run passed)', { timeout: 180_000 }, async () => {
    const dialog = await startContactDialog(x.display.env, path.join(x.dir, 'hold.jsonl'));
    x.programs.push(dialog);
    const thief = await startFocusThief(x.display.env, path.join(x.dir, 'thief-hold.jsonl'), true);
    x.programs.push(thief);
    const file = await fillFirstName('hold');
    const events: RunEvent[] = [];
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home-hold') } });
    try {
      const result = await engine.run({ file }, (event) => void events.push(event));
      assert.deepEqual(thief.records(), [], 'no key reached the window that holds the focus');
      assert.equal(result.status, 'failed', 'the run does not pass');
      const failed = events.flatMap((event) => (event.type === 'step.failed' ? [event.path] : []));
      assert.deepEqual(failed, ['2'], 'the typing step fails');
      assert.match(result.error?.message ?? '', /"Focus Thief".*"Contact Dialog".*nothing was typed/s, result.error?.message);
      assert.equal(dialog.closed(), false, 'the run stopped before OK');
    } finally {
      engine.close();
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });

  // A window that takes the focus after some keys went out (issue #23): they cannot be taken
  // back. The step used to fail as any other, so a step with `retry` typed the text again — into
  // the window it was meant for, which then held part of it twice.
  it('a window that takes the focus part-way through the typing stops the run: the step is not done again (before: retry typed the text a second time)', { timeout: 180_000 }, async () => {
    const ledgerKeys = path.join(x.dir, 'ledger.jsonl');
    const ledger = await startFocusThief(x.display.env, ledgerKeys, false, { title: 'Ledger Entry', geometry: '360x120+80+80' });
    x.programs.push(ledger);
    // Takes the focus as soon as the ledger got its third key.
    const popup = await startFocusThief(x.display.env, path.join(x.dir, 'popup.jsonl'), false, { title: 'Chat Popup', geometry: '320x120+600+500', stealAfter: { keys: ledgerKeys, count: 3 } });
    x.programs.push(popup);
    const window = await windowOf('Ledger Entry');
    const text = 'rent for march paid by standing order 4417';
    const file = path.join(x.dir, 'partly.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 1,
        id: 'partly',
        name: 'partly',
        version: '1.0.0',
        steps: [
          { kind: 'desktop.click', target: { window: 'Ledger Entry', candidates: [{ offset: { x: 180, y: 45 } }], windowSize: { width: window.rect.width, height: window.rect.height } } },
          { kind: 'desktop.type', text, retry: { attempts: 3, delayMs: 100 }, continueOnError: true },
          { kind: 'log', message: 'went on after the typing' },
        ],
      }),
    );
    const events: RunEvent[] = [];
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home-partly') } });
    try {
      const result = await engine.run({ file }, (event) => void events.push(event));
      const typed = (program: typeof ledger): string => program.records().map((record) => String(record['char'])).join('');
      await until('the popup to show what it got', () => typed(ledger).length + typed(popup).length >= text.length, 5_000).catch(() => undefined);
      const failures = events.flatMap((event) => (event.type === 'step.failed' ? [{ path: event.path, willRetry: event.willRetry, name: event.error.name }] : []));
      assert.deepEqual(failures, [{ path: '2', willRetry: false, name: 'InputDeliveredError' }], 'the typing step failed once and was not done again');
      assert.ok(typed(ledger).length >= 3, `the ledger got the first keys: ${JSON.stringify(typed(ledger))}`);
      assert.equal(typed(ledger) + typed(popup), text, `each key went out once: ledger ${JSON.stringify(typed(ledger))}, popup ${JSON.stringify(typed(popup))}`);
      assert.equal(result.status, 'failed', 'the run does not pass');
      assert.match(result.error?.message ?? '', /"Chat Popup" took the focus from "Ledger Entry".*not done again/s, result.error?.message);
      assert.ok(!events.some((event) => event.type === 'log' && event.message === 'went on after the typing'), 'continueOnError does not carry the run past it');
    } finally {
      engine.close();
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });

  it('a step that fails before any key went out is still retried (nothing was typed, so nothing can be typed twice)', { timeout: 180_000 }, async () => {
    const dialog = await startContactDialog(x.display.env, path.join(x.dir, 'retry.jsonl'));
    x.programs.push(dialog);
    const thief = await startFocusThief(x.display.env, path.join(x.dir, 'thief-retry.jsonl'), true);
    x.programs.push(thief);
    const file = await fillFirstName('retry');
    const automation = JSON.parse(readFileSync(file, 'utf8')) as { steps: Array<Record<string, unknown>> };
    automation.steps[1] = { ...automation.steps[1], retry: { attempts: 2, delayMs: 100 } };
    writeFileSync(file, JSON.stringify(automation));
    const events: RunEvent[] = [];
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home-retry') } });
    try {
      const result = await engine.run({ file }, (event) => void events.push(event));
      const failures = events.flatMap((event) => (event.type === 'step.failed' ? [{ path: event.path, willRetry: event.willRetry, name: event.error.name }] : []));
      assert.deepEqual(failures, [
        { path: '2', willRetry: true, name: 'RpaError' },
        { path: '2', willRetry: false, name: 'RpaError' },
      ]);
      assert.deepEqual(thief.records(), [], 'no key reached the window that holds the focus');
      assert.equal(result.status, 'failed');
    } finally {
      engine.close();
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });

  // A recording says which window got its keys: replay types only there (issue #23).
  it('a typing step that names its window types nothing while another window has the focus, and says which', { timeout: 180_000 }, async () => {
    const dialog = await startContactDialog(x.display.env, path.join(x.dir, 'named.jsonl'));
    x.programs.push(dialog);
    const thief = await startFocusThief(x.display.env, path.join(x.dir, 'thief-named.jsonl'));
    x.programs.push(thief);
    const file = path.join(x.dir, 'named.json');
    // No click first: only the recorded window tells where the keys belong.
    writeFileSync(file, JSON.stringify({ format: 1, id: 'named', name: 'named', version: '1.0.0', steps: [{ kind: 'desktop.type', text: 'Asha', window: 'Contact Dialog', timeoutMs: 4_000 }] }));
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home-named') } });
    try {
      const result = await engine.run({ file });
      assert.equal(result.status, 'failed', 'the run does not pass');
      assert.match(result.error?.message ?? '', /meant for a window titled "Contact Dialog".*"Focus Thief" has the focus; nothing was typed/s, result.error?.message);
      assert.deepEqual(thief.records(), [], 'no key reached the window that has the focus');
    } finally {
      engine.close();
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });

  it("types into a dialog the clicked window opened (its own, transient for it): keys follow it there", { timeout: 180_000 }, async () => {
    const asker = await startAskDialog(x.display.env, path.join(x.dir, 'ask.jsonl'));
    x.programs.push(asker);
    const window = await windowOf('Asker');
    const file = path.join(x.dir, 'ask.json');
    const target = { window: 'Asker', candidates: [{ offset: { x: 180, y: 90 } }], windowSize: { width: window.rect.width, height: window.rect.height } };
    writeFileSync(
      file,
      JSON.stringify({
        format: 1,
        id: 'ask',
        name: 'ask',
        version: '1.0.0',
        steps: [
          { kind: 'desktop.click', target },
          { kind: 'desktop.type', text: 'Asha' },
          { kind: 'desktop.press', keys: 'Enter' },
        ],
      }),
    );
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home-ask') } });
    try {
      const result = await engine.run({ file }, (event) => {
        // The dialog has the focus before the typing starts (what is tested is where keys go then).
        if (event.type !== 'step.started' || event.kind !== 'desktop.type') return;
        for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
          if (xdotool('getactivewindow', 'getwindowname').trim() === 'Question') return;
          execFileSync('sleep', ['0.1']);
        }
      });
      assert.equal(result.status, 'passed', result.error?.message);
      await until('the dialog to answer', () => asker.records().length > 0, 5_000).catch(() => undefined);
      assert.deepEqual(asker.records(), [{ answer: 'Asha' }]);
    } finally {
      engine.close();
      for (const program of x.programs.splice(0)) await program.stop();
    }
  });
});
