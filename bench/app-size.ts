// bench/app-size: the unpacked desktop app an installer carries, before and after a change of
// electron-builder.yml, side by side in one run over the same dist/ and node_modules.
//
//   npm run build && node dist/bench/app-size.js [--before REV]
//
// Each configuration's packaged file set is computed with electron-builder's own matchers
// (test/helpers/packaged-app.ts): the project's files through `files` and the default
// exclusions, every production package through the node-module rules. The size is the sum of
// those files (what app.asar plus app.asar.unpacked hold, before compression into an
// installer). "before" is electron-builder.yml at REV (default: the commit before the installer
// diet), "after" the working tree's.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { REPO_ROOT } from '../test/helpers/env.js';
import { packagedApp, type PackagedApp } from '../test/helpers/packaged-app.js';
import { round1 } from './stats.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/app-size.json', import.meta.url));
const { values } = parseArgs({ options: { before: { type: 'string' } } });
const BEFORE = values.before ?? '156efa8';
const loadBefore = os.loadavg().map(round1);

const mb = (bytes: number): number => Math.round(bytes / 1e4) / 100;

function summary(app: PackagedApp): { mb: number; files: number; appFilesMb: number; packages: number; largestPackages: string[] } {
  const byPackage = app.packages.map((p) => ({ dir: p.dir, bytes: p.files.reduce((sum, f) => sum + readSize(f), 0) })).filter((p) => p.bytes > 0);
  byPackage.sort((a, b) => b.bytes - a.bytes);
  const appBytes = app.appFiles.reduce((sum, f) => sum + readSize(f), 0);
  return {
    mb: mb(app.bytes),
    files: app.files.length,
    appFilesMb: mb(appBytes),
    packages: byPackage.length,
    largestPackages: byPackage.slice(0, 12).map((p) => `${p.dir} ${mb(p.bytes)} MB`),
  };
}

const readSize = (file: string): number => statSync(path.join(REPO_ROOT, file)).size;

const beforeConfig = parse(execFileSync('git', ['show', `${BEFORE}:electron-builder.yml`], { cwd: REPO_ROOT, encoding: 'utf8' })) as Record<string, unknown>;
const afterConfig = parse(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const before = await packagedApp(beforeConfig, REPO_ROOT);
const after = await packagedApp(afterConfig, REPO_ROOT);
const gone = before.packages.filter((p) => p.files.length && !after.packages.some((q) => q.dir === p.dir && q.files.length)).map((p) => p.dir);

const result = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${os.platform()} ${os.arch()}`,
  before: { config: `electron-builder.yml at ${BEFORE}`, ...summary(before) },
  after: { config: 'electron-builder.yml (working tree)', ...summary(after) },
  ratio: Math.round((after.bytes / before.bytes) * 1000) / 1000,
  packagesLeftOut: gone,
  note: 'sizes of the unpacked app (app.asar + app.asar.unpacked) over this dist/ and node_modules (Linux x64 binaries); package.json at the working tree for both',
  load: { before: loadBefore, after: os.loadavg().map(round1) },
};
writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
console.log(`unpacked app: before ${result.before.mb} MB (${before.files.length} files), after ${result.after.mb} MB (${after.files.length} files): ×${result.ratio}`);
console.log(`left out: ${gone.join(', ')}`);
console.log(`load ${loadBefore.join(' ')} → ${result.load.after.join(' ')}`);
