// `rpa` behaves like gh and npm: every command answers --help (exit 0) with its usage from the
// one usage source, `rpa --help` lists the commands in aligned columns, `rpa --version` prints
// the version, and a mistyped command or flag gets "did you mean …" (exit 2). The built CLI in a
// child process: the real executable for the top-level help, the version and mistyped flags, and
// one CLI worker process (test/helpers/cli-worker.ts) for the 44 --help/-h lines and the typos —
// what they print and return, without paying Node's and the CLI's start-up 50 times.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { USAGES } from '../../cli/usage.js';
import { cliEnv, cliWorker, REPO_ROOT, runCli, tempDir } from '../helpers/env.js';

const home = tempDir('cli-help');
const env = cliEnv(home);
const worker = cliWorker();
after(() => worker.close());

describe('rpa help and suggestions', { timeout: 240_000 }, () => {
  it('answers --help and -h for every command with exit 0 and its usage', { timeout: 200_000 }, async () => {
    for (const name of Object.keys(USAGES)) {
      for (const flag of ['--help', '-h']) {
        // After the command's own arguments too: `rpa run x.json --help` helps, it does not run.
        const args = flag === '--help' ? [name, '--help'] : [name, 'something', '-h'];
        const result = await worker.run(args, env);
        assert.equal(result.code, 0, `rpa ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
        assert.match(result.stdout, new RegExp(`^rpa ${name}: `), `rpa ${args.join(' ')} starts with the command and its summary`);
        assert.match(result.stdout, new RegExp(`usage: rpa ${name}\\b`), `rpa ${args.join(' ')} shows its usage`);
        assert.equal(result.stderr, '');
      }
    }
  });

  it('run --help names every option run accepts (the usage it used to lack: --wait-review)', { timeout: 30_000 }, async () => {
    const run = await worker.run(['run', '--help'], env);
    for (const flag of ['--input', '--headed', '--json', '--wait-review']) assert.ok(run.stdout.includes(flag), `rpa run --help mentions ${flag}`);
    const show = await worker.run(['show', '--help'], env);
    assert.ok(show.stdout.includes('--json'), 'rpa show --help mentions --json');
  });

  it('lists every command in aligned columns, and prints the version', { timeout: 30_000 }, async () => {
    const result = await runCli(['--help'], env);
    assert.equal(result.code, 0);
    const rows = result.stdout.split('\n').filter((line) => /^ {2}[a-z]+ {2,}\S/.test(line));
    assert.deepEqual(
      rows.map((line) => line.trim().split(/\s+/)[0]),
      Object.keys(USAGES),
    );
    const columns = new Set(rows.map((line) => line.search(/(?<=^ {2}[a-z]+ +)\S/)));
    assert.equal(columns.size, 1, 'every summary starts in the same column');
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-V']) {
      const printed = await runCli([flag], env);
      assert.equal(printed.code, 0);
      assert.equal(printed.stdout.trim(), version);
    }
  });

  it('suggests the command meant by a typo, and exits 2', { timeout: 30_000 }, async () => {
    for (const [typed, meant] of [
      ['rn', 'run'],
      ['shwo', 'show'],
      ['scheduel', 'schedule'],
      ['reveiw', 'review'],
      ['sched', 'schedule'],
    ] as const) {
      const result = await worker.run([typed], env);
      assert.equal(result.code, 2);
      assert.match(result.stderr, new RegExp(`unknown command "${typed}" — did you mean "rpa ${meant}"\\?`));
    }
    // And a mistyped sub-command.
    const sub = await worker.run(['schedule', 'lst'], env);
    assert.equal(sub.code, 2);
    assert.match(sub.stderr, /unknown sub-command "lst" — did you mean "rpa schedule list"\?/);
    const far = await runCli(['frobnicate'], env);
    assert.equal(far.code, 2);
    assert.doesNotMatch(far.stderr, /did you mean/);
    assert.match(far.stderr, /rpa --help/);
  });

  it('suggests the flag meant by a typo, and exits 2 without doing anything', { timeout: 60_000 }, async () => {
    for (const [args, meant] of [
      [['run', 'a.json', '--hedaed'], '--headed'],
      [['run', 'a.json', '--wait-reveiw'], '--wait-review'],
      [['runs', '--jsno'], '--json'],
      [['schedule', 'list', '--jsn'], '--json'],
      [['verify', 'x.rpapkg', '--trsut', 'k.pub'], '--trust'],
      // --help is in no usage line, yet every command takes it.
      [['run', 'a.json', '--hlep'], '--help'],
      [['show', '--hepl'], '--help'],
    ] as const) {
      const result = await runCli([...args], env);
      assert.equal(result.code, 2, `rpa ${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`unknown option ${args.at(-1) === 'k.pub' ? '--trsut' : args.at(-1)} — did you mean ${meant}\\?`), result.stderr);
      assert.match(result.stderr, /usage: rpa /);
    }
    const nothingClose = await runCli(['runs', '--zzzzzz'], env);
    assert.equal(nothingClose.code, 2);
    assert.match(nothingClose.stderr, /unknown option --zzzzzz\n/);
  });
});
