// Typed secrets never show in the pictures a desktop run or recording keeps, under Xvfb with the
// Tk legacy form (its entries show typed text plainly, and it has no accessibility API).
// Runner: a run types a secret into an entry, then takes a screenshot of the window, reads the
// field by OCR and fails on a missing target (the not-found screenshot): every picture is read
// back by OCR (which does read the plain name typed beside it), and the field is painted over.
// Recorder: a session driven with real input types a secret and clicks next to it and into it:
// the file holds {{secrets.pin}}, no saved crop shows the secret, no text target or warning
// names it; the recording still replays to the same saved record.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { crop, readPng, type Bitmap, type Rect } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { recognize } from '../../engine/desktop/ocr.js';
import { findWindows } from '../../engine/desktop/windows.js';
import { DesktopRecorder } from '../../recorder/desktop/recorder.js';
import { writeAutomation } from '../helpers/env.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { missingDesktopTools, startLegacyForm } from '../fixtures/desktop/virtual-display.js';

const skip = missingDesktopTools();
const WINDOW = 'Legacy Claims Form';
/** Letters and digits OCR reads well in the form's font: a test that cannot read it proves nothing. */
const SECRET = 'Zebra4417Quartz';
const PLAIN = 'Visible Name';
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True when OCR of the picture shows the secret or a recognisable part of it. */
async function showsSecret(picture: Bitmap): Promise<{ shows: boolean; text: string }> {
  const { text } = await recognize(picture, 'sparse');
  const squashed = text.replace(/\s+/g, '').toLowerCase();
  return { shows: ['zebra', '4417', 'quartz'].some((part) => squashed.includes(part)), text };
}

