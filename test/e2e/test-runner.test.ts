// scripts/test.mjs, npm test's runner: it runs every *.test.js and nothing else. A bare
// `node --test dist/` also ran every helper under a `test` folder as a test file of its own.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, tempDir } from '../helpers/env.js';

const RUNNER = path.join(REPO_ROOT, 'scripts', 'test.mjs');

function runRunner(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Without NODE_TEST_CONTEXT, which would make the inner `node --test` report to this one.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(process.execPath, [RUNNER, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } });
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

  it('is what npm test runs, over dist', () => {
    const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts['test'] ?? '', /node scripts\/test\.mjs .*--test-concurrency=2 .*dist$/);
  });
});
