// Self-healing replay end to end: a bot whose labels were reworded by a new release of the
// demo system heals by fingerprint (and says so), `rpa heal` writes the healed locators
// into the file, and the next run needs no healing. Below the threshold nothing is touched.
// The command lines run in one CLI worker process (test/helpers/cli-worker.ts: start-up paid once);
// the real executable for the prompt declined on stdin.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { cliEnv, cliWorker, jsonLines, runCli, tempDir, writeAutomation } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

// What the recorder captured on the unmutated sign-in page.
const userNameFingerprint = {
  tag: 'input',
  role: 'textbox',
  name: 'User name:',
  label: 'User name:',
  attributes: { id: 'f1234567', name: 'username', type: 'text' },
  formIndex: 0,
  ancestors: ['td', 'tr', 'tbody', 'table'],
  box: { x: 233, y: 171, width: 200, height: 21 },
};
const passwordFingerprint = {
  tag: 'input',
  name: 'Password:',
  label: 'Password:',
  attributes: { id: 'f7654321', name: 'password', type: 'password' },
  formIndex: 1,
  ancestors: ['td', 'tr', 'tbody', 'table'],
  box: { x: 233, y: 200, width: 200, height: 21 },
};

function signIn(extraDefaults: Record<string, unknown> = {}, extraSteps: unknown[] = []): unknown {
  return {
    format: 1,
    id: 'test.heal-sign-in',
    name: 'Sign in (recorded before the labels changed)',
    version: '1.0.0',
    inputs: [{ name: 'baseUrl', type: 'string' }],
    secrets: ['portalPassword'],
    defaults: { timeoutMs: 8000, ...extraDefaults },
    steps: [
      { kind: 'browser.open', url: '{{inputs.baseUrl}}/login' },
      { kind: 'browser.fill', target: { description: 'User name field', candidates: [{ label: 'User name:', exact: true }], fingerprint: userNameFingerprint }, value: 'clerk' },
      { kind: 'browser.fill', target: { description: 'Password field', candidates: [{ label: 'Password:', exact: true }], fingerprint: passwordFingerprint }, value: '{{secrets.portalPassword}}' },
      { kind: 'browser.click', target: { description: 'Sign in button', candidates: [{ role: 'button', name: 'Sign in' }] } },
      { kind: 'browser.assert', target: { candidates: [{ text: 'Welcome, clerk' }] }, assert: 'visible' },
      ...extraSteps,
    ],
  };
}

type Event = Record<string, unknown>;
const healedOf = (events: Event[]): Event[] => events.filter((e) => e['type'] === 'step.succeeded' && (e['locator'] as Event | undefined)?.['healed']);

