// Learning from a reviewer's correction, end to end through the engine: a held-out layout the
// local reader has never seen is read wrongly and goes to review; a person corrects it through
// the engine's review API; the layout's template is stored (inspectable, exportable, removable,
// versioned); the next ten documents of that layout are read from it — ≥ 98 % of fields right,
// most auto-accepted, each run's extraction event naming the template and version. Documents
// come from the variety generator (held-out set, one sender: one layout, wording and style).
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

const SAME_SENDER = { layout: 'letter', vocabulary: 'fr-A', money: 'eur-fr', date: 'slash-dmy' } as const;

function sameValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && Math.abs(expected - actual) < 0.005;
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => sameValue(e, actual[i]));
  if (typeof expected === 'string') return typeof actual === 'string' && expected.replace(/\s+/g, ' ').trim() === actual.replace(/\s+/g, ' ').trim();
  return (expected ?? null) === (actual ?? null);
}

describe('learning a layout from a correction in review', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-learn-'));
  const docs: { file: string; truth: Record<string, unknown> }[] = [];
  let engine: Engine;
  let bot: string;

  before(async () => {
    const random = seeded(4242);
    const browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: CHROMIUM_ARGS });
    try {
      for (let i = 0; i < 11; i++) {
        const base = varietyInvoice(random, 'held-out');
        const doc = { ...base, currency: 'EUR', style: { ...base.style, ...SAME_SENDER } };
        const page = await browser.newPage();
        await page.setContent(renderVariety(doc));
        const file = path.join(dir, `invoice-${i}.pdf`);
        writeFileSync(file, await page.pdf({ format: 'A4', printBackground: true }));
        await page.close();
        docs.push({ file, truth: varietyTruth(doc) });
      }
    } finally {
      await browser.close();
    }
    bot = path.join(dir, 'bot.json');
    writeFileSync(
      bot,
      JSON.stringify({
        format: 1, id: 'learn-e2e', name: 'Read an invoice', version: '1.0.0', inputs: [{ name: 'file', type: 'file', required: true }], outputs: ['invoice', 'details'],
        steps: [{ kind: 'ai.extract', document: '{{inputs.file}}', fields: GENERAL_INVOICE_FIELDS, rules: INVOICE_RULES, into: 'invoice', detailsInto: 'details' }],
      }),
    );
    engine = Engine.open({ env: { ...process.env, RPA_HOME: path.join(dir, 'home'), RPA_VAULT_KEY: 'a'.repeat(64) } });
  });
  after(() => engine?.close());

  it('reads the next ten documents of the corrected layout from its template', async () => {
    const first = await engine.run({ file: bot, inputs: { file: docs[0]!.file } });
    assert.equal(first.status, 'paused', 'an unfamiliar layout goes to a person');
    const task = engine.getReview(first.review!.id)!;
    const wrong = GENERAL_INVOICE_FIELDS.filter((f) => !sameValue(docs[0]!.truth[f.name] ?? null, task.values[f.name]));
    // The person corrects what the generic reader got wrong, or approves what it was unsure of: both teach the layout.
    const set: Record<string, string> = {};
    for (const f of wrong) set[f.name] = JSON.stringify(docs[0]!.truth[f.name] ?? null).replace(/^"|"$/g, '');
    const resolved = await engine.resolveReview(task.id, wrong.length ? { set } : { approve: true }, { by: 'tester' });
    assert.equal(resolved.result?.status, 'passed');
    assert.ok(resolved.learned, 'the correction taught the reader the layout');
    const { id, version } = resolved.learned;
    assert.equal(version, 1);

    // Inspectable and exportable, from the store.
    const stored = engine.templates().get(id);
    assert.ok(stored && Object.keys(stored.fields).length >= 6, `fields placed: ${Object.keys(stored?.fields ?? {}).join(', ')}`);
    assert.equal((JSON.parse(engine.templates().export(id)) as { id: string }).id, id);

    let right = 0, fields = 0, accepted = 0, passed = 0;
    for (const doc of docs.slice(1)) {
      const run = await engine.run({ file: bot, inputs: { file: doc.file } });
      const values = run.status === 'passed' ? (run.outputs['invoice'] as Record<string, unknown>) : engine.getReview(run.review!.id)!.values;
      if (run.status === 'passed') passed++;
      const event = engine.events(run.runId).find((e) => e.type === 'extraction') as { fields: { name: string; confidence: number; problems: string[]; template?: { id: string; version: number } }[] };
      for (const f of GENERAL_INVOICE_FIELDS) {
        fields++;
        if (sameValue(doc.truth[f.name] ?? null, values[f.name])) right++;
        const e = event.fields.find((x) => x.name === f.name)!;
        if (!e.problems.length) accepted++;
      }
      assert.ok(event.fields.some((f) => f.template?.id === id && f.template.version >= version), `the audit trail names the template and version: ${JSON.stringify(event.fields)}`);
      if (run.status === 'paused') await engine.resolveReview(run.review!.id, { approve: true }, { by: 'tester' });
    }
    assert.ok(right / fields >= 0.98, `right ${right}/${fields}`);
    assert.ok(accepted / fields >= 0.9, `auto-accepted ${accepted}/${fields}`);
    assert.ok(passed >= 8, `documents needing no person: ${passed}/10`);

    // Removed: the next document of the layout goes back to the generic reader (and to review).
    assert.equal(engine.templates().remove(id), true);
    const again = await engine.run({ file: bot, inputs: { file: docs[1]!.file } });
    const event = engine.events(again.runId).find((e) => e.type === 'extraction') as { fields: { template?: unknown }[] };
    assert.ok(event.fields.every((f) => f.template === undefined), 'a removed template reads nothing');
    assert.ok(engine.templates().get(id, version), 'its versions stay for the audit trail');
  });
});
