// Running the tests leaves the work tree as it was: a test's screenshots go to a temporary
// folder, and only `npm run docs:screenshots` (RPA_SCREENSHOTS=1) writes the tracked ones in
// docs/screenshots. Checked over every test source, so a new test that writes into docs/ fails.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

function testSources(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'dist', '.git', 'docs'].includes(entry.name)) walk(full);
      } else if (/\.test\.tsx?$/.test(entry.name)) found.push(full);
    }
  };
  walk(REPO_ROOT);
  return found;
}

/** Code lines only: comments say where screenshots go, and may name docs/screenshots. */
function codeLines(file: string): Array<[number, string]> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => [i + 1, line] as [number, string])
    .filter(([, line]) => !/^\s*(\/\/|\*|\/\*)/.test(line));
}

describe('screenshots stay out of docs/ unless asked for', { timeout: 60_000 }, () => {
  it('a test screenshot goes to a temporary folder by default', () => {
    const saved = process.env['RPA_SCREENSHOTS'];
    delete process.env['RPA_SCREENSHOTS'];
    try {
      const file = screenshotPath('probe.png');
      assert.ok(!path.resolve(file).startsWith(path.resolve(REPO_ROOT)), `${file} is outside the work tree`);
    } finally {
      if (saved !== undefined) process.env['RPA_SCREENSHOTS'] = saved;
    }
  });

  it('no test writes a screenshot into docs/ except through screenshotPath or when asked (RPA_SCREENSHOTS)', () => {
    const offenders: string[] = [];
    for (const file of testSources()) {
      const relative = path.relative(REPO_ROOT, file);
      const gated = readFileSync(file, 'utf8').includes("process.env.RPA_SCREENSHOTS === '1'");
      for (const [n, line] of codeLines(file)) {
        const namesDocs = /['"]docs['"]\s*,\s*['"]screenshots['"]|['"`][^'"`]*docs\/screenshots/.test(line);
        if (namesDocs && !gated) offenders.push(`${relative}:${n}: ${line.trim()}`);
        const takesShot = /\.screenshot\(\{[^}]*path:/.test(line);
        if (takesShot && !line.includes('screenshotPath(') && !(gated && /^\s*if \(UPDATE\)/.test(line))) offenders.push(`${relative}:${n}: ${line.trim()}`);
      }
    }
    assert.deepEqual(offenders, [], `these lines write screenshots into docs/ on every test run:\n${offenders.join('\n')}`);
  });
});
