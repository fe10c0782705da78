// A desktop run's failure screenshot from the robot to the auditor, end to end (#20), under Xvfb
// with the Tk legacy form: `rpa run` types a secret and a plain name into the form's entries, then
// looks for an image that is not in the window and fails; the step's whole-screen not-found.png is
// marked for upload since the machine policy allows it (failureScreenshots.upload), and
// `rpa sync now` sends it to a real audit server process on PostgreSQL. What the server holds is
// byte for byte the file on the robot, with the SHA-256 sealed in the run's artifact record, and
// the entry holding the secret is painted over in it (the plain one is not). The same for the
// covered.png of a click refused because another window (a notice) covers its point.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { screenshotPath } from '../../audit/index.js';
import { crop, type Bitmap } from '../../engine/desktop/bitmap.js';
import { captureScreen } from '../../engine/desktop/control.js';
import { findText } from '../../engine/desktop/find-text.js';
import { recognize } from '../../engine/desktop/ocr.js';
import { findWindows } from '../../engine/desktop/windows.js';
import { missingDesktopTools, startContactDialog, startLegacyForm, startNotice } from '../fixtures/desktop/virtual-display.js';
import { useDesktopDisplay } from '../helpers/desktop-display.js';
import { cliEnv, runCli, writeAutomation } from '../helpers/env.js';
import { api, enrollRobotWithCli, startFleetServers } from '../helpers/fleet-servers.js';

const skip = missingDesktopTools();
const WINDOW = 'Legacy Claims Form';
/** Letters and digits OCR reads well in the form's font (as in desktop-secrets.test). */
const SECRET = 'Zebra4417Quartz';
const PLAIN = 'Visible Name';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Share of black pixels on a horizontal line of the picture (the mask paints black). */
function blackShare(picture: Bitmap, y: number, from: number, to: number): number {
  let black = 0;
  for (let x = from; x < to; x++) {
    const i = (y * picture.width + x) * 4;
    if (picture.data[i] === 0 && picture.data[i + 1] === 0 && picture.data[i + 2] === 0) black++;
  }
  return black / (to - from);
}

