// The `rpa` command's contract: exit codes and the messages a user reads. The command lines run
// in one CLI worker process (test/helpers/cli-worker.ts: what they print and return, start-up paid
// once); the real executable for an invalid run and a bare `rpa`, whose exit code is the process's.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { migrations } from '../../engine/store/migrations/index.js';
import { cliEnv, cliWorker, EXAMPLES, jsonLines, runCli, tempDir, writeAutomation } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

const base = { format: 1, id: 'cli.test', name: 'CLI test', version: '1.0.0' };

describe('rpa validate', () => {
  it('accepts every example (exit 0)', async () => {
    const files = ['file-a-claim.json', 'claim-statuses.json', 'add-note-with-recovery.json', 'login.json'].map((f) => path.join(EXAMPLES, f));
    const result = await rpa(['validate', ...files], cliEnv(tempDir('v')));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n').filter((l) => l.startsWith('✓')).length, 4);
  });

  it('rejects a malformed automation with exit 2 and path-precise messages', async () => {
    const dir = tempDir('v');
    const file = writeAutomation(dir, 'claims.json', {
      ...base,
      inputs: [{ name: 'claimNo', type: 'string' }],
      steps: [
        { kind: 'browser.open', url: 'http://127.0.0.1:1/' },
        { kind: 'browser.fill', target: { candidates: [{ label: 'Claim' }] }, value: '{{inputs.claimNo}}' },
        { kind: 'browser.clik', target: { candidates: [{ css: 'button' }] } },
        { kind: 'browser.click', target: { candidates: [] } },
        { kind: 'log', message: 'total {{vars.total}} for {{inputs.claimNumber}} with {{secrets.portalPassword}}' },
      ],
    });
    const result = await rpa(['validate', 'claims.json'], cliEnv(dir), dir);
    assert.equal(result.code, 2);
    const lines = result.stderr.trim().split('\n');
    assert.deepEqual(lines, [
      '✗ claims.json: steps[2].kind: unknown step kind "browser.clik" (did you mean "browser.click"?)',
      '✗ claims.json: steps[3].target.candidates: expected at least one locator',
    ]);
    void file;
  });

  it('reports undeclared references once the schema passes', async () => {
    const dir = tempDir('v');
    writeAutomation(dir, 'refs.json', {
      ...base,
      steps: [{ kind: 'log', message: 'total {{vars.total}} for {{inputs.claimNumber}} with {{secrets.portalPassword}}' }],
    });
    const result = await rpa(['validate', 'refs.json'], cliEnv(dir), dir);
    assert.equal(result.code, 2);
    assert.deepEqual(result.stderr.trim().split('\n'), [
      '✗ refs.json: steps[0]: {{vars.total}} refers to variable "total", which no earlier step sets',
      '✗ refs.json: steps[0]: {{inputs.claimNumber}} refers to input "claimNumber", which is not declared in "inputs"',
      '✗ refs.json: steps[0]: {{secrets.portalPassword}} refers to secret "portalPassword", which is not declared in "secrets"',
    ]);
  });

  it('names the line and column of a JSON syntax error', async () => {
    const dir = tempDir('v');
    writeAutomation(dir, 'broken.json', '{\n  "format": 1,\n  "id": "x",\n  oops\n}');
    const result = await rpa(['validate', 'broken.json'], cliEnv(dir), dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^✗ broken\.json: invalid JSON at line 4, column 3: /);
  });
});

