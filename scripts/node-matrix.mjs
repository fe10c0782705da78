#!/usr/bin/env node
// Runs a chosen set of test files under other Node majors (default 22 and 24), fetched through
// npm — the `node` package ships Node binaries — so the suite can be tried on the current LTS
// lines without leaving this machine's Node 20. Native addons: uiohook-napi and nut-js use
// N-API (one build for every Node); better-sqlite3 is built once per Node ABI from its own
// sources with node-gyp, against the headers of the `node-<platform>-<arch>` package (npm
// again: no download from nodejs.org), into a cache outside node_modules, and handed to the
// tests by scripts/node-matrix-preload.cjs. Build first (npm run build).
//
//   node scripts/node-matrix.mjs [--node 22,24] [test files…]
//
// Exit code 0 when every version passed. Prints one summary line per version.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PRELOAD = path.join(ROOT, 'scripts', 'node-matrix-preload.cjs');
const CACHE = process.env.RPA_NODE_MATRIX_CACHE || path.join(os.homedir(), '.cache', 'rpa-node-matrix');
/** Engine host, the host's socket (IPC), the store, the CLI through the host. */
const DEFAULT_FILES = [
  'dist/engine/host/host.test.js',
  'dist/engine/host/review-race.test.js',
  'dist/engine/store/migrate.test.js',
  'dist/engine/store/run-store.test.js',
  'dist/engine/vault/vault.test.js',
  'dist/test/e2e/electron-host.test.js',
  'dist/test/e2e/cli-host.test.js',
  'dist/test/e2e/cli.test.js',
];

const { values, positionals } = parseArgs({ allowPositionals: true, options: { node: { type: 'string', default: '22,24' } } });
const majors = values.node.split(',').map((v) => v.trim()).filter(Boolean);
const files = positionals.length ? positionals : DEFAULT_FILES;
for (const file of files) if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} does not exist: run npm run build first`);

const npx = (args, options = {}) => execFileSync('npx', ['-y', ...args], { cwd: os.tmpdir(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });

/** The node binary of a major, fetched with npm (npx caches it). */
function nodeOf(major) {
  const out = npx(['-p', `node@${major}`, 'node', '-p', 'JSON.stringify({ execPath: process.execPath, version: process.version, modules: process.versions.modules })']);
  return JSON.parse(out.trim().split('\n').pop());
}

/** better-sqlite3 built for `node`'s ABI (cached): the path of its addon. */
function sqliteFor(node) {
  const source = path.join(ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8'));
  const dir = path.join(CACHE, `better-sqlite3-${version}-abi${node.modules}`);
  const addon = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(addon)) return addon;
  // Headers from the registry: node-<platform>-<arch>@<version> is the release's whole tree.
  // (The `node` package's install script puts that same package beside its binary, but a later
  // npx call for node@<major> prunes it as extraneous — seen 2026-12-07 — so it is packed here.)
  const headers = path.join(CACHE, `node-${node.version}`);
  if (!existsSync(path.join(headers, 'include', 'node', 'node.h'))) {
    mkdirSync(headers, { recursive: true });
    const pkg = `node-${process.platform}-${process.arch}@${node.version.slice(1)}`;
    const tarball = execFileSync('npm', ['pack', pkg, '--silent'], { cwd: headers, encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', tarball, '--strip-components=1'], { cwd: headers });
    rmSync(path.join(headers, tarball), { force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ['binding.gyp', 'deps', 'src', 'package.json']) cpSync(path.join(source, part), path.join(dir, part), { recursive: true });
  console.log(`node-matrix: building better-sqlite3 ${version} for Node ${node.version} (ABI ${node.modules}) in ${dir}`);
  const gyp = path.join(ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const built = spawnSync(node.execPath, [gyp, 'rebuild', '--release', `--nodedir=${headers}`, `-j`, String(Math.max(1, os.cpus().length))], { cwd: dir, stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(addon)) throw new Error(`building better-sqlite3 for Node ${node.version} failed (exit ${built.status})`);
  return addon;
}

function runTests(node, addon) {
  const env = {
    ...process.env,
    RPA_MATRIX_SQLITE_BINDING: addon,
    // The CLI and hosts the tests start are this Node too (process.execPath), and load the same addon.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PRELOAD}`.trim(),
  };
  // TAP on every major: from Node 23 the default reporter is spec even when piped, and the summary reads TAP's counts.
  const args = ['--test', '--test-reporter=tap', '--test-force-exit', '--test-timeout=240000', '--test-concurrency=2', ...files];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(node.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code) => {
      const count = (name) => Number(output.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
      resolve({ code, pass: count('pass'), fail: count('fail'), skipped: count('skipped'), seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

const summary = [];
for (const major of majors) {
  const node = nodeOf(major);
  const addon = sqliteFor(node);
  const result = await runTests(node, addon);
  summary.push({ node: node.version, ...result });
}
console.log('\nnode-matrix summary');
for (const row of summary) console.log(`  Node ${row.node}: ${row.fail === 0 && row.code === 0 ? 'passed' : 'FAILED'} — ${row.pass} passed, ${row.fail} failed, ${row.skipped} skipped, ${row.seconds} s`);
process.exit(summary.every((row) => row.code === 0) ? 0 : 1);
