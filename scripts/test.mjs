// npm test's runner: `node --test` over every *.test.js file under the given folders, and nothing
// else. Given a folder, Node 20's runner also runs every .js file under any folder named `test`
// and any file named test-*.js — here the shared helpers (dist/test/helpers/*, the challenge
// harness, dist/engine/runner/test-locator.js…), each started as a test file of its own and each
// counted as one passing "test" that checks nothing. Node 20 takes no glob either, so the files
// are listed here.
//
// The files start longest first (scripts/test-order.mjs), so the two lanes end together; Node 20's
// `node --test` sorts the files it is given by name, so scripts/test-files.mjs runs them through
// node:test's run(), in order, with the same options.
//
//   node scripts/test.mjs [node --test options…] FOLDER…
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDurations, longestFirst } from './test-order.mjs';

const options = [];
const folders = [];
for (const arg of process.argv.slice(2)) (arg.startsWith('-') ? options : folders).push(arg);
if (folders.length === 0) {
  console.error('usage: node scripts/test.mjs [node --test options…] FOLDER…');
  process.exit(2);
}

/** Every *.test.js (.cjs, .mjs) file under `dir`, node_modules left out, in a stable order. */
export function testFiles(dir) {
  const found = [];
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.test\.(c|m)?js$/.test(entry.name)) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

const files = [];
for (const folder of folders) {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`scripts/test.mjs: ${folder} is not a folder (build first: npm run build)`);
    process.exit(2);
  }
  files.push(...testFiles(folder));
}
if (files.length === 0) {
  console.error(`scripts/test.mjs: no *.test.js file under ${folders.join(', ')}`);
  process.exit(2);
}

const ordered = longestFirst(files, folders, loadDurations());
const RUN_FILES = fileURLToPath(new URL('./test-files.mjs', import.meta.url));
// Which tests to run (--test-name-pattern, --test-only) goes to scripts/test-files.mjs as its own
// arguments: as a Node option of that process it would filter its file-level tests by name too.
const selecting = (option) => option.startsWith('--test-name-pattern') || option === '--test-only';
const child = spawn(process.execPath, [...options.filter((option) => !selecting(option)), RUN_FILES, ...options.filter(selecting), ...ordered], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1)));
