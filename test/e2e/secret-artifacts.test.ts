// A secret typed into a visible field must not be readable in any picture or page copy the run
// keeps: step screenshots (page and element), the failure screenshot and the failure HTML.
// Read back with OCR; the non-secret value typed the same way must be readable, so the check
// would notice pictures that show the fields.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { PSM } from 'tesseract.js';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { closeOcr, recognizeImage } from '../../engine/ocr/tesseract.js';
import { tempDir, writeAutomation } from '../helpers/env.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

// Characters that HTML escapes (& " <) so a copy of the page cannot hide the secret in &amp; form.
const SECRET = 'ZEBRA&QUARTZ"LIME<9';
const PLAIN = 'FALCON HARBOR 2718';

// Big monospace fields; the page mirrors each field's value into its value attribute (as
// React's controlled inputs do), so a copy of the page holds what was typed. The token field
// keeps 12 characters: what it holds is not the whole secret, so replacing the secret's text
// in the copy would not be enough.
const FORM = `<!doctype html><html><body style="font: 40px 'DejaVu Sans Mono', monospace; margin: 30px">
<form id="login">
  <p><label>Token <input id="token" type="text" size="24" maxlength="12" style="font: inherit"></label></p>
  <p><label>Name <input id="name" type="text" size="24" style="font: inherit"></label></p>
</form>
<script>for (const input of document.querySelectorAll('input')) input.addEventListener('input', () => input.setAttribute('value', input.value));</script>
</body></html>`;

async function ocr(file: string): Promise<string> {
  const page = await recognizeImage(readFileSync(file), { settings: { pageSegmentation: PSM.SPARSE_TEXT, dpi: 300 }, output: { text: true } });
  return page.text.toUpperCase();
}

describe('secrets in screenshots and page copies', { skip, timeout: 180_000 }, () => {
  let dir: string;
  let engine: Engine;

  before(() => {
    dir = tempDir('secret-artifacts');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir, RPA_SECRET_TOKEN: SECRET } });
  });
  after(async () => {
    engine.close();
    await closeOcr();
  });

  it('masks a field filled from a secret in step and failure screenshots and in the saved HTML', async () => {
    const file = writeAutomation(dir, 'secret-fill.json', {
      format: 1,
      id: 'secret.artifacts',
      name: 'secret artifacts',
      version: '1.0.0',
      secrets: ['token'],
      steps: [
        { kind: 'browser.open', url: `data:text/html,${encodeURIComponent(FORM)}` },
        { kind: 'browser.fill', target: { candidates: [{ css: '#token' }] }, value: '{{secrets.token}}' },
        { kind: 'browser.fill', target: { candidates: [{ css: '#name' }] }, value: PLAIN },
        { kind: 'browser.screenshot', fileName: 'page.png' },
        { kind: 'browser.screenshot', fileName: 'form.png', target: { candidates: [{ css: '#login' }] } },
        { kind: 'browser.click', timeoutMs: 500, target: { description: 'missing button', candidates: [{ css: '#does-not-exist' }] } },
      ],
    });
    const events: RunEvent[] = [];
    const result = await engine.run({ file }, (event) => events.push(event));
    assert.equal(result.status, 'failed');
    const artifacts = events.flatMap((e) => (e.type === 'artifact' ? [{ kind: e.artifactKind, file: e.file }] : []));
    const screenshots = artifacts.filter((a) => a.kind === 'screenshot').map((a) => a.file);
    assert.equal(screenshots.length, 3, 'page, element and failure screenshots');
    assert.ok(screenshots.some((f) => f.endsWith('failure.png')));
    for (const shot of screenshots) {
      const text = await ocr(shot);
      // The same font, size and kind of field: reading the plain value proves the secret would show.
      assert.match(text, /FALCON/, `${shot}: OCR should read the non-secret field (read: ${JSON.stringify(text)})`);
      assert.match(text, /HARBOR/, `${shot}: OCR should read the non-secret field (read: ${JSON.stringify(text)})`);
      for (const part of ['ZEBRA', 'QUARTZ', 'LIME']) assert.ok(!text.includes(part), `${shot}: the secret is readable (${part}) in ${JSON.stringify(text)}`);
    }
    const html = artifacts.find((a) => a.kind === 'html');
    assert.ok(html, 'the failure HTML was saved');
    const content = readFileSync(html.file, 'utf8');
    assert.match(content, /FALCON HARBOR 2718/, 'the page copy holds the typed values (else this check proves nothing)');
    for (const part of ['ZEBRA', 'QUARTZ', 'LIME']) assert.ok(!content.includes(part), `the saved HTML holds the secret: ${content}`);
  });

  it('masks a secret the page shows as text in the saved HTML, where HTML writes & and < as entities', async () => {
    const echo = '<textarea id="note"></textarea><p id="echo"></p><script>note.addEventListener("input", () => { echo.textContent = "You typed " + note.value; })</script>';
    const file = writeAutomation(dir, 'secret-echo.json', {
      format: 1,
      id: 'secret.echo',
      name: 'secret echo',
      version: '1.0.0',
      secrets: ['token'],
      steps: [
        { kind: 'browser.open', url: `data:text/html,${encodeURIComponent(echo)}` },
        { kind: 'browser.fill', target: { candidates: [{ css: '#note' }] }, value: '{{secrets.token}}' },
        { kind: 'browser.click', timeoutMs: 300, target: { candidates: [{ css: '#does-not-exist' }] } },
      ],
    });
    const events: RunEvent[] = [];
    const result = await engine.run({ file }, (event) => events.push(event));
    assert.equal(result.status, 'failed');
    const html = events.find((e) => e.type === 'artifact' && e.artifactKind === 'html');
    assert.ok(html?.type === 'artifact');
    const content = readFileSync(html.file, 'utf8');
    assert.match(content, /You typed ••••••/, content);
    for (const part of ['ZEBRA', 'QUARTZ', 'LIME']) assert.ok(!content.includes(part), `the saved HTML holds the secret: ${content}`);
  });
  it('masks a field filled from a secret before read.screen reads the page with OCR', async () => {
    const file = writeAutomation(dir, 'secret-read-screen.json', {
      format: 1,
      id: 'secret.read-screen',
      name: 'secret read screen',
      version: '1.0.0',
      secrets: ['token'],
      outputs: ['screen'],
      steps: [
        { kind: 'browser.open', url: `data:text/html,${encodeURIComponent(FORM)}` },
        { kind: 'browser.fill', target: { candidates: [{ css: '#token' }] }, value: '{{secrets.token}}' },
        { kind: 'browser.fill', target: { candidates: [{ css: '#name' }] }, value: PLAIN },
        { kind: 'read.screen', into: 'screen' },
      ],
    });
    const events: RunEvent[] = [];
    const result = await engine.run({ file }, (event) => events.push(event));
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const read = JSON.stringify(result.outputs).toUpperCase();
    assert.match(read, /FALCON/, `OCR should read the non-secret field: ${read.slice(0, 400)}`);
    for (const part of ['ZEBRA', 'QUARTZ', 'LIME']) assert.ok(!read.includes(part), `read.screen read the secret (${part})`);
    assert.ok(!JSON.stringify(events).includes('QUARTZ'), 'an event holds the secret');
  });
});
