// `rpa validate` says what it can see will not replay: an assertion that can never pass or
// always passes, a target found by position only, a missing upload file, a dialog answer no
// later step can use. The file stays valid (exit 0); the example automations get no warning.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cliEnv, EXAMPLES, runCli, tempDir, writeAutomation } from '../helpers/env.js';

describe('rpa validate warnings', { timeout: 60_000 }, () => {
  it('flags steps that cannot replay as recorded, and passes clean files quietly', async () => {
    const dir = tempDir('lint');
    const button = { candidates: [{ role: 'button', name: 'Save', exact: true }, { text: 'Save', exact: true }], description: 'button "Save"' };
    const file = writeAutomation(dir, 'lint.json', {
      format: 1, id: 'test.lint', name: 'lint', version: '1.0.0',
      inputs: [{ name: 'document', type: 'file', default: 'missing-report.pdf' }],
      steps: [
        { kind: 'browser.open', url: 'http://127.0.0.1:9/' },
        { kind: 'browser.click', target: { candidates: [{ xpath: '/html/body/div[3]/span[2]' }], description: 'span (found by position only: no stable locator matched exactly this element)' } },
        { kind: 'browser.assert', target: button, assert: 'valueEquals', expected: 'Save' },
        { kind: 'browser.assert', target: button, assert: 'textContains', expected: '  ' },
        { kind: 'flow.if', condition: { left: '1', op: 'equals', right: '1' }, then: [{ kind: 'browser.upload', target: { candidates: [{ css: 'input[type=file]' }] }, files: ['{{inputs.document}}'] }] },
        { kind: 'browser.assert', target: { candidates: [{ css: '#amount' }] }, assert: 'valueEquals', expected: '12' },
        { kind: 'browser.dialog', action: 'accept' },
      ],
    });
    const result = await runCli(['validate', file], cliEnv(tempDir('lint-home')));
    assert.equal(result.code, 0, result.stderr);
    const warnings = result.stdout.split('\n').filter((line) => line.startsWith('!'));
    assert.deepEqual(warnings.map((line) => /step (\S+):/.exec(line)?.[1]), ['2', '3', '4', '5.then.1', '7'], result.stdout);
    assert.match(warnings[0]!, /found by its position only/);
    assert.match(warnings[1]!, /valueEquals can never pass here/);
    assert.match(warnings[2]!, /always passes/);
    assert.match(warnings[3]!, /missing-report\.pdf, is not there/);
    assert.match(warnings[4]!, /no later step can open that dialog/);

    // Keys after a click in a named window, with no window of their own (recorded before keys kept one).
    const desktop = writeAutomation(dir, 'desktop-lint.json', {
      format: 1, id: 'test.desktop-lint', name: 'desktop lint', version: '1.0.0',
      steps: [
        { kind: 'desktop.type', text: 'before any window' },
        { kind: 'desktop.click', target: { window: 'Contact Dialog', candidates: [{ offset: { x: 10, y: 10 } }] } },
        { kind: 'desktop.type', text: 'Asha' },
        { kind: 'desktop.type', text: 'Rao', window: 'Contact Dialog' },
        { kind: 'desktop.press', keys: 'Enter' },
      ],
    });
    const keys = await runCli(['validate', desktop], cliEnv(tempDir('lint-home')));
    assert.equal(keys.code, 0, keys.stderr);
    const keyWarnings = keys.stdout.split('\n').filter((line) => line.startsWith('!'));
    assert.deepEqual(keyWarnings.map((line) => /step (\S+):/.exec(line)?.[1]), ['3', '5'], keys.stdout);
    assert.match(keyWarnings[0]!, /desktop\.type names no window its keys are meant for/);

    const clean = await runCli(['validate', path.join(EXAMPLES, 'file-a-claim.json'), path.join(EXAMPLES, 'login.json')], cliEnv(tempDir('lint-home')));
    assert.equal(clean.code, 0, clean.stderr);
    assert.doesNotMatch(clean.stdout, /^!/m);
  });
});
