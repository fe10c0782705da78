// read.document and read.screen as steps of a real run (real Chromium for the screen).
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../api.js';
import { closeOcr } from '../../documents/ocr.js';
import type { DocumentText } from '../../extract/types.js';
import { tempDir, writeAutomation } from '../../../test/helpers/env.js';

const SAMPLES = fileURLToPath(new URL('../../../../assets/documents/samples/', import.meta.url));
const automation = (steps: unknown[], outputs: string[]) => ({ format: 1, id: 'read.test', name: 'read test', version: '1.0.0', outputs, steps });

describe('read.document and read.screen steps', { concurrency: false }, () => {
  let dir: string;
  let engine: Engine;
  before(() => {
    dir = tempDir('read-steps');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
    copyFileSync(path.join(SAMPLES, 'invoice-003-compact.pdf'), path.join(dir, 'invoice.pdf'));
  });
  after(async () => {
    engine.close();
    await closeOcr();
  });

  it('read.document reads a file relative to the automation into a variable', async () => {
    const file = writeAutomation(dir, 'doc.json', automation([{ kind: 'flow.set', var: 'name', value: 'invoice' }, { kind: 'read.document', file: '{{vars.name}}.pdf', into: 'doc' }], ['doc']));
    const result = await engine.run({ file });
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const doc = result.outputs['doc'] as DocumentText;
    assert.equal(doc.file, path.join(dir, 'invoice.pdf'));
    assert.equal(doc.method, 'pdf-text');
    assert.ok(doc.pages[0]!.lines.some((l) => /^Invoice #: INV-\d{6}$/.test(l.text)));
  });

  it('read.document fails the step with an error naming a missing file', async () => {
    const file = writeAutomation(dir, 'missing.json', automation([{ kind: 'read.document', file: 'nope.pdf', into: 'doc' }], []));
    const result = await engine.run({ file });
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.message, `${path.join(dir, 'nope.pdf')}: file not found`);
  });

  it('read.screen reads a region and an element of the page, boxes in page coordinates', async () => {
    const html = '<body style="margin:0;font:22px sans-serif"><p style="position:absolute;left:40px;top:30px;margin:0">Claim CLM-2004-000036</p><div id="status" style="position:absolute;left:400px;top:200px;padding:8px">Status: Approved</div></body>';
    const file = writeAutomation(
      dir,
      'screen.json',
      automation(
        [
          { kind: 'browser.open', url: `data:text/html,${encodeURIComponent(html)}` },
          { kind: 'read.screen', region: { x: 0, y: 0, width: 380, height: 100 }, into: 'top' },
          { kind: 'read.screen', target: { candidates: [{ css: '#status' }] }, into: 'status' },
        ],
        ['top', 'status'],
      ),
    );
    const result = await engine.run({ file });
    assert.equal(result.status, 'passed', JSON.stringify(result.error));
    const top = result.outputs['top'] as DocumentText;
    assert.equal(top.method, 'ocr');
    const claim = top.pages[0]!.lines.find((l) => l.text.includes('CLM-2004-000036'));
    assert.ok(claim, top.text);
    assert.ok(Math.abs(claim.box.x - 40) < 6 && Math.abs(claim.box.y - 30) < 10, JSON.stringify(claim.box));
    const status = result.outputs['status'] as DocumentText;
    const line = status.pages[0]!.lines.find((l) => l.text === 'Status: Approved');
    assert.ok(line, status.text);
    assert.ok(line.box.x >= 400 && line.box.y >= 200, `moved into page coordinates: ${JSON.stringify(line.box)}`);
  });
});
