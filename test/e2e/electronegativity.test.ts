// Electronegativity (Doyensec's Electron security linter) over the shell's sources. Every
// finding must be one reviewed below, with the reason it is acceptable and the test that proves
// the behaviour; anything new fails. Offline it cannot fetch Electron's release list, so the
// Electron version is given. A deliberately unsafe window proves the run finds problems at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/env.js';

const CLI = path.join(REPO_ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
const ELECTRON_VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

/** ruleId @ file → why it is fine here. */
const REVIEWED: Record<string, string> = {
  // The CSP is a header of every app:// answer (electron/protocol.ts), which a source scan cannot
  // see; studio-electron-security.test.ts checks it on pages, assets and errors.
  'CSP_GLOBAL_CHECK@file:///': 'CSP set by the app:// protocol handler',
  // https only, no credentials in the URL, from the window-open handler (tested in studio-electron-security).
  'OPEN_EXTERNAL_JS_CHECK@security.ts': 'plain https links to the system browser',
  // The preload bridge exposes three invoke-based functions (tested in studio-electron-security).
  'PRELOAD_JS_CHECK@windows.ts': 'the reviewed preload bridge',
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-electronegativity-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function scan(input: string, name: string): Array<{ ruleId: string; uri: string; line: number }> {
  const out = path.join(dir, `${name}.sarif`);
  const run = spawnSync(process.execPath, [CLI, '-i', input, '-e', ELECTRON_VERSION, '-o', out, '-r', '-v', 'false'], { encoding: 'utf8', timeout: 180_000 });
  assert.equal(run.status, 0, `electronegativity ran: ${run.stderr}${run.stdout}`);
  const sarif = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
  return sarif.runs[0]!.results.map((r) => ({ ruleId: r.ruleId, uri: r.locations[0]!.physicalLocation.artifactLocation.uri, line: r.locations[0]!.physicalLocation.region.startLine }));
}

describe('electronegativity', () => {
  it('finds nothing in electron/ beyond the reviewed findings', { timeout: 200_000 }, () => {
    const findings = scan(path.join(REPO_ROOT, 'electron'), 'shell');
    const unreviewed = findings.filter((f) => !Object.hasOwn(REVIEWED, `${f.ruleId}@${f.uri}`)).map((f) => `${f.ruleId} at ${f.uri}:${f.line}`);
    assert.deepEqual(unreviewed, []);
  });

  it('does find the problems of an unsafe window (the scan bites)', { timeout: 200_000 }, () => {
    const unsafe = path.join(dir, 'unsafe');
    mkdirSync(unsafe);
    writeFileSync(
      path.join(unsafe, 'main.js'),
      "const { BrowserWindow } = require('electron');\nconst w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\nw.loadURL('http://example.com/');\n",
    );
    const rules = new Set(scan(unsafe, 'unsafe').map((f) => f.ruleId));
    for (const rule of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'AUXCLICK_JS_CHECK']) assert.ok(rules.has(rule), `${rule} in ${[...rules].join(', ')}`);
  });
});