describe('a desktop failure screenshot from the robot to the audit server (Xvfb, PostgreSQL)', { concurrency: false, skip: skip ?? false, timeout: 420_000 }, () => {
  /** Window-relative centres of the entries (from their labels, by OCR). */
  const fields: Record<'name' | 'policy', { x: number; y: number }> = { name: { x: 0, y: 0 }, policy: { x: 0, y: 0 } };
  const x = useDesktopDisplay('desktop-failure-shots', async (display) => {
    const form = await startLegacyForm(display.env, path.join(x.dir, 'probe.jsonl'));
    const rect = (await findWindows(WINDOW))[0]!.rect;
    const { words } = await recognize(crop(await captureScreen(), rect), 'sparse');
    for (const [name, label] of [['name', 'Claimant name'], ['policy', 'Policy number']] as const) {
      const box = findText(words, { text: label }).match?.rect;
      assert.ok(box, `"${label}" read on the form`);
      fields[name] = { x: 260, y: Math.round(box.y + box.height / 2) };
    }
    await form.stop();
  });
  let fleet: Awaited<ReturnType<typeof startFleetServers>>;
  let url: string;
  let home: string;
  let deviceId: string;
  let auditor: string;
  const env = () => cliEnv(home, { RPA_POLICY_FILE: path.join(home, 'policy.json'), RPA_SECRET_PIN: SECRET, DISPLAY: x.display.display });
  const rpa = (...args: string[]) => runCli(args, env());

  before(async () => {
    fleet = await startFleetServers(1);
    url = fleet.urls[0]!;
    home = path.join(x.dir, 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'policy.json'), JSON.stringify({ version: 1, failureScreenshots: { upload: true } }));
    ({ deviceId, auditor } = await enrollRobotWithCli(url, fleet.admin, home, rpa));
  });
  after(async () => fleet?.close());

  it('uploads the not-found screenshot of an image target missing from a real X11 window, the secret entry painted over', { timeout: 360_000 }, async () => {
    const form = await startLegacyForm(x.display.env, path.join(x.dir, 'run.jsonl'));
    x.programs.push(form);
    // An image the form never shows: a magenta and green checkerboard.
    const missing = new PNG({ width: 40, height: 40 });
    for (let i = 0; i < 40 * 40; i++) {
      const on = (Math.floor(i / 40 / 5) + Math.floor((i % 40) / 5)) % 2 === 0;
      missing.data.set(on ? [255, 0, 255, 255] : [0, 200, 0, 255], i * 4);
    }
    writeFileSync(path.join(x.dir, 'missing-button.png'), PNG.sync.write(missing));
    const inForm = (candidates: unknown[]) => ({ window: WINDOW, candidates });
    const file = writeAutomation(x.dir, 'type-then-miss.json', {
      format: 1,
      id: 'desktop.shots',
      name: 'type a secret, then miss an image',
      version: '1.0.0',
      secrets: ['pin'],
      steps: [
        { kind: 'desktop.focusWindow', title: WINDOW },
        { kind: 'desktop.click', target: inForm([{ offset: fields.name }]) },
        { kind: 'desktop.type', text: PLAIN },
        { kind: 'desktop.click', target: inForm([{ offset: fields.policy }]) },
        { kind: 'desktop.type', text: '{{secrets.pin}}' },
        { kind: 'desktop.click', target: { ...inForm([{ image: 'missing-button.png' }]), description: 'the Submit button' }, timeoutMs: 3_000 },
      ],
    });
    const run = await rpa('run', file, '--json');
    assert.notEqual(run.code, 0, `the run fails: ${run.stdout.slice(-500)} ${run.stderr.slice(-500)}`);
    assert.doesNotMatch(run.stdout + run.stderr, /Zebra4417Quartz/, 'the secret is not printed');
    const runId = String((JSON.parse(run.stdout.trim().split('\n').pop()!) as { runId?: string }).runId ?? '');
    assert.ok(runId, `a run id from --json: ${run.stdout.slice(-300)}`);

    const synced = await rpa('sync', 'now');
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /failure screenshots: 1 uploaded, 0 waiting/);

    const records = (await api(url, 'GET', `/v1/runs/${runId}/records`, auditor)).body['records'] as Array<{ seq: number; type: string; payload: Record<string, unknown> }>;
    const shots = records.filter((r) => r.type === 'artifact' && r.payload['artifactKind'] === 'screenshot');
    assert.deepEqual(
      shots.map((r) => [String(r.payload['file']).endsWith('-not-found.png'), r.payload['failureScreenshot']]),
      [[true, 'upload']],
      'one failure screenshot, the not-found one, marked for upload',
    );
    const sealed = shots[0]!;
    assert.match(String(sealed.payload['sha256']), /^[0-9a-f]{64}$/);
    const listed = (await api(url, 'GET', `/v1/runs/${runId}/screenshots`, auditor)).body['screenshots'] as Array<{ seq: number; intact: boolean; sha256: string }>;
    assert.deepEqual(listed.map((s) => [s.seq, s.intact, s.sha256]), [[sealed.seq, true, sealed.payload['sha256']]]);

    const response = await fetch(`${url}${screenshotPath(deviceId, sealed.seq)}`, { headers: { authorization: `Bearer ${auditor}` } });
    assert.equal(response.status, 200);
    const onServer = Buffer.from(await response.arrayBuffer());
    const local = readFileSync(String(sealed.payload['file']));
    assert.ok(onServer.equals(local), 'the server has the bytes of the file on the robot');
    assert.equal(sha256(onServer), sealed.payload['sha256'], 'and they are the ones the sealed record names');
    assert.equal((await fetch(`${url}${screenshotPath(deviceId, sealed.seq)}`)).status, 401, 'an anonymous reader is refused');

    // The uploaded picture is the whole screen: the entry holding the secret is painted over,
    // the one holding the plain name is not, and OCR reads the plain name but not the secret.
    const png = PNG.sync.read(onServer);
    const picture: Bitmap = { width: png.width, height: png.height, data: png.data };
    const window = (await findWindows(WINDOW))[0]!.rect;
    assert.deepEqual([picture.width, picture.height], [1920, 1080], 'the whole screen');
    // (The mask covers the typed text's box, from the entry's left edge: the line is taken across
    // the entries' first part, where the typed text lies.)
    const line = (field: { x: number; y: number }) => blackShare(picture, window.y + field.y, window.x + field.x - 70, window.x + field.x + 70);
    assert.ok(line(fields.policy) > 0.95, `the secret entry is painted over (${line(fields.policy)} of its line black)`);
    assert.ok(line(fields.name) < 0.5, `the plain entry is not (${line(fields.name)} of its line black)`);
    const { text } = await recognize(crop(picture, window), 'sparse');
    assert.ok(text.replace(/\s+/g, ' ').includes(PLAIN), `OCR reads the plain name in the uploaded picture (read ${JSON.stringify(text)})`);
    assert.ok(!['zebra', '4417', 'quartz'].some((part) => text.replace(/\s+/g, '').toLowerCase().includes(part)), `OCR reads no part of the secret (read ${JSON.stringify(text)})`);
    await form.stop();
  });
  it('uploads the covered.png of a click refused because another window covers its point', { timeout: 240_000 }, async () => {
    const dialog = await startContactDialog(x.display.env, path.join(x.dir, 'contact.jsonl'));
    x.programs.push(dialog);
    const notice = await startNotice(x.display.env, path.join(x.dir, 'notice.jsonl'));
    x.programs.push(notice);
    const below = (await findWindows('Contact Dialog'))[0]!.rect;
    const over = (await findWindows('Notice'))[0]!.rect;
    const point = { x: over.x + Math.round(over.width / 2), y: over.y + Math.round(over.height / 2) };
    const file = writeAutomation(x.dir, 'covered.json', {
      format: 1,
      id: 'desktop.covered',
      name: 'a click the notice covers',
      version: '1.0.0',
      steps: [
        {
          kind: 'desktop.click',
          timeoutMs: 3_000,
          target: { window: 'Contact Dialog', candidates: [{ offset: { x: point.x - below.x, y: point.y - below.y } }], windowSize: { width: below.width, height: below.height } },
        },
      ],
    });
    const run = await rpa('run', file, '--json');
    assert.notEqual(run.code, 0, 'the run fails');
    assert.match(run.stdout + run.stderr, /covered by.*"Notice"/s);
    const runId = String((JSON.parse(run.stdout.trim().split('\n').pop()!) as { runId?: string }).runId ?? '');
    assert.equal(notice.records().length + dialog.records().length, 0, 'nothing was clicked');

    const synced = await rpa('sync', 'now');
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /failure screenshots: 1 uploaded, 0 waiting/);
    const records = (await api(url, 'GET', `/v1/runs/${runId}/records`, auditor)).body['records'] as Array<{ seq: number; type: string; payload: Record<string, unknown> }>;
    const shots = records.filter((r) => r.type === 'artifact' && r.payload['artifactKind'] === 'screenshot');
    assert.deepEqual(shots.map((r) => [String(r.payload['file']).endsWith('-covered.png'), r.payload['failureScreenshot']]), [[true, 'upload']]);
    const sealed = shots[0]!;
    const response = await fetch(`${url}${screenshotPath(deviceId, sealed.seq)}`, { headers: { authorization: `Bearer ${auditor}` } });
    assert.equal(response.status, 200);
    const onServer = Buffer.from(await response.arrayBuffer());
    assert.ok(onServer.equals(readFileSync(String(sealed.payload['file']))), 'the server has the bytes of the file on the robot');
    assert.equal(sha256(onServer), sealed.payload['sha256'], 'and they are the ones the sealed record names');
    const listed = (await api(url, 'GET', `/v1/runs/${runId}/screenshots`, auditor)).body['screenshots'] as Array<{ seq: number; intact: boolean; sha256: string }>;
    assert.deepEqual(listed.map((s) => [s.seq, s.intact, s.sha256]), [[sealed.seq, true, sealed.payload['sha256']]]);
    for (const program of x.programs.splice(0)) await program.stop();
  });
});
