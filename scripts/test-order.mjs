// The order npm test starts its files in: longest first, so that the two lanes of
// `--test-concurrency=2` finish together instead of one lane starting a 7-minute file while the
// other has nothing left (Node's runner starts files in the order it is given them; alphabetical
// order put the challenge, CLI-host and kill files — the longest — near the end).
//
// The expected seconds per file are in scripts/test-durations.json, keyed by the file's path
// relative to the folder handed to the runner (test/e2e/cli-host.test.js under dist/); they come
// from bench/suite-time results (`node dist/bench/suite-time.js --durations scripts/test-durations.json`
// rewrites them). A file not listed counts as DEFAULT_SECONDS: most files take a few seconds.
// RPA_TEST_DURATIONS=<file> reads another table (the runner's own test uses it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_SECONDS = 10;
export const DURATIONS_FILE = fileURLToPath(new URL('./test-durations.json', import.meta.url));

/** { relative path: seconds } from the table; empty (alphabetical order) when it is missing or unreadable. */
export function loadDurations(file = process.env['RPA_TEST_DURATIONS'] || DURATIONS_FILE) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const parsed = JSON.parse(text);
  const seconds = parsed?.seconds;
  if (!seconds || typeof seconds !== 'object') throw new Error(`${file}: expected {"seconds": {"path/x.test.js": 12.3, …}}`);
  return seconds;
}

/**
 * `files` (each under one of `folders`) sorted by expected seconds, longest first; files of equal
 * expectation keep their order (Array.prototype.sort is stable).
 */
export function longestFirst(files, folders, seconds) {
  const expected = (file) => {
    for (const folder of folders) {
      const relative = path.relative(folder, file);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      const known = seconds[relative.split(path.sep).join('/')];
      if (typeof known === 'number') return known;
    }
    return DEFAULT_SECONDS;
  };
  return files.map((file) => ({ file, seconds: expected(file) })).sort((a, b) => b.seconds - a.seconds).map((entry) => entry.file);
}
