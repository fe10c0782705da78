// The desktop challenge suite (issue #23): dialogs recorded while driven with real input
// (xdotool) at a human and a fast pace, replayed against fresh programs — also moved and
// resized — and judged by what the program itself saved. Text targets (a button's or list
// row's face, the label beside an entry) let replay find controls whose images are ambiguous;
// recorded checks (desktop.assert) turn a replay that did not do the job into a failure.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CONTACT_VALUES, LIST_CHOICE, TERMINAL_SESSION, driveContactDialog, driveListDialog, driveTerminal, driver, type Pace } from '../fixtures/desktop/challenge.js';
import { clicksOf, useChallengeHarness } from '../fixtures/desktop/challenge-harness.js';
import { missingDesktopTools, startContactDialog, startListDialog, startTkTerminal, type ContactDialog } from '../fixtures/desktop/virtual-display.js';
import { writeAutomation } from '../helpers/env.js';

const skip = missingDesktopTools();
const MOVED_CONTACT = '600x340+760+430';
const MOVED_LIST = '420x420+900+300';

describe('desktop challenge suite under Xvfb', { concurrency: false, skip: skip ?? false }, () => {
  const h = useChallengeHarness('desktop-challenge');

  for (const pace of ['human', 'fast'] as Pace[]) {
    it(`contact dialog recorded at a ${pace} pace: entries by their labels, OK by its text; replays right, also moved and resized`, async () => {
      let n = 0;
      const start = (out: string, geometry?: string): Promise<ContactDialog> => startContactDialog(h.display.env, out, geometry);
      const recorded = await h.record(`contact-${pace}`, (out) => start(out), () => driveContactDialog(driver(h.display.env, pace)), 4, async (recorder) => {
        // The dialog closed on OK: a check that it did, so a replay where it stays open fails.
        await recorder.addAssertion('windowClosed');
      });
      assert.deepEqual(recorded.saved, [CONTACT_VALUES], 'the recorded session itself saved the entries');
      const clicks = clicksOf(recorded.automation);
      assert.equal(clicks.length, 4, JSON.stringify(recorded.automation.steps));
      clicks.slice(0, 3).forEach((click, index) => {
        const label = ['First name', 'Last name', 'Email'][index];
        assert.ok(
          click.target.candidates.some((candidate) => 'label' in candidate && candidate.label === label && candidate.side === 'right'),
          `the ${label} entry is recorded as the control right of its label: ${JSON.stringify(click.target.candidates)} (problems: ${JSON.stringify(recorded.problems)})`,
        );
      });
      assert.ok(clicks[3]!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'OK'), `OK by its text: ${JSON.stringify(clicks[3]!.target)}`);
      assert.deepEqual(recorded.automation.steps.at(-1), { kind: 'desktop.assert', assert: 'windowClosed', window: 'Contact Dialog' });
      for (const click of clicks) {
        const image = click.target.candidates.find((candidate) => 'image' in candidate);
        if (image && 'image' in image) {
          const number = recorded.automation.steps.indexOf(click) + 1;
          assert.match(image.image, new RegExp(`^contact-${pace}-step${number}(-[a-z0-9-]+)?\\.png$`), 'the image is named after its step');
          assert.ok(existsSync(path.join(h.dir, image.image)));
        }
      }
      if (pace === 'human') assert.deepEqual(recorded.problems, [], 'at a human pace every click gets its image');
      await h.replay(recorded.file, () => start(path.join(h.dir, `contact-${pace}-${n++}.jsonl`)), CONTACT_VALUES, 'fresh dialog');
      await h.replay(recorded.file, () => start(path.join(h.dir, `contact-${pace}-${n++}.jsonl`), MOVED_CONTACT), CONTACT_VALUES, 'moved and resized dialog');

      // Without the OK click the dialog stays open: the recorded check fails the run (no silent pass).
      const withoutOk = { ...recorded.automation, steps: recorded.automation.steps.filter((step) => step !== clicks[3]) };
      const file = writeAutomation(h.dir, `contact-${pace}-without-ok.json`, withoutOk);
      const dialog = await start(path.join(h.dir, `contact-${pace}-${n++}.jsonl`));
      h.programs.push(dialog);
      const result = await h.engine.run({ file });
      assert.equal(result.status, 'failed');
      assert.equal(result.error?.name, 'AssertionFailedError');
      assert.match(result.error.message, /window "Contact Dialog" is still open/);
      await dialog.stop();
    });
  }

  for (const pace of ['human', 'fast'] as Pace[]) {
    // At a fast pace a click can close its window while the recorder is taking a picture of the
    // screen: that picture names no window (see recorder/desktop/screen-look.ts and
    // desktop-closing-click.test), so OK is read from one that shows the dialog.
    it(`list dialog (choose an item, OK) recorded at a ${pace} pace replays to the same choice, also moved and resized`, async () => {
      let n = 0;
      const start = (out: string, geometry?: string): Promise<ContactDialog> => startListDialog(h.display.env, out, geometry);
      const recorded = await h.record(`list-${pace}`, (out) => start(out), () => driveListDialog(driver(h.display.env, pace)), 2);
      assert.deepEqual(recorded.saved, [LIST_CHOICE]);
      const clicks = clicksOf(recorded.automation);
      assert.equal(clicks.length, 2, JSON.stringify(recorded.automation.steps));
      assert.ok(clicks[0]!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'Denmark'), `the row by its text: ${JSON.stringify(clicks[0]!.target)}`);
      assert.ok(clicks[1]!.target.candidates.some((candidate) => 'text' in candidate && candidate.text === 'OK'), `OK by its text: ${JSON.stringify(clicks[1]!.target)}`);
      await h.replay(recorded.file, () => start(path.join(h.dir, `list-${pace}-${n++}.jsonl`)), LIST_CHOICE, 'fresh dialog');
      await h.replay(recorded.file, () => start(path.join(h.dir, `list-${pace}-${n++}.jsonl`), MOVED_LIST), LIST_CHOICE, 'moved and resized dialog');
    });
  }

  it('a terminal session recorded at a human pace runs the same commands on replay, also moved and resized', async () => {
    let n = 0;
    const start = (out: string, geometry?: string): Promise<ContactDialog> => startTkTerminal(h.display.env, out, geometry);
    const recorded = await h.record('terminal-human', (out) => start(out), () => driveTerminal(driver(h.display.env, 'human')), 1);
    assert.deepEqual(recorded.saved, [TERMINAL_SESSION], 'the recorded session itself ran the commands');
    const kinds = recorded.automation.steps.map((step) => (step.kind === 'desktop.type' ? `type ${step.text}` : step.kind === 'desktop.press' ? `press ${step.keys}` : step.kind));
    assert.deepEqual(kinds.slice(-6), ['type echo hello', 'press Enter', 'type pwd', 'press Enter', 'type exit', 'press Enter']);
    // The click into the empty text area has no picture, text or label: it keeps the area of one
    // colour around it, which replay finds again in the resized window (its edges kept from the
    // window's) and clicks at the recorded point's scaled place.
    const click = clicksOf(recorded.automation)[0]!;
    assert.ok(click.target.candidates.some((candidate) => 'area' in candidate), `the text area by its area: ${JSON.stringify(click.target)}`);
    await h.replay(recorded.file, () => start(path.join(h.dir, `terminal-${n++}.jsonl`)), TERMINAL_SESSION, 'fresh terminal');
    const moved = await h.replay(recorded.file, () => start(path.join(h.dir, `terminal-${n++}.jsonl`), '640x400+820+380'), TERMINAL_SESSION, 'moved and resized terminal');
    assert.ok(moved.some((event) => event.type === 'step.succeeded' && event.locator?.description.startsWith('area ')), 'found by its area');
  });

  // The other side: an area whose bounds no longer fit (another control of that colour there) is
  // not clicked, nor are the coordinates after it.
  it('a featureless area that is not where the recorded one can have gone fails the step; nothing is clicked', async () => {
    for (const program of h.programs.splice(0)) await program.stop();
    const file = writeAutomation(h.dir, 'area-elsewhere.json', {
      format: 1,
      id: 'area-elsewhere',
      name: 'area-elsewhere',
      version: '1.0.0',
      steps: [
        // As if recorded in a black area covering only the window's left half (the terminal's fills it all).
        { kind: 'desktop.click', timeoutMs: 6_000, target: { window: 'Tk Terminal', candidates: [{ area: { color: '#000000', rect: { x: 0, y: 0, width: 280, height: 320 } }, at: { x: 200, y: 120 } }, { offset: { x: 200, y: 120 } }], windowSize: { width: 560, height: 320 } } },
        { kind: 'desktop.type', text: 'exit\n' },
      ],
    });
    const terminal = await startTkTerminal(h.display.env, path.join(h.dir, 'area-elsewhere.jsonl'));
    h.programs.push(terminal);
    const result = await h.engine.run({ file });
    assert.equal(result.status, 'failed');
    assert.match(result.error?.message ?? '', /area #000000 280×320 at \(200, 120\): at \(200, 120\) the #000000 area is \d+×\d+ at \(\d+, \d+\), its right edge not where/);
    assert.match(result.error?.message ?? '', /offset \(200, 120\): not used, area #000000 280×320 at \(200, 120\) is not as recorded/);
    await terminal.stop();
  });
});
