// The review card shows a reviewer what they need, in real Chromium against `rpa studio`
// running a real extraction of a bundled invoice PDF: the page rendered beside the fields with
// the doubtful value's place outlined where the PDF prints it, each field under a name a
// person reads with its problems in plain words, no internal step path; the correction is
// recorded in the audit trail under the OS user who made it, not "studio". Screenshots go to
// docs/screenshots with RPA_SCREENSHOTS=1 (test/helpers/screenshots.ts).
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { readDocument } from '../../engine/documents/read-document.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import type { ReviewView } from '../../engine/transport/messages.js';
import { EXAMPLES, tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const INVOICE = 'invoice-101-classic.pdf';

describe('the review card shows the document and speaks plainly', { timeout: 300_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;
  let workspace: string;

  before(async () => {
    workspace = tempDir('review-card-ws');
    home = tempDir('review-card-home');
    copyFileSync(path.join(EXAMPLES, 'invoices', INVOICE), path.join(workspace, INVOICE));
    writeAutomation(workspace, 'intake.json', {
      format: 1,
      id: 'test.intake',
      name: 'Invoice check',
      version: '1.0.0',
      outputs: ['invoice'],
      steps: [
        { kind: 'read.document', file: path.join(workspace, INVOICE), timeoutMs: 120_000, into: 'doc' },
        {
          kind: 'flow.try',
          steps: [
            {
              kind: 'ai.extract',
              document: '{{vars.doc}}',
              fields: [
                { name: 'vendor', type: 'string', required: true, labels: ['From', 'Supplier', 'Vendor'] },
                { name: 'invoiceNumber', label: 'Invoice no.', type: 'string', required: true, labels: ['Invoice No.', 'Invoice Number', 'Invoice #'], pattern: 'INV-\\d{6}' },
                { name: 'invoiceDate', type: 'date', required: true, labels: ['Invoice Date', 'Date of Issue', 'Issued'] },
                { name: 'dueDate', type: 'date', required: true, labels: ['Due Date', 'Payment Due', 'Due'] },
                { name: 'total', type: 'money', required: true, labels: ['Total', 'Amount due', 'Total due'], min: 0.01 },
              ],
              rules: [{ after: 'dueDate', than: 'invoiceDate' }],
              review: { threshold: 0.8, title: `Check invoice ${INVOICE}` },
              timeoutMs: 60_000,
              into: 'invoice',
            },
          ],
          catch: [{ kind: 'log', message: 'not read' }],
        },
      ],
    });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    for (const dir of [home, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the page with the due date outlined where it is printed, labels and problems in plain words', { timeout: 180_000 }, async () => {
    page = await browser.newPage({ viewport: { width: 400, height: 800 } });
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'My bots' }).click();
    await page.getByRole('button', { name: 'Run Invoice check' }).click();
    await page.getByRole('form', { name: 'Run Invoice check' }).getByRole('button', { name: 'Run', exact: true }).click();
    const card = page.getByRole('listitem', { name: `Review: Check invoice ${INVOICE}` });
    await card.waitFor({ timeout: 150_000 });

    // Human labels: the schema's label where given, else the name in words; no step path.
    for (const label of ['Vendor', 'Invoice no.', 'Invoice date', 'Due date', 'Total']) await card.getByLabel(label, { exact: true }).waitFor();
    const cardText = (await card.textContent()) ?? '';
    assert.doesNotMatch(cardText, /\bstep\b|dueDate|invoiceDate|\[\d+\]/, `no internal names in the card: ${cardText}`);

    // The due date's problem, one item, in words that name the fields by their labels.
    const problems = card.getByRole('list', { name: 'Problems with Due date' }).getByRole('listitem');
    assert.ok((await problems.count()) >= 1);
    const problem = (await problems.first().textContent()) ?? '';
    assert.match(problem, /Due date .*must be after Invoice date/);
    assert.equal(await card.getByLabel('Due date', { exact: true }).getAttribute('aria-invalid'), 'true');

    // The page image is there, and the outlined box sits on the PDF's own text of the value.
    const image = card.getByRole('img', { name: `Page 1 of ${INVOICE}` });
    await image.waitFor();
    await page.waitForFunction((el) => (el as { complete: boolean; naturalWidth: number }).complete && (el as { naturalWidth: number }).naturalWidth > 500, await image.elementHandle(), { timeout: 30_000 });
    const box = card.getByTestId('box-dueDate');
    assert.match((await box.getAttribute('class')) ?? '', /\bactive\b/, 'the field with the most problems is the one outlined first');
    // Checking another field outlines that one instead.
    await card.getByLabel('Total', { exact: true }).focus();
    await page.waitForFunction(`document.querySelector('[data-testid="box-total"]')?.classList.contains('active') === true`);
    await card.getByLabel('Due date', { exact: true }).focus();
    await page.waitForFunction(`document.querySelector('[data-testid="box-dueDate"]')?.classList.contains('active') === true`);
    const [tasks] = (await Promise.all([studio.service.call('reviews.list', {})])) as [ReviewView[]];
    const due = tasks[0]!.fields.find((f) => f.name === 'dueDate')!;
    const printed = due.source?.text;
    assert.ok(printed, 'the reader kept where it read the due date');
    const read = await readDocument(path.join(workspace, INVOICE), { ocr: 'never' });
    const pdfPage = read.pages[due.source!.page - 1]!;
    const line = pdfPage.lines.find((l) => l.text.includes(printed.split('\n')[0]!.trim()));
    assert.ok(line, `the PDF prints "${printed}"`);
    const img = (await image.boundingBox())!;
    const drawn = (await box.boundingBox())!;
    const centre = { x: (drawn.x + drawn.width / 2 - img.x) / img.width, y: (drawn.y + drawn.height / 2 - img.y) / img.height };
    const lineCentreY = (line.box.y + line.box.height / 2) / pdfPage.height;
    assert.ok(Math.abs(centre.y - lineCentreY) < 0.03, `box centre ${centre.y.toFixed(3)} vs the printed line ${lineCentreY.toFixed(3)} of the page height`);
    assert.ok(centre.x > line.box.x / pdfPage.width - 0.01 && centre.x < (line.box.x + line.box.width) / pdfPage.width + 0.01, 'the box is on the printed line horizontally');
    await card.evaluate((el: { scrollIntoView(options: { block: string }): void }) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('tray-review-document.png') });

    // At 1280 × 800 the document sits beside the fields.
    await page.setViewportSize({ width: 1280, height: 800 });
    const field = (await card.getByLabel('Due date', { exact: true }).boundingBox())!;
    const shown = (await image.boundingBox())!;
    assert.ok(field.x > shown.x + shown.width - 5, 'the fields are to the right of the page at 1280 px');
    await card.evaluate((el: { scrollIntoView(options: { block: string }): void }) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('studio-review-document.png') });
  });

  it('records the person who corrected the value in the audit trail', { timeout: 120_000 }, async () => {
    const card = page.getByRole('listitem', { name: `Review: Check invoice ${INVOICE}` });
    await card.getByLabel('Due date', { exact: true }).fill('2024-02-07');
    await card.getByRole('button', { name: 'Save corrections' }).click();
    await page.getByTestId('review-saved').getByText('Due date: 2024-02-07').waitFor();
    // The audit record of the decision names the OS user, as `rpa review` does, not the screen.
    const person = os.userInfo().username;
    const db = new Database(path.join(home, 'runs.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT record_json FROM audit_outbox ORDER BY seq').all() as Array<{ record_json: string }>;
      const resolved = rows.map((r) => JSON.parse(r.record_json) as { type: string; user: string; payload: { reviewer?: string; values?: Record<string, unknown> } }).find((r) => r.type === 'review.resolved');
      assert.ok(resolved, 'the decision is in the audit trail');
      assert.equal(resolved.payload.reviewer, person);
      assert.notEqual(resolved.payload.reviewer, 'studio');
      assert.equal(resolved.payload.values?.['dueDate'], '2024-02-07');
    } finally {
      db.close();
    }
  });
});
