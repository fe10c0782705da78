// review.newLayouts "review": a document laid out like none a reviewer has confirmed goes to a person
// whatever the reader's confidences (the held-out benches show new kinds of documents bring values
// that are wrong yet confident); once a person has confirmed one, the layout is learned and the next
// documents of that sender are read from its template and decided by the threshold again. A
// document of another layout is new again.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { seeded } from '../../../assets/documents/data.js';
import { GENERAL_INVOICE_FIELDS, INVOICE_RULES } from '../../../assets/documents/fields.js';
import { renderVariety, varietyInvoice, varietyTruth } from '../../../assets/documents/variety.js';
import { Engine } from '../../api.js';
import { CHROMIUM_ARGS } from '../../runner/browser-session.js';
import { findBrowser } from '../../runner/browser-finder.js';

type Extraction = { problems: string[]; fields: { name: string; template?: { id: string } }[] };

describe('review.newLayouts', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-new-layouts-'));
  const docs: { file: string; truth: Record<string, unknown> }[] = [];
  let other = '';
  let engine: Engine;
  const bot = (name: string, newLayouts?: 'review' | 'trust'): string => {
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({
      format: 1, id: name, name: 'Read an invoice', version: '1.0.0', inputs: [{ name: 'file', type: 'file', required: true }], outputs: ['invoice'],
      steps: [{ kind: 'ai.extract', document: '{{inputs.file}}', fields: GENERAL_INVOICE_FIELDS, rules: INVOICE_RULES, into: 'invoice', ...(newLayouts ? { review: { newLayouts } } : {}) }],
    }));
    return file;
  };
  const extraction = (runId: string): Extraction => engine.events(runId).find((e) => e.type === 'extraction') as unknown as Extraction;

  before(async () => {
    const random = seeded(77);
    const browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_ARGS });
    try {
      const render = async (doc: Parameters<typeof renderVariety>[0], name: string): Promise<string> => {
        const page = await browser.newPage();
        await page.setContent(renderVariety(doc));
        const file = path.join(dir, `${name}.pdf`);
        writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true }));
        await page.close();
        return file;
      };
      for (let i = 0; i < 3; i++) {
        const base = varietyInvoice(random, 'design');
        const doc = { ...base, currency: 'USD', style: { ...base.style, layout: 'grid', vocabulary: 'en-A', money: 'usd', date: 'long-en' } as const };
        docs.push({ file: await render(doc, `grid-${i}`), truth: varietyTruth(doc) });
      }
      const base = varietyInvoice(random, 'held-out');
      other = await render({ ...base, currency: 'EUR', style: { ...base.style, layout: 'letter', vocabulary: 'fr-A', money: 'eur-fr', date: 'slash-dmy' } }, 'letter');
    } finally {
      await browser.close();
    }
    engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home'), RPA_VAULT_KEY: 'b'.repeat(64) } });
  });
  after(() => engine?.close());

  it('sends the first document of a layout to a person until one is confirmed, then lets the threshold decide', async () => {
    const guarded = bot('guarded', 'review');
    const first = await engine.run({ file: guarded, inputs: { file: docs[0]!.file } });
    assert.equal(first.status, 'paused', 'a layout nobody confirmed goes to a person');
    assert.ok(extraction(first.runId).problems.some((p) => /new layout/.test(p)), JSON.stringify(extraction(first.runId).problems));
    const task = engine.getReview(first.review!.id)!;
    assert.match(task.instructions ?? '', /new layout/);
    // The person checks every value against the document (here: sets the true ones) and so confirms the layout.
    const set: Record<string, string> = {};
    for (const f of GENERAL_INVOICE_FIELDS) if (JSON.stringify(task.values[f.name] ?? null) !== JSON.stringify(docs[0]!.truth[f.name] ?? null)) set[f.name] = JSON.stringify(docs[0]!.truth[f.name] ?? null).replace(/^"|"$/g, '');
    const resolved = await engine.resolveReview(task.id, Object.keys(set).length ? { set } : { approve: true }, { by: 'tester' });
    assert.equal(resolved.result?.status, 'passed');
    assert.ok(resolved.learned, 'the confirmation taught the layout');

    // The next documents of that sender: no "new layout" problem; read from the template.
    for (const doc of docs.slice(1)) {
      const run = await engine.run({ file: guarded, inputs: { file: doc.file } });
      const event = extraction(run.runId);
      assert.ok(!event.problems.some((p) => /new layout/.test(p)), JSON.stringify(event.problems));
      assert.ok(event.fields.some((f) => f.template?.id === resolved.learned!.id), 'read from the learned template');
      if (run.status === 'paused') await engine.resolveReview(run.review!.id, { approve: true }, { by: 'tester' });
    }

    // Another layout is new again.
    const elsewhere = await engine.run({ file: guarded, inputs: { file: other } });
    assert.equal(elsewhere.status, 'paused');
    assert.ok(extraction(elsewhere.runId).problems.some((p) => /new layout/.test(p)));
    await engine.resolveReview(elsewhere.review!.id, { reject: 'not this test' }, { by: 'tester' });

    // Without the setting, nothing is added: the threshold alone decides.
    const trusting = await engine.run({ file: bot('trusting'), inputs: { file: other } });
    assert.ok(!extraction(trusting.runId).problems.some((p) => /new layout/.test(p)));
  });
});
