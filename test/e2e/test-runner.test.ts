// scripts/test.mjs, npm test's runner: it runs every *.test.js and nothing else. A bare
// `node --test dist/` also ran every helper under a `test` folder as a test file of its own.
// It starts the longest files first (scripts/test-durations.json), which `node --test` alone
// cannot: Node 20 sorts the files it is given by name.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/env.js';

const RUNNER = path.join(REPO_ROOT, 'scripts', 'test.mjs');

function runRunner(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Without NODE_TEST_CONTEXT, which would make the inner `node --test` report to this one.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(process.execPath, [RUNNER, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1', ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A folder with two test files (one failing) and a helper under test/ that leaves a mark if it runs. */
function fixture(): { dir: string; ranMark: string } {
  const dir = tempDir('test-runner');
  const ranMark = path.join(dir, 'helper-ran');
  mkdirSync(path.join(dir, 'lib', 'test'), { recursive: true });
  writeFileSync(path.join(dir, 'lib', 'test', 'helper.js'), `require('node:fs').writeFileSync(${JSON.stringify(ranMark)}, 'ran');\n`);
  writeFileSync(path.join(dir, 'lib', 'sum.test.js'), `require('node:test')('adds', () => { if (1 + 1 !== 2) throw new Error('sum'); });\n`);
  writeFileSync(path.join(dir, 'lib', 'test', 'broken.test.js'), `require('node:test')('fails on purpose', () => { throw new Error('broken on purpose'); });\n`);
  return { dir, ranMark };
}

describe('scripts/test.mjs', () => {
  it('runs every *.test.js under the folder, not the helpers beside them, and exits 1 when one fails', { timeout: 120_000 }, async () => {
    const { dir, ranMark } = fixture();
    const result = await runRunner(['--test-force-exit', '--test-concurrency=2', path.join(dir, 'lib')]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^# tests 2$/m);
    assert.match(result.stdout, /^# pass 1$/m);
    assert.match(result.stdout, /^# fail 1$/m);
    assert.match(result.stdout, /broken on purpose/);
    // The failure is listed again after the totals, where CI's tail of the output still shows it.
    const summary = result.stdout.slice(result.stdout.lastIndexOf('# fail 1'));
    assert.match(summary, /^# 1 failed test:\n# 1\. .*broken\.test\.js › fails on purpose\n#\s+Error: broken on purpose$/m, result.stdout);
    assert.equal(existsSync(ranMark), false, 'the helper under test/ ran as a test file');
  });

  it('exits 0 when every test passes, and 2 with a message for a folder that is not there', { timeout: 120_000 }, async () => {
    const { dir } = fixture();
    const onlySum = tempDir('test-runner-ok');
    writeFileSync(path.join(onlySum, 'sum.test.js'), readFileSync(path.join(dir, 'lib', 'sum.test.js')));
    const ok = await runRunner(['--test-force-exit', onlySum]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^# pass 1$/m);

    const missing = await runRunner([path.join(dir, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere is not a folder/);
  });

  it('starts the files longest first by the durations table, one not in it as a short one, with the same options', { timeout: 120_000 }, async () => {
    const dir = tempDir('test-runner-order');
    const log = path.join(dir, 'started.log');
    mkdirSync(path.join(dir, 'sub'));
    // Each file notes when it starts and checks that the runner's --test-timeout reached it.
    for (const name of ['a', 'b', 'c', 'sub/d']) {
      writeFileSync(
        path.join(dir, `${name}.test.js`),
        `require('node:fs').appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(name)} + '\\n');\n` +
          `require('node:test')('${name}', () => { if (!process.execArgv.includes('--test-timeout=60000')) throw new Error('no --test-timeout: ' + process.execArgv.join(' ')); });\n`,
      );
    }
    const table = path.join(dir, 'durations.json');
    writeFileSync(table, JSON.stringify({ seconds: { 'c.test.js': 300, 'sub/d.test.js': 120, 'a.test.js': 1 } }));
    const result = await runRunner(['--test-force-exit', '--test-concurrency=1', '--test-timeout=60000', dir], { RPA_TEST_DURATIONS: table });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^# pass 4$/m);
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['c', 'sub/d', 'b', 'a'], 'longest first; b (not in the table) counts as 10 s');

    // --test-name-pattern picks tests inside the files, as with node --test (not the files by their paths).
    const picked = await runRunner(['--test-force-exit', '--test-timeout=60000', '--test-name-pattern=^c$', dir], { RPA_TEST_DURATIONS: table });
    assert.equal(picked.code, 0, picked.stdout + picked.stderr);
    assert.match(picked.stdout, /^# pass 1$/m);
    assert.match(picked.stdout, /^# skipped 3$/m);
  });

  it('is what npm test runs, over dist', () => {
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts['test'] ?? '', /node scripts\/test\.mjs .*--test-concurrency=2 .*dist$/);
  });
});