describe('typed secrets stay out of desktop pictures (Xvfb)', { concurrency: false, skip: skip ?? false, timeout: 600_000 }, () => {
  /** Window-relative centres of the entries (from their labels, by OCR). */
  const fields: Record<'name' | 'policy' | 'amount', { x: number; y: number }> = { name: { x: 0, y: 0 }, policy: { x: 0, y: 0 }, amount: { x: 0, y: 0 } };
  const x = useDesktopDisplay('desktop-secrets', async (display) => {
    const form = await startLegacyForm(display.env, path.join(x.dir, 'probe.jsonl'));
    const rect = (await findWindows(WINDOW))[0]!.rect;
    const { words } = await recognize(crop(await captureScreen(), rect), 'sparse');
    for (const [name, label] of [['name', 'Claimant name'], ['policy', 'Policy number'], ['amount', 'Amount']] as const) {
      const box = findText(words, { text: label }).match?.rect;
      assert.ok(box, `"${label}" read on the form`);
      fields[name] = { x: 260, y: Math.round(box.y + box.height / 2) };
    }
    await form.stop();
  });

  it('paints the field over in screenshots, the not-found screenshot and OCR reads; the secret is in no event', async () => {
    const form = await startLegacyForm(x.display.env, path.join(x.dir, 'run.jsonl'));
    x.programs.push(form);
    const inForm = (candidates: unknown[]) => ({ window: WINDOW, candidates });
    const file = writeAutomation(x.dir, 'type-secret.json', {
      format: 1,
      id: 'type-secret',
      name: 'type a secret',
      version: '1.0.0',
      secrets: ['pin'],
      outputs: ['policyRead'],
      steps: [
        { kind: 'desktop.focusWindow', title: WINDOW },
        { kind: 'desktop.click', target: inForm([{ offset: fields.name }]) },
        { kind: 'desktop.type', text: PLAIN },
        { kind: 'desktop.click', target: inForm([{ offset: fields.policy }]) },
        { kind: 'desktop.type', text: '{{secrets.pin}}' },
        { kind: 'desktop.click', target: inForm([{ offset: fields.amount }]) },
        { kind: 'desktop.type', text: '42.00' },
        { kind: 'desktop.screenshot', window: WINDOW, fileName: 'form.png' },
        { kind: 'desktop.read', window: WINDOW, region: { x: 150, y: fields.policy.y - 20, width: 360, height: 40 }, into: 'policyRead' },
        { kind: 'desktop.click', target: inForm([{ text: 'No such button', exact: true }]), timeoutMs: 4_000 },
      ],
    });
    const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home'), RPA_SECRET_PIN: SECRET } });
    const events: RunEvent[] = [];
    let result;
    try {
      result = await engine.run({ file }, (event) => events.push(event));
    } finally {
      engine.close();
    }
    assert.equal(result.status, 'failed', 'the last step looks for a button that is not there');
    // The secret was typed where it belongs.
    const typed = await (async () => {
      execFileSync('xdotool', ['search', '--name', WINDOW, 'windowactivate', '--sync'], { env: x.display.env });
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await pause(200)) {
        const rect = (await findWindows(WINDOW))[0]!.rect;
        const shown = await showsSecret(crop(await captureScreen(), { x: rect.x + 150, y: rect.y + fields.policy.y - 20, width: 360, height: 40 }));
        if (shown.shows) return shown;
      }
      return { shows: false, text: '' };
    })();
    assert.ok(typed.shows, 'the form shows the secret on screen (OCR can read it: the checks below can fail)');

    const shots = events.flatMap((event) => (event.type === 'artifact' && event.artifactKind === 'screenshot' ? [event.file] : []));
    assert.deepEqual(shots.map((shot) => (shot.endsWith('not-found.png') ? 'not-found.png' : path.basename(shot).replace(/^.*-/, ''))).sort(), ['form.png', 'not-found.png']);
    for (const shot of shots) {
      const picture = await readPng(shot);
      const seen = await showsSecret(picture);
      assert.ok(!seen.shows, `${path.basename(shot)} shows the secret: OCR read ${JSON.stringify(seen.text)}`);
      assert.ok(seen.text.replace(/\s+/g, ' ').includes(PLAIN), `${path.basename(shot)} still shows the plain name typed beside it (read ${JSON.stringify(seen.text)})`);
    }
    // The window screenshot: the policy entry is painted over (black where Tk draws a white entry).
    const form0 = await readPng(shots.find((shot) => shot.endsWith('form.png'))!);
    const at = (fields.policy.y * form0.width + fields.policy.x) * 4;
    assert.deepEqual([...form0.data.subarray(at, at + 3)], [0, 0, 0], 'the policy field is painted over');
    assert.ok(!/zebra|4417|quartz/i.test(String(result.outputs['policyRead'])), `desktop.read of the field read ${JSON.stringify(result.outputs['policyRead'])}`);
    assert.ok(!JSON.stringify(events).includes(SECRET) && !/zebra|quartz/i.test(JSON.stringify(events)), 'no event holds the secret');
    assert.match(JSON.stringify(result.error), /No such button/);
    assert.equal((await form.waitForRecords(0)).length, 0);
    await form.stop();
  });

  it('records a secret as {{secrets.pin}}: no crop, text target, warning or line of the file shows it, and the recording replays', async () => {
    const out = path.join(x.dir, 'rec', 'login.json');
    const problems: string[] = [];
    let steps = 0;
    const recorder = await DesktopRecorder.start({ out, id: 'login', onStep: () => void steps++, onProblem: (message) => problems.push(message), secrets: { pin: SECRET } });
    let stopped = false;
    try {
      const form = await startLegacyForm(x.display.env, path.join(x.dir, 'recorded.jsonl'));
      x.programs.push(form);
      const window = (await findWindows(WINDOW))[0]!.rect;
      const screen = (point: { x: number; y: number }, dx = 0): { x: number; y: number } => ({ x: window.x + point.x + dx, y: window.y + point.y });
      const until = async (check: () => boolean, what: string): Promise<void> => {
        for (const deadline = Date.now() + 20_000; !check(); await pause(50)) if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      };
      const xdotool = (...args: string[]): void => void execFileSync('xdotool', args, { env: x.display.env });
      const clickAt = async (point: { x: number; y: number }): Promise<void> => {
        const seen = steps;
        xdotool('mousemove', String(point.x), String(point.y), 'click', '1');
        await until(() => steps > seen, 'the recorder to record the click');
        await recorder.ready();
      };
      const type = async (text: string): Promise<void> => {
        xdotool('type', '--delay', '40', text);
        await until(() => recorder.pendingText === text, `the recorder to hear "${text}"`);
        await recorder.ready();
      };
      await recorder.ready();
      await clickAt(screen(fields.name));
      await type(PLAIN);
      await clickAt(screen(fields.policy));
      await type(SECRET);
      // Into the field showing the secret (its text is under the pointer), then the entry just below it.
      await clickAt(screen(fields.policy, 40));
      await clickAt(screen(fields.amount));
      await type('42.00');
      const { file, automation } = await recorder.stop();
      stopped = true;
      assert.deepEqual(await form.waitForRecords(0), []);
      const text = readFileSync(file, 'utf8');
      assert.ok(!text.includes(SECRET) && !/zebra|4417|quartz/i.test(text), `the file holds no part of the secret:\n${text}`);
      assert.deepEqual(automation.secrets, ['pin']);
      assert.deepEqual(
        automation.steps.flatMap((step) => (step.kind === 'desktop.type' ? [step.text] : [])),
        [PLAIN, '{{secrets.pin}}', '42.00'],
      );
      assert.ok(!/zebra|4417|quartz/i.test(problems.join('\n')), `no warning names the secret: ${problems.join('; ')}`);
      // Every picture saved beside the file, read back: none shows the secret.
      const images = readdirSync(path.dirname(file)).filter((name) => name.endsWith('.png'));
      assert.ok(images.length >= 2, `crops were kept where no secret shows (${images.join(', ')})`);
      for (const image of images) {
        const seen = await showsSecret(await readPng(path.join(path.dirname(file), image)));
        assert.ok(!seen.shows, `${image} shows the secret: OCR read ${JSON.stringify(seen.text)}`);
      }
      // No image cropped after the secret was typed covers the policy entry's row (where it shows).
      const row: Rect = { x: 150, y: fields.policy.y - 12, width: 360, height: 24 };
      const typedAt = automation.steps.findIndex((step) => step.kind === 'desktop.type' && step.text === '{{secrets.pin}}');
      let later = 0;
      for (const step of automation.steps.slice(typedAt)) {
        if (step.kind !== 'desktop.click') continue;
        for (const candidate of step.target.candidates) {
          if (!('image' in candidate) || !candidate.at) continue;
          const picture = await readPng(path.join(path.dirname(file), candidate.image));
          const rect = { x: candidate.at.x - picture.width / 2, y: candidate.at.y - picture.height / 2, width: picture.width, height: picture.height };
          const overlaps = rect.x < row.x + row.width && row.x < rect.x + rect.width && rect.y < row.y + row.height && row.y < rect.y + rect.height;
          assert.ok(!overlaps, `${candidate.image} (${JSON.stringify(rect)}) covers the secret's row`);
          later++;
        }
      }
      assert.ok(later >= 1, 'the click on the entry below still has an image target (one that leaves the secret out)');
      await form.stop();

      // Replayed on a fresh form with the secret from the environment: the same record.
      const fresh = await startLegacyForm(x.display.env, path.join(x.dir, 'replayed.jsonl'));
      x.programs.push(fresh);
      const engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(x.dir, 'home2'), RPA_SECRET_PIN: SECRET } });
      const saveFile = writeAutomation(path.dirname(file), 'login-save.json', {
        ...automation,
        id: 'login-save',
        steps: [...automation.steps, { kind: 'desktop.click', target: { window: WINDOW, candidates: [{ text: 'Save', exact: true }] }, timeoutMs: 20_000 }],
      });
      try {
        const result = await engine.run({ file: saveFile });
        assert.equal(result.status, 'passed', JSON.stringify(result.error));
      } finally {
        engine.close();
      }
      const [record] = await fresh.waitForRecords(1);
      assert.deepEqual({ name: record?.['name'], policy: record?.['policy'], amount: record?.['amount'] }, { name: PLAIN, policy: SECRET, amount: '42.00' });
    } finally {
      if (!stopped) await recorder.stop().catch(() => undefined);
    }
  });
});
