// Where a test's screenshot goes: docs/screenshots when asked for (RPA_SCREENSHOTS=1, to
// regenerate the tracked pictures), else a temporary folder, so a test run leaves the work
// tree as it was. Either way the screenshot is taken, so what it shows still runs every time.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './env.js';

export function screenshotPath(name: string): string {
  const dir = process.env['RPA_SCREENSHOTS'] === '1' ? path.join(REPO_ROOT, 'docs', 'screenshots') : path.join(os.tmpdir(), 'rpa-screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
