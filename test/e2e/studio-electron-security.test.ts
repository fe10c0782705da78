// A security lint of the Electron shell (electronegativity needs network access to fetch
// Electron's release list, which these machines lack): every BrowserWindow's webPreferences,
// the preload bridge, IPC sender checks, CSP, navigation and permission handlers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../helpers/env.js';

const DIR = path.join(REPO_ROOT, 'electron');
const files = readdirSync(DIR).filter((f) => /\.c?ts$/.test(f));
const source = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

/** Every `new BrowserWindow({...})` in the shell, with its webPreferences as name → source text. */
function browserWindows(): Array<{ file: string; prefs: Map<string, string> }> {
  const found: Array<{ file: string; prefs: Map<string, string> }> = [];
  for (const file of files) {
    const sf = ts.createSourceFile(file, source(file), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText(sf) === 'BrowserWindow') {
        const options = node.arguments?.[0];
        const prefs = new Map<string, string>();
        if (options && ts.isObjectLiteralExpression(options)) {
          const web = options.properties.find((p) => p.name?.getText(sf) === 'webPreferences');
          if (web && ts.isPropertyAssignment(web) && ts.isObjectLiteralExpression(web.initializer)) {
            for (const p of web.initializer.properties) if (ts.isPropertyAssignment(p)) prefs.set(p.name.getText(sf), p.initializer.getText(sf));
          }
        }
        found.push({ file, prefs });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

describe('Electron shell security', () => {
  it('locks down every BrowserWindow', () => {
    const windows = browserWindows();
    assert.ok(windows.length > 0, 'found the BrowserWindow constructions');
    for (const { file, prefs } of windows) {
      assert.equal(prefs.get('contextIsolation'), 'true', `${file}: contextIsolation`);
      assert.equal(prefs.get('sandbox'), 'true', `${file}: sandbox`);
      assert.equal(prefs.get('nodeIntegration'), 'false', `${file}: nodeIntegration`);
      for (const risky of ['webSecurity', 'allowRunningInsecureContent', 'experimentalFeatures', 'webviewTag', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames']) {
        const expected = risky === 'webSecurity' ? 'true' : 'false';
        if (prefs.has(risky)) assert.equal(prefs.get(risky), expected, `${file}: ${risky}`);
      }
      assert.ok(!prefs.has('enableBlinkFeatures'), `${file}: enableBlinkFeatures`);
    }
  });

  it('exposes a small bridge and never ipcRenderer itself', () => {
    const preload = source('preload.cts');
    assert.match(preload, /contextBridge\.exposeInMainWorld\('rpa'/);
    assert.doesNotMatch(preload, /exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    assert.doesNotMatch(preload, /ipcRenderer\.send(Sync)?\(/, 'only invoke, which has an answer');
  });

  it('checks the sender of every IPC message and sets CSP, navigation and permission guards', () => {
    const main = source('main.ts');
    const handlers = main.match(/ipcMain\.(handle|on)\(/g) ?? [];
    const checked = main.match(/ipcMain\.(handle|on)\([^,]+, async \(event[^)]*\) => \{\s*if \(!trusted\(event\)/g) ?? [];
    assert.ok(handlers.length > 0);
    assert.equal(checked.length, handlers.length, 'every IPC handler starts by checking its sender');
    assert.match(main, /Content-Security-Policy/);
    assert.match(main, /script-src 'self'/);
    assert.doesNotMatch(main, /unsafe-eval/);
    assert.match(main, /setPermissionRequestHandler/);
    assert.match(main, /will-attach-webview/);
    const windows = source('windows.ts');
    assert.match(windows, /will-navigate/);
    assert.match(windows, /setWindowOpenHandler\([^]*action: 'deny'/);
    assert.doesNotMatch(windows, /loadURL\(\s*['"`]http/, 'windows load the bundled renderer, not a remote page');
  });
});
