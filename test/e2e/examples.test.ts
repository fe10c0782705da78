// Every example automation, run through the real `rpa run` in real Chromium against the
// bundled demo system; afterwards the demo system's state shows what the bot did.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEMO_PASSWORD, startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { cliEnv, EXAMPLES, jsonLines, runCli, tempDir } from '../helpers/env.js';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

function finished(events: Array<Record<string, unknown>>): Record<string, unknown> {
  const event = events.find((e) => e['type'] === 'run.finished');
  assert.ok(event, 'run.finished event missing');
  return event;
}

describe('example automations against the demo system', { concurrency: false }, () => {
  let demo: DemoSystem;
  let home: string;

  before(async () => {
    demo = await startDemoSystem({ port: 0, slowMs: 300 });
  });
  after(async () => {
    await demo.close();
  });
  beforeEach(() => {
    demo.reset();
    home = tempDir('home');
  });

  it('file-a-claim files the claim with every field and reads back its number', async () => {
    const result = await runCli(['run', path.join(EXAMPLES, 'file-a-claim.json'), '--json', '--input', `baseUrl=${demo.url}`, '--input', 'claimant=Ole Gunnar', '--input', 'injuries=true'], cliEnv(home));
    assert.equal(result.code, 0, result.stderr + result.stdout.slice(-3000));
    const events = jsonLines(result.stdout);
    const end = finished(events);
    assert.equal(end['status'], 'passed');

    const filed = demo.state.claims.filter((claim) => claim.number === 'CLM-2004-000036');
    assert.equal(filed.length, 1, 'exactly one new claim');
    assert.equal(demo.state.claims.length, 36);
    const claim = filed[0]!;
    assert.equal(claim.policyNumber, 'POL-10007');
    assert.equal(claim.claimant, 'Ole Gunnar');
    assert.equal(claim.incidentDate, '2026-11-18');
    assert.equal(claim.claimType, 'auto');
    assert.equal(claim.channel, 'phone');
    assert.equal(claim.injuries, true);
    assert.equal(claim.policeReport, true);
    assert.match(claim.description, /Rear-end collision/);
    assert.equal(claim.createdBy, 'clerk');
    const document = readFileSync(path.join(EXAMPLES, 'files', 'incident-report.txt'));
    assert.equal(claim.attachment?.filename, 'incident-report.txt');
    assert.equal(claim.attachment?.sha256, createHash('sha256').update(document).digest('hex'));
    assert.deepEqual(end['outputs'], { claimNumber: 'CLM-2004-000036' });

    // The confirm dialog was answered and the locator that matched is on record.
    const succeeded = events.filter((e) => e['type'] === 'step.succeeded');
    assert.ok(succeeded.some((e) => (e['locator'] as { description?: string } | undefined)?.description === 'label="Policy number:"'));
    assert.ok(events.some((e) => e['type'] === 'log' && String(e['message']).includes('confirm "Submit this claim to the mainframe?" → accept')));

    // The store agrees, and `rpa show` reports it.
    const runId = String(end['runId']);
    const shown = await runCli(['show', runId.slice(0, 12)], cliEnv(home));
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /passed/);
    assert.match(shown.stdout, /claimNumber = CLM-2004-000036/);
    assert.match(shown.stdout, /21-claim-filed\.png/);
    const screenshot = filesUnder(home).find((file) => file.endsWith('claim-filed.png'));
    assert.ok(screenshot && statSync(screenshot).size > 1000, 'screenshot artifact written');

    // The password went into the page but nowhere else: not the events, the store, or any file.
    assert.ok(!result.stdout.includes(DEMO_PASSWORD));
    assert.ok(!result.stderr.includes(DEMO_PASSWORD));
    for (const file of filesUnder(home)) assert.ok(!readFileSync(file).includes(DEMO_PASSWORD), `secret found in ${file}`);
  });

  it('takes the password from the encrypted vault, and it never reaches the store, files or output', async () => {
    const env = cliEnv(home);
    delete env['RPA_SECRET_PORTALPASSWORD'];
    const stored = await runCli(['secret', 'set', 'portalPassword'], env, undefined, `${DEMO_PASSWORD}\n`);
    assert.equal(stored.code, 0, stored.stderr);
    const result = await runCli(['run', path.join(EXAMPLES, 'login.json'), '--input', `baseUrl=${demo.url}`], env);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.deepEqual(demo.state.logins.map((login) => login.ok), [true]);
    const shown = await runCli(['runs', '--json'], env);
    for (const text of [result.stdout, result.stderr, shown.stdout, stored.stdout]) assert.ok(!text.includes(DEMO_PASSWORD));
    for (const file of filesUnder(home)) assert.ok(!readFileSync(file).includes(DEMO_PASSWORD), `secret found in ${file}`);
  });

  it('claim-statuses looks up every CSV row and writes the statuses the system holds', async () => {
    const out = path.join(home, 'statuses.csv');
    const result = await runCli(['run', path.join(EXAMPLES, 'claim-statuses.json'), '--json', '--input', `baseUrl=${demo.url}`, '--input', `outFile=${out}`], cliEnv(home));
    assert.equal(result.code, 0, result.stderr + result.stdout.slice(-3000));
    const statusOf = (number: string): string => demo.state.claims.find((claim) => claim.number === number)?.status ?? 'NOT FOUND';
    const expected = [
      ['CLM-2004-000003', 'Alice'],
      ['CLM-2004-000017', 'Bob'],
      ['CLM-2004-999999', 'Carol'],
      ['CLM-2004-000029', 'Dan'],
    ].map(([number, who]) => `${number},${statusOf(number!)},${who}`);
    assert.equal(readFileSync(out, 'utf8').trim(), ['claimNumber,status,requestedBy', ...expected].join('\n'));
    assert.ok(expected[2]!.includes('NOT FOUND'));
    // flow.call ran the login automation inside this run.
    const events = jsonLines(result.stdout);
    assert.ok(events.some((e) => e['type'] === 'step.succeeded' && e['path'] === '1>4'), 'login steps ran as 1>1..1>5');
    assert.equal(demo.state.logins.filter((login) => login.ok).length, 1);
  });

  it('add-note recovers from a wrong claim number in flow.try and saves the note in the iframe', async () => {
    const note = `Called back at ${Date.now()}`;
    const result = await runCli(
      ['run', path.join(EXAMPLES, 'add-note-with-recovery.json'), '--json', '--input', `baseUrl=${demo.url}`, '--input', 'claimNumber=CLM-2004-000999', '--input', 'policyNumber=POL-10012', '--input', `note=${note}`],
      cliEnv(home),
    );
    assert.equal(result.code, 0, result.stderr + result.stdout.slice(-3000));
    const end = finished(jsonLines(result.stdout));
    const target = demo.state.claims.find((claim) => claim.policyNumber === 'POL-10012')!;
    assert.deepEqual(end['outputs'], { claimNumber: target.number, status: target.status, recovered: true });
    assert.ok(target.notes.some((n) => n.includes(note)), 'note saved on the claim found by policy');
    // The failure inside try left evidence, and the run still passed.
    const events = jsonLines(result.stdout);
    assert.ok(events.some((e) => e['type'] === 'step.failed' && e['path'] === '3.try.2'));
    assert.ok(events.some((e) => e['type'] === 'artifact' && String(e['file']).endsWith('3.try.2-failure.png')));
  });

  it('add-note with the right number does not take the recovery path', async () => {
    const result = await runCli(
      ['run', path.join(EXAMPLES, 'add-note-with-recovery.json'), '--json', '--input', `baseUrl=${demo.url}`, '--input', 'claimNumber=CLM-2004-000005', '--input', 'policyNumber=POL-10001'],
      cliEnv(home),
    );
    assert.equal(result.code, 0, result.stderr + result.stdout.slice(-3000));
    const end = finished(jsonLines(result.stdout));
    assert.equal((end['outputs'] as Record<string, unknown>)['recovered'], false);
    assert.equal((end['outputs'] as Record<string, unknown>)['claimNumber'], 'CLM-2004-000005');
    assert.equal(demo.state.claims.find((claim) => claim.number === 'CLM-2004-000005')!.notes.length >= 1, true);
  });

  it('a wrong password fails the run at the sign-in check with a screenshot, and exit code 1', async () => {
    const result = await runCli(['run', path.join(EXAMPLES, 'login.json'), '--input', `baseUrl=${demo.url}`], cliEnv(home, { RPA_SECRET_PORTALPASSWORD: 'not-the-password' }));
    assert.equal(result.code, 1);
    assert.match(result.stdout, /sign-in failed: the menu did not appear/);
    assert.match(result.stdout, /5-failure\.png/);
    assert.match(result.stdout, /5-failure\.html/);
    assert.deepEqual(
      demo.state.logins.map((login) => login.ok),
      [false],
    );
  });
});