describe('self-healing replay and rpa heal', { concurrency: false }, () => {
  let demo: DemoSystem;
  let home: string;
  let dir: string;

  before(async () => {
    demo = await startDemoSystem({ port: 0, slowMs: 100, mutation: 'label' });
  });
  after(() => demo.close());
  beforeEach(() => {
    demo.reset();
    home = tempDir('heal-home');
    dir = tempDir('heal-bots');
  });

  it('heals reworded labels, rpa heal writes the new locators into the file, the next run needs no healing', async () => {
    const file = writeAutomation(dir, 'sign-in.json', signIn());
    const before = readFileSync(file, 'utf8');
    const first = await rpa(['run', file, '--json', '--input', `baseUrl=${demo.url}`], cliEnv(home));
    assert.equal(first.code, 0, first.stderr + first.stdout.slice(-2000));
    const events = jsonLines(first.stdout);
    const healed = healedOf(events);
    assert.deepEqual(healed.map((e) => e['path']), ['2', '3']);
    const userName = (healed[0]!['locator'] as { healed: { from: string; to: unknown; score: number; runnerUp?: number } }).healed;
    assert.equal(userName.from, 'label="User name:"');
    assert.deepEqual(userName.to, { role: 'textbox', name: 'Username:', exact: true });
    assert.ok(userName.score >= 0.8 && userName.score < 1, String(userName.score));
    assert.ok(userName.runnerUp === undefined || userName.score - userName.runnerUp >= 0.1);
    assert.equal(demo.state.logins.at(-1)?.ok, true, 'the healed steps typed into the right fields');
    const runId = String(events[0]!['runId']);

    const shown = await rpa(['show', runId], cliEnv(home));
    assert.match(shown.stdout, /Healed/);
    assert.match(shown.stdout, /label="User name:" → role=textbox\[name="Username:"\]/);
    const progress = await rpa(['run', file, '--input', `baseUrl=${demo.url}`], cliEnv(home));
    assert.match(progress.stderr + progress.stdout, /healed: label="Password:" → label="Your password:" \(score 0\.\d\d\)/);

    const refused = await runCli(['heal', file, '--run', runId], cliEnv(home), undefined, 'n\n');
    assert.equal(refused.code, 0, refused.stderr);
    assert.match(refused.stdout, /nothing written/);
    assert.equal(readFileSync(file, 'utf8'), before, 'declining writes nothing');

    const heal = await rpa(['heal', file, '--run', runId, '--yes'], cliEnv(home));
    assert.equal(heal.code, 0, heal.stderr + heal.stdout);
    assert.match(heal.stdout, /step 2 +label="User name:" +→ +role=textbox\[name="Username:"\]/);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { steps: Array<{ target?: { candidates: unknown[]; fingerprint?: { label?: string } } }> };
    assert.deepEqual(doc.steps[1]!.target!.candidates, [{ role: 'textbox', name: 'Username:', exact: true }, { label: 'User name:', exact: true }]);
    assert.equal(doc.steps[1]!.target!.fingerprint?.label, 'Username:', 'the fingerprint is refreshed');
    assert.deepEqual(doc.steps[2]!.target!.candidates[1], { label: 'Password:', exact: true });
    assert.deepEqual(doc.steps[3], (JSON.parse(before) as typeof doc).steps[3], 'untouched steps stay as they were');
    assert.match(readFileSync(file, 'utf8'), /^ {2}"steps": \[$/m, 'two-space indentation kept');
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('heal-')), [], 'no temporary file left behind');

    const second = await rpa(['run', file, '--json', '--input', `baseUrl=${demo.url}`], cliEnv(home));
    assert.equal(second.code, 0, second.stderr);
    const again = jsonLines(second.stdout);
    assert.deepEqual(healedOf(again), [], 'no healing needed after rpa heal');
    const matched = again.filter((e) => e['type'] === 'step.succeeded' && (e['path'] === '2' || e['path'] === '3')).map((e) => (e['locator'] as Event)['index']);
    assert.deepEqual(matched, [0, 0]);
  });

  it('never acts below the threshold: fails with the candidates tried, the best scores and a screenshot', async () => {
    const file = writeAutomation(dir, 'strict.json', signIn({ healThreshold: 0.99 }));
    const result = await rpa(['run', file, '--json', '--input', `baseUrl=${demo.url}`], cliEnv(home));
    assert.equal(result.code, 1, result.stdout.slice(-2000));
    const events = jsonLines(result.stdout);
    const failed = events.find((e) => e['type'] === 'step.failed') as { path: string; error: { name: string; message: string; details: { healing: { best: Array<{ score: number }> } } } };
    assert.equal(failed.path, '2');
    assert.equal(failed.error.name, 'LocatorNotFoundError');
    assert.match(failed.error.message, /label="User name:" → 0 matches\); fingerprint matching: no element scored at least 0\.99 \(best: input textbox "Username:" name=username 0\.\d+/);
    assert.ok(failed.error.details.healing.best.length >= 2);
    const screenshot = events.find((e) => e['type'] === 'artifact' && e['artifactKind'] === 'screenshot');
    assert.ok(screenshot && existsSync(String(screenshot['file'])), 'failure screenshot written');
    assert.equal(demo.state.logins.length, 0, 'nothing was submitted');
    assert.equal(healedOf(events).length, 0);
  });

  it('heals inside an iframe: the note lands on the claim the bot opened', async () => {
    const file = writeAutomation(dir, 'note.json', {
      format: 1,
      id: 'test.heal-note',
      name: 'Add a note (recorded before the labels changed)',
      version: '1.0.0',
      inputs: [{ name: 'baseUrl', type: 'string' }],
      secrets: ['portalPassword'],
      defaults: { timeoutMs: 8000 },
      steps: [
        ...(signIn() as { steps: unknown[] }).steps.slice(0, 1),
        { kind: 'browser.fill', target: { candidates: [{ css: 'input[name=username]' }] }, value: 'clerk' },
        { kind: 'browser.fill', target: { candidates: [{ css: 'input[name=password]' }] }, value: '{{secrets.portalPassword}}' },
        { kind: 'browser.click', target: { candidates: [{ role: 'button', name: 'Sign in' }] } },
        { kind: 'browser.goto', url: '{{inputs.baseUrl}}/claims/CLM-2004-000007' },
        {
          kind: 'browser.fill',
          target: {
            description: 'Note field',
            frame: ['iframe[name=legacy]'],
            candidates: [{ label: 'Note:', exact: true }],
            fingerprint: { tag: 'textarea', role: 'textbox', name: 'Note:', label: 'Note:', attributes: { id: 'f5550001', name: 'note' }, formIndex: 0, ancestors: ['td', 'tr', 'tbody', 'table'] },
          },
          value: 'Healed inside the frame.',
        },
        { kind: 'browser.dialog', action: 'accept' },
        { kind: 'browser.click', target: { frame: ['iframe[name=legacy]'], candidates: [{ role: 'button', name: 'Save note' }] } },
        { kind: 'browser.waitFor', target: { frame: ['iframe[name=legacy]'], candidates: [{ text: 'Healed inside the frame.' }] } },
      ],
    });
    const result = await rpa(['run', file, '--json', '--input', `baseUrl=${demo.url}`], cliEnv(home));
    assert.equal(result.code, 0, result.stderr + result.stdout.slice(-2000));
    const healed = healedOf(jsonLines(result.stdout));
    assert.deepEqual(healed.map((e) => e['path']), ['6']);
    assert.deepEqual((healed[0]!['locator'] as { healed: { to: unknown } }).healed.to, { role: 'textbox', name: 'New note:', exact: true });
    assert.equal(demo.state.claims.find((c) => c.number === 'CLM-2004-000007')?.notes.at(-1), 'Healed inside the frame.');
  });

  it('rpa heal refuses a file whose step no longer has the healed locators, and reports bad usage', async () => {
    const file = writeAutomation(dir, 'sign-in.json', signIn());
    const run = await rpa(['run', file, '--json', '--input', `baseUrl=${demo.url}`], cliEnv(home));
    const runId = String(jsonLines(run.stdout)[0]!['runId']);
    const changed = signIn() as { steps: Array<{ target?: { candidates: unknown[] } }> };
    changed.steps[1]!.target!.candidates = [{ css: 'input[name=username]' }];
    const other = writeAutomation(dir, 'changed.json', changed);
    const before = readFileSync(other, 'utf8');
    const heal = await rpa(['heal', other, '--run', runId, '--yes'], cliEnv(home));
    assert.match(heal.stdout, /step 2 +not updated: the target in .* is not the one that was healed/);
    assert.match(heal.stdout, /step 3 /, 'the other healed step is still applied');
    assert.notEqual(readFileSync(other, 'utf8'), before);
    assert.deepEqual((JSON.parse(readFileSync(other, 'utf8')) as typeof changed).steps[1]!.target!.candidates, [{ css: 'input[name=username]' }]);

    assert.equal((await rpa(['heal', file], cliEnv(home))).code, 2);
    const unknown = await rpa(['heal', file, '--run', 'NOSUCHRUN', '--yes'], cliEnv(home));
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no run NOSUCHRUN/);
    const missing = await rpa(['heal', path.join(dir, 'missing.json'), '--run', runId], cliEnv(home));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /file not found/);
  });
});
