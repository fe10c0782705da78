// `rpa export --to playwright`: the exported scripts compile with TypeScript (strict) and,
// run with plain node, do on the demo system what the automations do. Kinds with no
// faithful translation stop the export with an error naming the step.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD, startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { cliEnv, EXAMPLES, REPO_ROOT, runCli, tempDir, writeAutomation } from '../helpers/env.js';

// Exported scripts run in their own folder: what they write by a relative path (a screenshot) lands there, not in the checkout.
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = REPO_ROOT): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('rpa export --to playwright', { concurrency: false }, () => {
  let demo: DemoSystem;
  let home: string;
  let outDir: string;

  before(async () => {
    demo = await startDemoSystem({ port: 0, slowMs: 100 });
    home = tempDir('export-home');
    // Inside the repo so the compiled scripts resolve playwright-core from its node_modules.
    mkdirSync(path.join(REPO_ROOT, 'node_modules', '.cache'), { recursive: true });
    outDir = mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cache', 'rpa-export-test-'));
  });
  after(async () => {
    await demo.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('exports login and file-a-claim; the compiled scripts sign in and file the claim', async () => {
    for (const name of ['login', 'file-a-claim']) {
      const result = await runCli(['export', path.join(EXAMPLES, `${name}.json`), '--to', 'playwright', '--out', path.join(outDir, `${name}.ts`)], cliEnv(home));
      assert.equal(result.code, 0, result.stderr);
    }
    const claimScript = readFileSync(path.join(outDir, 'file-a-claim.ts'), 'utf8');
    assert.match(claimScript, /interface Inputs \{\n {2}baseUrl: string;/);
    // An action takes the first candidate that matches exactly one element, as the runner does.
    assert.match(claimScript, /\/\/ step 6: fill Policy number\n\s+await \(await one\(\[\s*page\.getByLabel\("Policy number:"\),(\s*page\.[^\n]*,)+\s*\](, \d+)?\)\)\.fill\(text\(inputs\.policyNumber\)/);
    assert.match(claimScript, /if \(text\(inputs\.injuries\) === text\(true\)\) \{/);
    assert.doesNotMatch(claimScript, new RegExp(DEMO_PASSWORD.replace('!', '\\!')), 'no secret value in the script');

    const tsc = await run(process.execPath, [
      path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--ignoreConfig', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck',
      '--outDir', path.join(outDir, 'out'), path.join(outDir, 'login.ts'), path.join(outDir, 'file-a-claim.ts'),
    ]);
    assert.equal(tsc.code, 0, tsc.output);

    const env = { ...process.env, RPA_INPUT_BASEURL: demo.url, RPA_SECRET_PORTALPASSWORD: DEMO_PASSWORD, RPA_INPUT_CLAIMANT: 'Exported Script', RPA_INPUT_INJURIES: 'true' };
    const login = await run(process.execPath, [path.join(outDir, 'out', 'login.js')], env, outDir);
    assert.equal(login.code, 0, login.output);
    assert.deepEqual(demo.state.logins.map((l) => l.ok), [true]);

    const claim = await run(process.execPath, [path.join(outDir, 'out', 'file-a-claim.js')], env, outDir);
    assert.equal(claim.code, 0, claim.output);
    assert.ok(existsSync(path.join(outDir, 'claim-filed.png')), 'the screenshot is written beside the script');
    assert.match(claim.output, /claimNumber = CLM-2004-000036/);
    const filed = demo.state.claims.find((c) => c.number === 'CLM-2004-000036');
    assert.ok(filed, 'the claim landed');
    assert.equal(filed.claimant, 'Exported Script');
    assert.equal(filed.policyNumber, 'POL-10007');
    assert.equal(filed.channel, 'phone');
    assert.equal(filed.injuries, true);
    assert.equal(filed.attachment?.filename, 'incident-report.txt');
  });

  it('answers a dialog that opens before the click that opened it returns, when a waiting dialog step follows the click', async () => {
    // The exported script armed the answer only after the click: a dialog that opened before the click returned (the
    // page opens it in the click handler here; a busy machine does the same to a dialog a moment later) was dismissed
    // as unexpected, and the dialog step then waited in vain.
    const html = `<button onclick="document.getElementById('r').textContent = confirm('Send the invoice?') ? 'sent' : 'kept'">Send</button><p id=r></p>`;
    const file = writeAutomation(tempDir('export-dialog'), 'send.json', {
      format: 1, id: 'test.send', name: 'Send', version: '1.0.0',
      steps: [
        { kind: 'browser.open', url: `data:text/html,${encodeURIComponent(html)}` },
        { kind: 'browser.click', target: { candidates: [{ role: 'button', name: 'Send' }] } },
        { kind: 'browser.dialog', action: 'accept', expectMessage: 'Send the invoice?', wait: true, timeoutMs: 5_000 },
        { kind: 'browser.assert', target: { candidates: [{ css: '#r' }] }, assert: 'textEquals', expected: 'sent', timeoutMs: 5_000 },
      ],
    });
    const exported = await runCli(['export', file, '--to', 'playwright', '--out', path.join(outDir, 'send.ts')], cliEnv(home));
    assert.equal(exported.code, 0, exported.stderr);
    const tsc = await run(process.execPath, [
      path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--ignoreConfig', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck',
      '--outDir', path.join(outDir, 'out'), path.join(outDir, 'send.ts'),
    ]);
    assert.equal(tsc.code, 0, tsc.output);
    const sent = await run(process.execPath, [path.join(outDir, 'out', 'send.js')], process.env, outDir);
    assert.equal(sent.code, 0, sent.output);
    assert.doesNotMatch(sent.output, /unexpected/);
  });

  it('fails on a confirm or prompt no step answers, naming it, and only warns about such an alert (as the runner does)', async () => {
    // The exported script dismissed every dialog no step answered with a line on stderr and went on: a confirm the
    // recording never answered ended in exit 0 with the page told Cancel. The runner fails the step instead.
    const html = `<button onclick="r.textContent = confirm('Delete the invoice?') ? 'deleted' : 'kept'">Delete</button>
<button onclick="r.textContent = 'Reference: ' + prompt('Your reference?')">Ask</button>
<button onclick="alert('Saved'); r.textContent = 'saved'">Save</button><p id=r></p>`;
    const open = { kind: 'browser.open', url: `data:text/html,${encodeURIComponent(html)}` };
    const click = (name: string): Record<string, unknown> => ({ kind: 'browser.click', target: { candidates: [{ role: 'button', name }] } });
    const shows = (expected: string): Record<string, unknown> => ({ kind: 'browser.assert', target: { candidates: [{ css: '#r' }] }, assert: 'textEquals', expected, timeoutMs: 5_000 });
    const dir = tempDir('export-unexpected');
    const scripts = {
      confirm: [open, click('Delete'), shows('kept'), { kind: 'log', message: 'went on after the confirm' }],
      prompt: [open, click('Ask')],
      alert: [open, click('Save'), shows('saved'), { kind: 'log', message: 'went on after the alert' }],
      // The step's answer taken by a dialog saying something else (was: "unexpected dialog: …" and exit 0).
      other: [open, click('Delete'), { kind: 'browser.dialog', action: 'accept', expectMessage: 'Send the invoice?', wait: true, timeoutMs: 5_000 }, shows('deleted')],
    };
    for (const [name, steps] of Object.entries(scripts)) {
      const file = writeAutomation(dir, `${name}.json`, { format: 1, id: `test.unexpected-${name}`, name: `unexpected ${name}`, version: '1.0.0', steps });
      const exported = await runCli(['export', file, '--to', 'playwright', '--out', path.join(outDir, `unexpected-${name}.ts`)], cliEnv(home));
      assert.equal(exported.code, 0, exported.stderr);
    }
    const tsc = await run(process.execPath, [
      path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--ignoreConfig', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck',
      '--outDir', path.join(outDir, 'out'), ...Object.keys(scripts).map((name) => path.join(outDir, `unexpected-${name}.ts`)),
    ]);
    assert.equal(tsc.code, 0, tsc.output);
    const script = (name: string): Promise<{ code: number | null; output: string }> => run(process.execPath, [path.join(outDir, 'out', `unexpected-${name}.js`)], process.env, outDir);

    const confirm = await script('confirm');
    assert.notEqual(confirm.code, 0, confirm.output);
    assert.match(confirm.output, /the page opened a confirm "Delete the invoice\?" that no step answers \(by the end of step 2: click/);
    assert.match(confirm.output, /it was dismissed, so the page went on as told Cancel\. Add a browser\.dialog step/);
    assert.doesNotMatch(confirm.output, /went on after the confirm/, 'the script stops at the step during which the confirm opened');

    const prompt = await script('prompt');
    assert.notEqual(prompt.code, 0, prompt.output);
    assert.match(prompt.output, /the page opened a prompt "Your reference\?" that no step answers/);

    const other = await script('other');
    assert.notEqual(other.code, 0, other.output);
    assert.match(other.output, /the confirm said "Delete the invoice\?", expected it to contain "Send the invoice\?"/);

    const alert = await script('alert');
    assert.equal(alert.code, 0, alert.output);
    assert.match(alert.output, /warning: unexpected alert "Saved" was dismissed/);
    assert.match(alert.output, /went on after the alert/);
  });

  it('names the step it cannot export, and rejects a missing or unknown --to', async () => {
    const called = await runCli(['export', path.join(EXAMPLES, 'add-note-with-recovery.json'), '--to', 'playwright', '--out', path.join(outDir, 'x.ts')], cliEnv(home));
    assert.equal(called.code, 2);
    assert.match(called.stderr, /step \d+ \(flow\.call\).*flow\.call has no export to Playwright/);
    const dir = tempDir('export-bots');
    const csv = writeAutomation(dir, 'csv.json', {
      format: 1, id: 'test.csv', name: 'CSV loop', version: '1.0.0',
      steps: [{ kind: 'flow.forEach', name: 'each row', csv: { file: 'rows.csv' }, as: 'row', steps: [{ kind: 'log', message: '{{vars.row.a}}' }] }],
    });
    const loop = await runCli(['export', csv, '--to', 'playwright'], cliEnv(home));
    assert.equal(loop.code, 2);
    assert.match(loop.stderr, /step 1 \(flow\.forEach\): flow\.forEach over a CSV file/);
    assert.equal((await runCli(['export', csv], cliEnv(home))).code, 2);
    const unknown = await runCli(['export', csv, '--to', 'selenium'], cliEnv(home));
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown target "selenium"/);
  });
});
