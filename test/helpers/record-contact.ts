// Records the contact dialog as a person fills it: a real mouse click into each entry (the unlabelled
// first one, Last name, Email), typing at a human pace, then OK. Checks the dialog itself saved the
// values, and returns the recorded automation's file.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Step } from '../../engine/format/schema.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { CONTACT_VALUES, driver, spotsOf, windowOf } from '../fixtures/desktop/challenge.js';
import { startContactDialog } from '../fixtures/desktop/virtual-display.js';
import type { DesktopTestDisplay } from './desktop-display.js';
import { until } from './until.js';

export async function recordContactDialog(x: DesktopTestDisplay, options: { id: string; env: NodeJS.ProcessEnv; geometry?: string }): Promise<{ file: string; steps: Step[]; problems: string[] }> {
  const steps: Step[] = [];
  const problems: string[] = [];
  const recorder = await DesktopRecorder.start({ out: path.join(x.dir, `${options.id}.json`), id: options.id, onStep: (step) => void steps.push(step), onProblem: (message) => problems.push(message) });
  let file: string | undefined;
  try {
    const dialog = await startContactDialog(options.env, path.join(x.dir, 'recorded.jsonl'), options.geometry);
    x.programs.push(dialog);
    await recorder.ready();
    const window = await windowOf('Contact Dialog');
    const spots = await spotsOf('Contact Dialog', ['Last name', 'Email', 'OK']);
    const firstRowY = spots['Last name']!.y - (spots['Email']!.y - spots['Last name']!.y);
    const drive = driver(x.display.env, 'human');
    for (const [y, text] of [[firstRowY, CONTACT_VALUES.first], [spots['Last name']!.y, CONTACT_VALUES.last], [spots['Email']!.y, CONTACT_VALUES.email]] as const) {
      const clicks = steps.filter((step) => step.kind === 'desktop.click').length;
      await drive.click({ x: window.rect.x + 240, y });
      await until('the click to be recorded', () => steps.filter((step) => step.kind === 'desktop.click').length > clicks, 30_000);
      await drive.type(text);
      await until(`"${text}" to be heard`, () => recorder.pendingText === text, 30_000);
      await recorder.ready();
    }
    await drive.click(spots['OK']!);
    assert.ok(await dialog.waitClosed(), 'OK closed the dialog');
    assert.deepEqual(dialog.records(), [CONTACT_VALUES], 'the session itself saved the values');
    ({ file } = await recorder.stop());
  } finally {
    if (!file) await recorder.stop().catch(() => undefined);
  }
  return { file, steps, problems };
}