describe('rpa run', () => {
  it('an invalid automation exits 2 before anything runs and records no run', async () => {
    const dir = tempDir('r');
    writeAutomation(dir, 'bad.json', { ...base, steps: [{ kind: 'browser.click', target: { candidates: [] } }] });
    const result = await runCli(['run', 'bad.json'], cliEnv(dir), dir);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim(), 'invalid automation:\n  bad.json: steps[0].target.candidates: expected at least one locator');
    const runs = await rpa(['runs', '--json'], cliEnv(dir));
    assert.equal(jsonLines(runs.stdout).length, 0);
  });

  it('a missing secret exits 2 and says how to provide it', async () => {
    const home = tempDir('r');
    const env = cliEnv(home);
    delete env['RPA_SECRET_PORTALPASSWORD'];
    const result = await rpa(['run', path.join('automations', 'examples', 'login.json')], env);
    assert.equal(result.code, 2);
    assert.equal(result.stderr.trim(), 'rpa run: automations/examples/login.json: missing secret "portalPassword"; store it with: rpa secret set portalPassword (or set the environment variable RPA_SECRET_PORTALPASSWORD)');
  });

  it('a missing required input, an unknown input and a badly typed one exit 2', async () => {
    const home = tempDir('r');
    const file = path.join('automations', 'examples', 'add-note-with-recovery.json');
    const missing = await rpa(['run', file, '--input', 'claimNumber=CLM-1'], cliEnv(home));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required input "policyNumber"; pass --input policyNumber=…/);
    const unknown = await rpa(['run', file, '--input', 'claimNo=1', '--input', 'claimNumber=1', '--input', 'policyNumber=2'], cliEnv(home));
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown input "claimNo"; it declares: baseUrl, claimNumber, policyNumber, note/);
    const typed = await rpa(['run', path.join('automations', 'examples', 'file-a-claim.json'), '--input', 'injuries=maybe'], cliEnv(home));
    assert.equal(typed.code, 2);
    assert.match(typed.stderr, /input "injuries" expects true or false, got "maybe"/);
  });

  it('usage errors exit 2', async () => {
    const home = tempDir('r');
    assert.equal((await runCli([], cliEnv(home))).code, 2);
    assert.equal((await rpa(['frobnicate'], cliEnv(home))).code, 2);
    assert.equal((await rpa(['run'], cliEnv(home))).code, 2);
    assert.equal((await rpa(['run', 'a.json', '--bogus'], cliEnv(home))).code, 2);
    assert.equal((await rpa(['run', 'a.json', '--input', 'novalue'], cliEnv(home))).code, 2);
    assert.equal((await rpa(['runs', '--last', 'x'], cliEnv(home))).code, 2);
  });

  it('refuses a run store written by a newer version, and leaves it alone', async () => {
    const home = tempDir('r');
    const db = new Database(path.join(home, 'runs.db'));
    db.pragma('user_version = 99');
    db.close();
    const result = await rpa(['runs'], cliEnv(home));
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`was written by a newer version of rpa \\(schema version 99; this version knows up to ${migrations.length}\\)`));
    const after = new Database(path.join(home, 'runs.db'), { readonly: true });
    assert.equal(after.pragma('user_version', { simple: true }), 99);
    after.close();
  });
});

describe('rpa runs / show', () => {
  it('lists runs as JSON lines with id, automation, status, startedAt, endedAt', async () => {
    const dir = tempDir('l');
    writeAutomation(dir, 'hello.json', { ...base, steps: [{ kind: 'log', message: 'hello' }, { kind: 'flow.set', var: 'x', value: 1 }], outputs: ['x'] });
    writeAutomation(dir, 'fails.json', { ...base, id: 'cli.fails', steps: [{ kind: 'flow.fail', message: 'bad data in row 3' }] });
    assert.equal((await rpa(['run', 'hello.json'], cliEnv(dir), dir)).code, 0);
    const failed = await rpa(['run', 'fails.json'], cliEnv(dir), dir);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /Failed at step 1: BusinessError: bad data in row 3/);
    const listed = jsonLines((await rpa(['runs', '--json', '--last', '5'], cliEnv(dir))).stdout);
    assert.equal(listed.length, 2);
    assert.deepEqual(
      listed.map((r) => [r['automation'], r['status']]),
      [
        ['cli.fails', 'failed'],
        ['cli.test', 'passed'],
      ],
    );
    for (const run of listed) {
      assert.match(String(run['id']), /^[0-9A-Z]{26}$/);
      assert.ok(!Number.isNaN(Date.parse(String(run['startedAt']))));
      assert.ok(!Number.isNaN(Date.parse(String(run['endedAt']))));
    }
    const one = jsonLines((await rpa(['runs', '--json', '--last', '1'], cliEnv(dir))).stdout);
    assert.equal(one.length, 1);
    const missing = await rpa(['show', 'ZZZZZZZZ'], cliEnv(dir));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no run ZZZZZZZZ/);
  });
});
