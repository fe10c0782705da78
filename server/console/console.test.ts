// The audit console in real Chromium against a server on real PostgreSQL: sign-in, runs with
// filters and "more", a run's timeline, devices with chain verification before and after a
// record is edited in the database. npm run docs:screenshots (RPA_SCREENSHOTS=1) rewrites docs/screenshots/console-*.png.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AuditRecord } from '../../audit/index.js';
import type { SqlClient } from '../db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from '../test-support.js';
import { CONSOLE_CSP, findStaticDir } from './index.js';
import { seriousAxeFindings } from '../../test/helpers/axe.js';

const SCREENSHOTS = join(dirname(dirname(dirname(findStaticDir()))), 'docs', 'screenshots');
const UPDATE = process.env.RPA_SCREENSHOTS === '1' || process.env.UPDATE_SCREENSHOTS === '1';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AUTOMATION = { id: 'invoice-entry', name: 'Invoice entry', version: '1.2.0', sha256: 'a'.repeat(64) };

/** Records of one run, timed from start, payloads shaped like engine/events.ts run events. */
function seedRun(device: FakeDevice, runId: string, start: string, user: string, events: Array<[number, string, Record<string, unknown>]>): AuditRecord[] {
  const t0 = Date.parse(start);
  const automation = { id: AUTOMATION.id, version: AUTOMATION.version, sha256: AUTOMATION.sha256 };
  return events.map(([offsetMs, type, payload]) => device.record(type, runId, payload, { ts: new Date(t0 + offsetMs).toISOString(), user, automation }));
}

/** A step.started payload as the runner writes it: its path ("2", "1[2].1.try.1"), label and top-level number. */
const step = (path: string, kind: string, label: string, attempt = 1) => ({ path, kind, label, attempt, topIndex: Number(/^\d+/.exec(path)![0]) });

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * What a robot's failure screenshot looks like: a legacy invoicing screen in Chromium, its
 * password field filled and masked as the runner masks secret fields (Playwright's mask).
 */
async function failureScreenshotOf(browser: Browser): Promise<Buffer> {
  const context = await browser.newContext({ viewport: { width: 960, height: 600 } });
  try {
    const legacy = await context.newPage();
    await legacy.setContent(`<body style="margin:0;font:15px sans-serif;background:#eef1f5">
      <div style="background:#254a7a;color:#fff;padding:10px 16px;font-weight:bold">Invoicing 4.2 — Invoice INV-1043 (Globex Ltd)</div>
      <div style="margin:24px;background:#fff;border:1px solid #c6ccd6;padding:20px;width:560px">
        <p><label>Customer <input value="Globex Ltd" style="width:300px"></label></p>
        <p><label>Signing PIN <input id="pin" type="password" value="4711-9042" style="width:200px"></label></p>
        <p>Items: 3 · Net 1 040.00 · VAT 197.60</p>
        <p style="color:#a00">Total: (not calculated — tax service unavailable)</p>
        <button disabled>Save</button>
      </div></body>`);
    return await legacy.screenshot({ mask: [legacy.locator('#pin')] });
  } finally {
    await context.close();
  }
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('audit console (Chromium, PostgreSQL)', () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let device: FakeDevice;
  let failedFinishSeq = 0;
  let failureShotSeq = 0;
  let failurePng: Buffer;
  const pageErrors: string[] = [];

  const rows = (selector: string) => page.locator(selector);
  const rowCount = async (selector: string, n: number) => eventually(`${n} rows in ${selector}`, async () => (await rows(selector).count()) === n);
  const shot = async (name: string) => {
    if (UPDATE) await page.screenshot({ path: join(SCREENSHOTS, name) });
  };

  /** Opens the console in `tab`, checks the sign-in screen, signs in with the admin token and checks the runs list. */
  const signInChecking = async (tab: Page, check: (screen: string) => Promise<void>): Promise<void> => {
    await tab.goto(`${base}/console`);
    await tab.locator('#signin-form').waitFor();
    await check('sign-in');
    await tab.fill('#token', ADMIN);
    await tab.click('#signin-submit');
    await tab.locator('#runs tbody tr').first().waitFor();
    await check('runs');
  };

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    failurePng = await failureScreenshotOf(browser);
    device = await new FakeDevice().enroll(app);
    await db.query('UPDATE devices SET name = $2 WHERE id = $1', [device.deviceId, 'Claims bot · WS-0142']);
    const passed = seedRun(device, 'run_01JAUDITPASSED0000000001', '2026-03-02T09:15:00.000Z', 'robot', [
      [0, 'run.started', { automation: AUTOMATION, inputs: { customer: 'ACME GmbH', invoices: 3 }, headless: true, pid: 4242, totalSteps: 3, trigger: 'schedule:nightly', package: { file: '/opt/bots/invoicing-1.4.0.rpapkg', sha256: '9f2c4e1a7b3d5f60'.repeat(4), signer: { keyId: '140a43ae9f4a8f01', name: 'Automation CoE', trustedAs: 'Automation CoE' } } }],
      [20, 'step.started', step('1', 'browser.open', 'Open the invoicing app')],
      [832, 'step.succeeded', { path: '1', kind: 'browser.open', attempt: 1, durationMs: 812 }],
      [840, 'step.started', step('2', 'type', 'Type the customer name')],
      [1004, 'step.succeeded', { path: '2', kind: 'type', attempt: 1, durationMs: 164.2, locator: { index: 0, description: 'role=textbox[name="Customer"]', fallback: false } }],
      [1010, 'step.started', step('3', 'click', 'Click Save')],
      [1395, 'step.succeeded', { path: '3', kind: 'click', attempt: 1, durationMs: 385, locator: { index: 1, description: 'text=Save', fallback: true } }],
      [1400, 'log', { level: 'info', message: 'Saved invoice INV-1042', path: '3' }],
      [1450, 'artifact', { path: '3', artifactKind: 'screenshot', file: '/var/lib/rpa/runs/run_01JAUDITPASSED0000000001/after-save.png', bytes: 48213 }],
      [1500, 'run.finished', { status: 'passed', durationMs: 1500, outputs: { invoiceNumber: 'INV-1042', total: 1250.5 }, vars: {} }],
    ]);
    const failed = seedRun(device, 'run_01JAUDITFAILED0000000002', '2026-03-02T10:40:00.000Z', 'alice', [
      [0, 'run.started', { automation: AUTOMATION, inputs: { customer: 'Globex Ltd' }, headless: false, pid: 4343, totalSteps: 2 }],
      [10, 'step.started', step('1', 'browser.open', 'Open the invoicing app')],
      [700, 'step.succeeded', { path: '1', kind: 'browser.open', attempt: 1, durationMs: 690 }],
      [710, 'step.started', step('2', 'read', 'Read the invoice total')],
      [5710, 'step.failed', { path: '2', kind: 'read', attempt: 1, durationMs: 5000, willRetry: true, error: { name: 'TimeoutError', message: 'locator text=Total not visible after 5000 ms' } }],
      [5800, 'step.started', step('2', 'read', 'Read the invoice total', 2)],
      [10800, 'step.failed', { path: '2', kind: 'read', attempt: 2, durationMs: 5000, willRetry: false, error: { name: 'TimeoutError', message: 'locator text=Total not visible after 5000 ms' } }],
      [10810, 'log', { level: 'error', message: 'giving up on step 2 after 2 attempts', path: '2' }],
      // The robot's policy let this failure screenshot go to the audit server; its hash is sealed here.
      [10850, 'artifact', { path: '2', artifactKind: 'screenshot', file: '/var/lib/rpa/runs/run_01JAUDITFAILED0000000002/steps_1_-failure.png', bytes: failurePng.length, sha256: sha256(failurePng), failureScreenshot: 'upload' }],
      [10900, 'run.finished', { status: 'failed', durationMs: 10900, outputs: {}, vars: {}, error: { name: 'TimeoutError', message: 'locator text=Total not visible after 5000 ms' } }],
    ]);
    failedFinishSeq = failed[failed.length - 1]!.seq;
    failureShotSeq = failed.find((r) => r.type === 'artifact')!.seq;
    const reply = await device.ingest(app, [...passed, ...failed]);
    assert.equal(reply.status, 200, reply.text);
    const uploaded = await app.inject({ method: 'PUT', url: `/v1/devices/${device.deviceId}/records/${failureShotSeq}/screenshot`, headers: { authorization: `Bearer ${device.token}`, 'content-type': 'image/png' }, payload: failurePng });
    assert.equal(uploaded.statusCode, 201, uploaded.body);

    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // 401/403 answers to a wrong token are expected; anything else (a CSP refusal, an exception) is not.
      if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[13]/.test(message.text())) pageErrors.push(message.text());
    });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  it('serves the page, script and styles with a strict CSP', async () => {
    for (const [path, type] of [['/console', 'text/html'], ['/console/app.js', 'text/javascript'], ['/console/app.css', 'text/css'], ['/console/step-name.js', 'text/javascript']] as const) {
      const reply = await call(app, 'GET', path);
      assert.equal(reply.status, 200, path);
      assert.equal(reply.headers['content-security-policy'], CONSOLE_CSP);
      assert.match(String(reply.headers['content-type']), new RegExp(type));
    }
    const html = (await call(app, 'GET', '/console')).text;
    assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]|\sstyle=|\son[a-z]+=/, 'no inline script, style or handlers');
    assert.equal((await call(app, 'GET', '/console/nope.js')).status, 404);
  });

  it('refuses a wrong token and a device token, then signs in with the admin token', async () => {
    await page.goto(`${base}/console`);
    await page.locator('#signin-form').waitFor();
    await page.fill('#token', 'adm_not_a_real_token');
    await page.click('#signin-submit');
    await page.locator('#signin-error').waitFor();
    assert.match(await page.locator('#signin-error').innerText(), /not recognised/);

    await page.fill('#token', device.token);
    await page.click('#signin-submit');
    await eventually('the device-token message', async () => /device tokens cannot sign in/.test(await page.locator('#signin-error').innerText()));
    assert.equal(await page.evaluate('sessionStorage.length'), 0);

    await page.fill('#token', ADMIN);
    await page.click('#signin-submit');
    await rowCount('#runs tbody tr', 2);
    assert.equal(await page.evaluate(`sessionStorage.getItem('audit-console-token')`), ADMIN);
    const text = await page.locator('#runs').innerText();
    assert.match(text, /run_01JAUDITPASSED0000000001/);
    assert.match(text, /run_01JAUDITFAILED0000000002/);
    assert.deepEqual(await page.locator('#runs tbody .badge').allTextContents(), ['failed', 'passed']);
    // The automation as the studio names it, with its version, and its id as secondary text.
    const automations = await page.locator('#runs tbody tr td:nth-child(2)').allInnerTexts();
    assert.deepEqual(automations.map((cell) => cell.replace(/\s+/g, ' ').trim()), ['Invoice entry v1.2.0 invoice-entry', 'Invoice entry v1.2.0 invoice-entry']);
    // At 1280 px the runs list is a table: each run one row of side-by-side cells, under a visible header.
    const layout = await page.evaluate<{ header: number; oneLine: boolean }>(`(() => {
      const rows = [...document.querySelectorAll('#runs tbody tr')].map((tr) => [...tr.cells].map((td) => td.getBoundingClientRect()));
      const header = document.querySelector('#runs thead').getBoundingClientRect();
      return { header: header.height, oneLine: rows.every((cells) => cells.every((r, i) => i === 0 || (Math.abs(r.top - cells[0].top) < 1 && r.left >= cells[i - 1].right - 1))) };
    })()`);
    assert.ok(layout.header > 20, `the header row shows (${layout.header} px high)`);
    assert.equal(layout.oneLine, true, 'each run is one row of cells side by side');
    await shot('console-runs.png');
  });

  it('filters runs by status, user and time range, and pages with "more"', async () => {
    await page.selectOption('select[name=status]', 'failed');
    await page.click('#filters button[type=submit]');
    await eventually('the status filter', async () => (await rows('#runs tbody tr').count()) === 1 && /FAILED/.test(await page.locator('#runs tbody').innerText()));
    assert.match(page.url(), /status=failed/);

    await page.goto(`${base}/console#/runs?user=robot`);
    await eventually('the user filter', async () => (await rows('#runs tbody tr').count()) === 1 && /PASSED/.test(await page.locator('#runs tbody').innerText()));

    await page.goto(`${base}/console#/runs?from=${encodeURIComponent('2026-03-02T10:00:00.000Z')}`);
    await eventually('the time filter', async () => (await rows('#runs tbody tr').count()) === 1 && /FAILED/.test(await page.locator('#runs tbody').innerText()));
    assert.equal(await page.inputValue('input[name=from]'), '2026-03-02T10:00');

    await page.goto(`${base}/console#/runs?status=cancelled`);
    await page.getByText('No runs match these filters.').waitFor();

    await page.goto(`${base}/console#/runs?limit=1`);
    await rowCount('#runs tbody tr', 1);
    await page.click('#more');
    await rowCount('#runs tbody tr', 2);
    assert.equal(await page.locator('#more').isHidden(), true);
  });

  it('an auditor finds runs by part of the automation id and by any value in them, and exports their records as CSV and JSON lines', async () => {
    const auditor = (await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor', label: 'console export test' })).body.token;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC', acceptDownloads: true });
    const own = await context.newPage();
    own.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    try {
      await own.goto(`${base}/console`);
      await own.fill('#token', auditor);
      await own.click('#signin-submit');
      const shown = async (n: number, what: string, pattern?: RegExp) =>
        eventually(what, async () => (await own.locator('#runs tbody tr').count()) === n && (!pattern || pattern.test(await own.locator('#runs tbody').innerText())));
      await shown(2, 'both runs');

      // Part of the id, any case: "INVOICE" finds the invoice-entry runs (the exact id only, before).
      await own.goto(`${base}/console#/runs?automation=INVOICE`);
      await shown(2, 'the automation filter by part of its id');
      // Free text finds a run by a value inside it: an input, then an error message.
      await own.fill('input[name=automation]', '');
      await own.fill('input[name=q]', 'globex');
      await own.click('#filters button[type=submit]');
      await shown(1, 'the free-text search on an input', /FAILED/);
      assert.match(own.url(), /q=globex/);
      await own.goto(`${base}/console#/runs?q=${encodeURIComponent('INV-1042')}`);
      await shown(1, 'the free-text search on an output', /PASSED/);
      await own.goto(`${base}/console#/runs?q=no-such-value-anywhere`);
      await own.getByText('No runs match these filters.').waitFor();
      // %, _ are literal: "%" alone finds nothing rather than everything.
      await own.goto(`${base}/console#/runs?q=%25`);
      await own.getByText('No runs match these filters.').waitFor();

      // Export what the search found, as CSV: the failed run's records, every one, and nothing else.
      await own.goto(`${base}/console#/runs?q=globex`);
      await shown(1, 'the search before the export', /FAILED/);
      const failedRecords = (await call(app, 'GET', '/v1/runs/run_01JAUDITFAILED0000000002/records', auditor)).body.records;
      const [csvDownload] = await Promise.all([own.waitForEvent('download'), own.click('button[data-export=csv]')]);
      assert.match(csvDownload.suggestedFilename(), /^audit-records-.*\.csv$/);
      const csv = (await readFile((await csvDownload.path()), 'utf8')).trim().split('\r\n');
      assert.equal(csv[0], 'deviceId,seq,id,ts,type,runId,automationId,automationVersion,automationSha256,user,payload,prevHash,hash');
      assert.equal(csv.length - 1, failedRecords.length, 'one line per record of the run found');
      assert.ok(csv.slice(1).every((line) => line.includes(',run_01JAUDITFAILED0000000002,')));
      await own.locator('#export-result').getByText(/^Saved audit-records-.*\.csv/).waitFor();

      // By outcome, device and date, as JSON lines: the passed run's records, each a signed record.
      await own.goto(`${base}/console#/runs?status=passed&device=${device.deviceId}&from=2026-03-02T00%3A00%3A00.000Z&to=2026-03-03T00%3A00%3A00.000Z`);
      await shown(1, 'the outcome filter', /PASSED/);
      if (UPDATE) await own.screenshot({ path: join(SCREENSHOTS, 'console-search-export.png') });
      const [jsonDownload] = await Promise.all([own.waitForEvent('download'), own.click('button[data-export=ndjson]')]);
      const lines = (await readFile((await jsonDownload.path()), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as AuditRecord);
      assert.ok(lines.length > 0);
      assert.deepEqual([...new Set(lines.map((r) => r.runId))], ['run_01JAUDITPASSED0000000001']);
      assert.ok(lines.every((r) => r.deviceId === device.deviceId && /^[0-9a-f]{64}$/.test(r.hash)));

      // The export is the auditor's (or admin's): a device's own token is refused.
      assert.equal((await call(app, 'GET', '/v1/export?q=globex', device.token)).status, 403);
    } finally {
      await context.close();
    }
  });

  it('shows a run as a timeline: steps, durations, healed locator, logs, artifacts, inputs and outputs', async () => {
    await page.goto(`${base}/console#/runs`);
    await rowCount('#runs tbody tr', 2);
    await page.click('tr[data-run=run_01JAUDITPASSED0000000001]');
    await page.locator('#timeline').waitFor();
    const steps = page.locator('#timeline li.step');
    assert.equal(await steps.count(), 3);
    const timeline = await page.locator('#timeline').innerText();
    for (const expected of ['Open the invoicing app', 'Type the customer name', 'Click Save', '812 ms', 'role=textbox[name="Customer"]', 'text=Save', 'Saved invoice INV-1042', 'after-save.png']) {
      assert.ok(timeline.includes(expected), `timeline shows ${expected}`);
    }
    assert.match(await steps.nth(2).innerText(), /healed/);
    assert.doesNotMatch(await steps.nth(1).innerText(), /healed/);
    assert.match(await page.locator('#artifacts').innerText(), /\/var\/lib\/rpa\/runs\/run_01JAUDITPASSED0000000001\/after-save\.png/);
    // A long path wraps only after a "/", never inside a name ("after-save.pn / g"), and stays inside its card.
    // Runs in the page (this file is compiled without the DOM types): per path, the character each line ends after.
    const wraps = await page.evaluate<{ text: string; breaksAfter: string[]; inside: boolean }[]>(`[...document.querySelectorAll('#artifacts code, #timeline li.artifact code')].map((code) => {
      const chars = [];
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.textContent.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          if (rect) chars.push({ ch: node.textContent[i], top: Math.round(rect.top) });
        }
      }
      const breaksAfter = chars.slice(1).flatMap((c, i) => (c.top > chars[i].top ? [chars[i].ch] : []));
      const card = code.closest('.card').getBoundingClientRect();
      return { text: code.textContent, breaksAfter, inside: code.getBoundingClientRect().right <= card.right + 0.5 };
    })`);
    assert.ok(wraps.length >= 2, 'artifact paths are shown');
    for (const w of wraps) {
      assert.ok(w.text.endsWith('after-save.png'), `the whole path is shown: ${w.text}`);
      assert.ok(w.breaksAfter.every((ch) => ch === '/'), `${w.text} wraps only after "/" (breaks after ${JSON.stringify(w.breaksAfter)})`);
      assert.ok(w.inside, `${w.text} stays inside its card`);
    }
    const body = await page.locator('#view').innerText();
    assert.match(body, /ACME GmbH/);
    assert.match(body, /INV-1042/);
    // Which signed package ran, and who signed it.
    assert.match(body, /Package\s+9f2c4e1a7b…\s+signed: Automation CoE/);
    assert.equal(await page.locator('span[title="key 140a43ae9f4a8f01"]').count(), 1);
    await shot('console-run.png');

    await page.goto(`${base}/console#/runs/run_01JAUDITFAILED0000000002`);
    await page.locator('#timeline').waitFor();
    const failedSteps = page.locator('#timeline li.step');
    assert.equal(await failedSteps.count(), 3, 'the retried attempt is its own entry');
    assert.match(await failedSteps.nth(1).innerText(), /retried[\s\S]*TimeoutError: locator text=Total not visible after 5000 ms/i);
    assert.match(await failedSteps.nth(2).innerText(), /attempt 2[\s\S]*failed/i);
    assert.match(await page.locator('#timeline').innerText(), /giving up on step 2 after 2 attempts/);
    await shot('console-run-failed.png');
  });

  it('shows the uploaded failure screenshot (hash checked), enlarges it from the keyboard and by click, and says when one stays on the robot', async () => {
    await page.goto(`${base}/console#/runs/run_01JAUDITFAILED0000000002`);
    const thumb = page.locator('#failure-screenshots img.shot-thumb');
    await eventually('the failure screenshot', async () => (await thumb.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth)) === 960);
    assert.match((await thumb.getAttribute('src')) ?? '', /^blob:/, 'fetched with the token, shown from a blob: URL');
    // Named as the studio lists it (its number and label, from the run's signed step.started record), not by the runner's path.
    assert.equal(await thumb.getAttribute('alt'), 'Screen of the robot when step 2 (Read the invoice total) failed');
    assert.match(await page.locator('#failure-screenshots .shot-head').innerText(), /^When step 2 \(Read the invoice total\) failed/);
    assert.match(await page.locator('#failure-screenshots').innerText(), new RegExp(`matches the SHA-256 sealed in the run’s record ${sha256(failurePng).slice(0, 16)}`));
    await shot('console-run-failure-screenshot.png');

    // Keyboard: Tab reaches the picture's button, Enter opens the dialog with the close button focused, Escape closes it and focus comes back.
    const open = page.locator('#failure-screenshots button.shot-open');
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#shot-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.evaluate((d) => (d as unknown as { open: boolean }).open), true);
    assert.equal(await page.evaluate('document.activeElement.id'), 'shot-close');
    assert.equal(await page.locator('#shot-large').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), 960);
    assert.match(await page.locator('#shot-caption').innerText(), new RegExp(sha256(failurePng)));
    await shot('console-failure-screenshot-enlarged.png');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(`document.activeElement.classList.contains('shot-open')`), true, 'focus returns to the picture');
    // Mouse: a click enlarges, a click on the backdrop closes.
    await open.click();
    await dialog.waitFor();
    await page.mouse.click(5, 5);
    await dialog.waitFor({ state: 'hidden' });

    // Another robot whose policy keeps failure screenshots: the console says so, and shows no picture.
    const keeper = await new FakeDevice().enroll(app);
    const kept = seedRun(keeper, 'run_01JAUDITKEPT00000000000005', '2026-03-04T08:00:00.000Z', 'robot', [
      [0, 'run.started', { automation: AUTOMATION, inputs: {}, headless: true, pid: 1, totalSteps: 1 }],
      // A step deep inside step 1 (a loop's second pass, then a try block): the runner's path is "1[2].1.try.1".
      [5, 'step.started', step('1', 'flow.forEach', 'for each invoice')],
      [8, 'step.started', step('1[2].1', 'flow.try', 'try')],
      [10, 'step.started', step('1[2].1.try.1', 'click', 'Click Save')],
      [300, 'log', { level: 'warn', message: 'step 1[2].1.try.1 (Click Save) waits for the Save button', path: '1[2].1.try.1' }],
      [600, 'step.failed', { path: '1[2].1.try.1', kind: 'click', attempt: 1, durationMs: 590, willRetry: false, error: { name: 'TimeoutError', message: 'step 1[2].1.try.1 (Click Save) did not finish within 590 ms' } }],
      [650, 'artifact', { path: '1[2].1.try.1', artifactKind: 'screenshot', file: 'C:\\ProgramData\\RPA\\runs\\k\\1_2_.1.try.1-failure.png', bytes: 1000, sha256: 'b'.repeat(64), failureScreenshot: 'kept' }],
      [700, 'run.finished', { status: 'failed', durationMs: 700, outputs: {}, vars: {}, error: { name: 'TimeoutError', message: 'step 1[2].1.try.1 (Click Save) did not finish within 590 ms' } }],
    ]);
    assert.equal((await keeper.ingest(app, kept)).status, 200);
    await page.goto(`${base}/console#/runs/run_01JAUDITKEPT00000000000005`);
    await page.locator('#failure-screenshots .shot.kept').waitFor();
    assert.match(await page.locator('#failure-screenshots').innerText(), /Kept on the robot by its machine policy \(failureScreenshots\.upload is off\)/);
    assert.equal(await page.locator('#failure-screenshots img').count(), 0);
    assert.match(await page.locator('#failure-screenshots .shot-head').innerText(), /^When step 1, pass 2 \(Click Save\) failed/);
    // Nowhere on the page (picture, timeline, error, log) does the runner's internal path show; the
    // file's name on the robot (which the runner builds from it) is shown as it is, as a file path.
    const whole = await page.locator('main').evaluate((main) => {
      const copy = (main as unknown as { cloneNode(deep: boolean): { querySelectorAll(s: string): Array<{ remove(): void }>; textContent: string } }).cloneNode(true);
      for (const file of copy.querySelectorAll('code.path')) file.remove();
      return copy.textContent;
    });
    assert.doesNotMatch(whole, /1\[2\]|\.try\.|\[2\]\.1/, whole);
    assert.match(await page.locator('.run-error').innerText(), /step 1, pass 2 \(Click Save\) did not finish within 590 ms/);
    assert.match(await page.locator('#timeline').innerText(), /step 1, pass 2 \(Click Save\) waits for the Save button/);
  });

  it('shows model calls, an extraction sent to review, who corrected what, and a step healed by fingerprint', async () => {
    const runId = 'run_01JAUDITREVIEW0000000003';
    const records = seedRun(device, runId, '2026-03-03T08:00:00.000Z', 'robot', [
      [0, 'run.started', { automation: AUTOMATION, inputs: { file: 'invoice-0042.pdf' }, headless: true, pid: 4444, totalSteps: 3 }],
      [10, 'step.started', step('1', 'ai.extract', 'Extract the invoice fields')],
      [900, 'model.called', { path: '1', call: { provider: 'azure-eu', model: 'gpt-4.1-mini', prompt: { id: 'invoice-fields', version: '3' }, requestSha256: 'c'.repeat(64), redactedRequest: {}, response: {}, usage: { inputTokens: 1812, outputTokens: 96 }, costUsd: 0.0031, latencyMs: 870, attempts: 2 }, masked: { email: 1, iban: 1 }, cost: 0.0031 }],
      [905, 'extraction', { path: '1', provider: 'azure-eu', fields: [{ name: 'invoiceNumber', confidence: 0.97, problems: [] }, { name: 'total', confidence: 0.55, problems: [] }, { name: 'dueDate', confidence: 0.9, problems: ['dueDate must be after invoiceDate'] }], problems: [], threshold: 0.8, routedToReview: true }],
      [910, 'review.created', { path: '1', reviewId: 'rev_0042', title: 'Check invoice 0042', values: { invoiceNumber: 'INV-0042', total: 1250, dueDate: '2026-02-01' }, details: {} }],
      [915, 'run.paused', { path: '1', attempt: 1, reviewId: 'rev_0042', vars: {} }],
      [600_000, 'review.resolved', { reviewId: 'rev_0042', decision: 'corrected', values: { invoiceNumber: 'INV-0042', total: 1520, dueDate: '2026-04-01' }, reviewer: 'alice', comment: 'total misread' }],
      [600_010, 'run.resumed', { path: '1', reviewId: 'rev_0042' }],
      [600_020, 'step.succeeded', { path: '1', kind: 'ai.extract', attempt: 1, durationMs: 600_010 }],
      [600_030, 'step.started', step('2', 'browser.click', 'Click Save')],
      [600_400, 'step.succeeded', { path: '2', kind: 'browser.click', attempt: 1, durationMs: 370, locator: { index: 2, description: 'role=button[name="Save invoice"]', fallback: true, healed: { from: 'css=#btn-8812; text="Save"', to: { role: 'button', name: 'Save invoice' }, score: 0.91, runnerUp: 0.42 } } }],
      [600_500, 'run.finished', { status: 'passed', durationMs: 600_500, outputs: {}, vars: {} }],
    ]);
    const reply = await device.ingest(app, records);
    assert.equal(reply.status, 200, reply.text);
    await page.goto(`${base}/console#/runs/${runId}`);
    await page.locator('#timeline').waitFor();
    const timeline = page.locator('#timeline');
    const model = await timeline.locator('li.model').innerText();
    for (const expected of ['azure-eu / gpt-4.1-mini', 'prompt invoice-fields@3', '1812 in / 96 out tokens', '$0.0031', '2 attempts', '1 email', '1 iban']) assert.ok(model.includes(expected), `model call shows ${expected}: ${model}`);
    const extraction = timeline.locator('li.extraction');
    assert.match(await extraction.innerText(), /sent to review/);
    assert.equal(await extraction.locator('tr.low').count(), 1, 'total is below the threshold');
    assert.equal(await extraction.locator('tr.problem').count(), 1, 'dueDate failed a validator');
    assert.match(await extraction.locator('tr.problem').innerText(), /dueDate must be after invoiceDate/);
    const review = await timeline.locator('li.review').innerText();
    assert.match(review, /Check invoice 0042/);
    assert.match(review, /corrected by\s+alice/);
    assert.match(review, /total: 1250 → 1520/);
    assert.match(review, /dueDate: "2026-02-01" → "2026-04-01"/);
    assert.doesNotMatch(review, /invoiceNumber:/, 'unchanged fields are not listed as corrections');
    const healed = await timeline.locator('li.step').nth(1).innerText();
    assert.match(healed, /healed by fingerprint · score 0\.91/);
    assert.match(healed, /css=#btn-8812/);
    const facts = await page.locator('.facts').innerText();
    assert.match(facts, /Model calls\s+1 · \$0\.0031/);
    assert.match(facts, /Reviews\s+1/);
    await shot('console-run-review.png');
  });

  it('shows a paused run that took a builder\'s edited automation: its own entry, saved or not, with both hashes', async () => {
    const runId = 'run_01JAUDITREVISE0000000004';
    const revisedSha = 'e'.repeat(64);
    const records = seedRun(device, runId, '2026-03-04T08:00:00.000Z', 'builder', [
      [0, 'run.started', { automation: AUTOMATION, inputs: {}, headless: false, pid: 5555, totalSteps: 2 }],
      [10, 'step.started', step('1', 'log', 'Say hello')],
      [20, 'step.succeeded', { path: '1', kind: 'log', attempt: 1, durationMs: 10 }],
      [30_000, 'run.revised', { path: '2', automation: { ...AUTOMATION, sha256: revisedSha }, previousSha256: AUTOMATION.sha256, saved: false, totalSteps: 3 }],
      [30_010, 'step.started', step('2', 'log', 'Say goodbye')],
      [30_020, 'step.succeeded', { path: '2', kind: 'log', attempt: 1, durationMs: 10 }],
      [30_100, 'run.finished', { status: 'passed', durationMs: 120, outputs: {}, vars: {} }],
    ]);
    const reply = await device.ingest(app, records);
    assert.equal(reply.status, 200, reply.text);
    await page.goto(`${base}/console#/runs/${runId}`);
    await page.locator('#timeline').waitFor();
    const revision = page.locator('#timeline li.revision');
    assert.equal(await revision.count(), 1, 'the revision is an entry of its own, not raw JSON');
    const text = await revision.innerText();
    assert.match(text, /revised while paused · from step 2 \(Say goodbye\) on/);
    assert.match(text, /unsaved revision/);
    assert.match(text, /3 steps in all/);
    assert.ok(text.includes(`sha256 ${revisedSha}`) && text.includes(`before: sha256 ${AUTOMATION.sha256}`), text);
    assert.doesNotMatch(await page.locator('#timeline').innerText(), /"previousSha256"/, 'no raw payload');
  });

  it('lists devices and verifies the chain, then finds the record edited in the database', async () => {
    await page.click('a[data-nav=devices]');
    const row = page.locator(`#devices tr[data-device="${device.deviceId}"]`);
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /Claims bot · WS-0142/);
    assert.match(text, new RegExp(device.deviceId));
    const total = device.written.length;
    assert.match(text, new RegExp(`\\b${total}\\b`), 'ack seq');
    await row.locator('button[data-verify]').click();
    await eventually('the verify verdict', async () => new RegExp(`chain intact · ${total} records checked · 3 device signatures re-checked`).test(await row.innerText()));
    assert.match((await row.locator('.verify-result').textContent()) ?? '', /^ok chain intact/);
    assert.match(await row.locator('.verify-result').innerText(), /· 1 screenshot matches/);
    await shot('console-devices.png');

    // The stored picture's bytes changed in PostgreSQL (one pixel row's worth): Verify hashes every stored picture again and says which.
    const [stored] = (await db.query<{ png: Uint8Array }>('SELECT png FROM run_screenshots WHERE device_id = $1 AND record_seq = $2', [device.deviceId, failureShotSeq])).rows;
    const altered = Buffer.from(stored!.png);
    altered[altered.length - 20] = altered[altered.length - 20]! ^ 0xff;
    await db.query('UPDATE run_screenshots SET png = $3, sha256 = $4 WHERE device_id = $1 AND record_seq = $2', [device.deviceId, failureShotSeq, altered, sha256(altered)]);
    await row.locator('button[data-verify]').click();
    await eventually('the altered-screenshot verdict', async () => /broken/i.test(await row.innerText()));
    // One short plain sentence; the hashes and the record only when "Details" is opened.
    const verdict = await row.locator('.verify-result').innerText();
    assert.match(verdict, /^broken\s+1 screenshot changed on the server\s*Details$/i, verdict);
    assert.doesNotMatch(verdict, /[0-9a-f]{64}|SHA-256|0 of 1/, 'no hashes and no "0 of 1 … match" until asked for');
    await shot('console-devices-screenshot-altered.png');
    await row.locator('.verify-result details.more > summary').click();
    const details = await row.locator('.verify-result .more-body').innerText();
    assert.match(details, new RegExp(`Record ${failureShotSeq}: the stored failure screenshot of record ${failureShotSeq} \\(run run_01JAUDITFAILED0000000002\\) has SHA-256 ${sha256(altered)}, but the record sealed in the chain names ${sha256(failurePng)}`));
    assert.match(details, new RegExp(`Changed after it was received \\(not shown in the console\\): record ${failureShotSeq}`));
    assert.equal(await row.locator('.shots-altered a').getAttribute('href'), '#/runs/run_01JAUDITFAILED0000000002');
    await shot('console-devices-screenshot-altered-details.png');
    await db.query('UPDATE run_screenshots SET png = $3, sha256 = $4 WHERE device_id = $1 AND record_seq = $2', [device.deviceId, failureShotSeq, failurePng, sha256(failurePng)]);

    // Removed from the server after it was received: told apart from one never received (its receipt stays).
    await db.query('DELETE FROM run_screenshots WHERE device_id = $1 AND record_seq = $2', [device.deviceId, failureShotSeq]);
    await row.locator('button[data-verify]').click();
    await eventually('the removed-screenshot verdict', async () => /removed from the server/.test(await row.locator('.verify-result').innerText()));
    assert.match(await row.locator('.verify-result').innerText(), /^ok\s+chain intact .* · 1 screenshot removed from the server\s*Details$/i);
    await row.locator('.verify-result details.more > summary').click();
    assert.match(await row.locator('.verify-result .more-body').innerText(), new RegExp(`Received, then removed from the server .*: record ${failureShotSeq}`));
    await page.goto(`${base}/console#/runs/run_01JAUDITFAILED0000000002`);
    await page.locator('#failure-screenshots .shot.removed').waitFor();
    assert.match(await page.locator('#failure-screenshots .shot.removed').innerText(), /^When step 2 \(Read the invoice total\) failed[\s\S]*Removed from the server: it was received .*2\d{3}/);
    assert.doesNotMatch(await page.locator('#failure-screenshots').innerText(), /Not received yet/);
    await shot('console-run-screenshot-removed.png');
    // The robot sends it again (its queue kept it): stored and shown once more.
    const resent = await app.inject({ method: 'PUT', url: `/v1/devices/${device.deviceId}/records/${failureShotSeq}/screenshot`, headers: { authorization: `Bearer ${device.token}`, 'content-type': 'image/png' }, payload: failurePng });
    assert.equal(resent.statusCode, 201, resent.body);

    // A robot whose screenshot is still queued (never sent): "not received yet", on the run and in Verify.
    const queued = await new FakeDevice().enroll(app);
    const queuedRun = seedRun(queued, 'run_01JAUDITQUEUED000000000006', '2026-03-05T08:00:00.000Z', 'robot', [
      [0, 'run.started', { automation: AUTOMATION, inputs: {}, headless: true, pid: 1, totalSteps: 1 }],
      [10, 'step.started', step('1', 'click', 'Click Save')],
      [600, 'step.failed', { path: '1', kind: 'click', attempt: 1, durationMs: 590, willRetry: false, error: { name: 'TimeoutError', message: 'no Save button' } }],
      [650, 'artifact', { path: '1', artifactKind: 'screenshot', file: '/var/lib/rpa/runs/q/steps_0_-failure.png', bytes: failurePng.length, sha256: sha256(failurePng), failureScreenshot: 'upload' }],
      [700, 'run.finished', { status: 'failed', durationMs: 700, outputs: {}, vars: {}, error: { name: 'TimeoutError', message: 'no Save button' } }],
    ]);
    assert.equal((await queued.ingest(app, queuedRun)).status, 200);
    await page.goto(`${base}/console#/runs/run_01JAUDITQUEUED000000000006`);
    await page.locator('#failure-screenshots .shot.missing').waitFor();
    assert.match(await page.locator('#failure-screenshots .shot.missing').innerText(), /Not received yet\.\s*Details/);
    assert.doesNotMatch(await page.locator('#failure-screenshots').innerText(), /Removed from the server/);
    await page.click('a[data-nav=devices]');
    const queuedRow = page.locator(`#devices tr[data-device="${queued.deviceId}"]`);
    await queuedRow.locator('button[data-verify]').click();
    await eventually('the queued-screenshot verdict', async () => /not received yet/.test(await queuedRow.locator('.verify-result').innerText()));
    assert.match(await queuedRow.locator('.verify-result').innerText(), /· 1 screenshot not received yet\s*Details$/);
    await queuedRow.locator('.verify-result details.more > summary').click();
    assert.match(await queuedRow.locator('.verify-result .more-body').innerText(), /Never received: still queued on the robot, which sends it at its next audit sync: record \d+/);

    await db.query(`UPDATE audit_records SET payload = jsonb_set(payload, '{status}', '"passed"') WHERE device_id = $1 AND seq = $2`, [device.deviceId, failedFinishSeq]);
    await row.locator('button[data-verify]').click();
    await eventually('the broken verdict', async () => /broken/i.test(await row.innerText()));
    assert.match(await row.locator('.verify-result').innerText(), new RegExp(`^broken\\s+first broken seq ${failedFinishSeq}\\s*Details$`, 'i'));
    assert.match((await row.locator('.verify-result .more-body').textContent()) ?? '', new RegExp(`Record ${failedFinishSeq}: .*altered`));
  });

  it('revokes a device from the devices page: its token is refused afterwards, the revocation shows who and why', async () => {
    const spare = await new FakeDevice().enroll(app);
    assert.equal((await spare.ingest(app, spare.run('before-revoke', 'passed'))).status, 200);
    await page.goto(`${base}/console#/runs`);
    await page.click('a[data-nav=devices]');
    const row = page.locator(`#devices tr[data-device="${spare.deviceId}"]`);
    await row.waitFor();
    await row.locator(`button[data-revoke="${spare.deviceId}"]`).click();
    await row.locator('input[name=reason]').fill('laptop stolen');
    await row.locator(`button[data-confirm-revoke="${spare.deviceId}"]`).click();
    await row.locator(`[data-revoked="${spare.deviceId}"]`).waitFor();
    assert.match((await row.locator(`[data-revoked="${spare.deviceId}"]`).getAttribute('title')) ?? '', /revoked .* by admin "configured" \(token [0-9a-f]{12}\): laptop stolen/);
    await shot('console-device-revoked.png');

    const refused = await spare.ingest(app, spare.run('after-revoke', 'passed'));
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error, 'device_revoked');
    // Still revoked after a reload; the device that was not revoked keeps its button; records stay verifiable.
    await page.reload();
    await row.locator(`[data-revoked="${spare.deviceId}"]`).waitFor();
    assert.equal(await page.locator(`button[data-revoke="${device.deviceId}"]`).count(), 1);
    await row.locator('button[data-verify]').click();
    await eventually('the revoked device verdict', async () => /chain intact · 4 records checked/.test(await row.innerText()));
  });

  it('every console screen passes axe-core: no critical or serious violation, colour contrast included', async () => {
    // The console's CSP refuses injected scripts (as it should): the checking context alone bypasses it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC', bypassCSP: true });
    const checking = await context.newPage();
    const found: string[] = [];
    const check = async (screen: string): Promise<void> => void found.push(...(await seriousAxeFindings(checking, screen)));
    try {
      await signInChecking(checking, check);
      for (const runId of ['run_01JAUDITPASSED0000000001', 'run_01JAUDITFAILED0000000002', 'run_01JAUDITREVIEW0000000003', 'run_01JAUDITREVISE0000000004']) {
        await checking.goto(`${base}/console#/runs/${runId}`);
        await checking.getByText(runId).first().waitFor();
        await checking.locator('.tl').first().waitFor();
        await check(`run ${runId}`);
      }
      // The failure screenshot, enlarged.
      await checking.goto(`${base}/console#/runs/run_01JAUDITFAILED0000000002`);
      await eventually('the failure screenshot', async () => Number(await checking.locator('#failure-screenshots img.shot-thumb').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) > 0);
      await checking.locator('#failure-screenshots button.shot-open').click();
      await checking.locator('#shot-dialog').waitFor();
      await check('failure screenshot enlarged');
      await checking.keyboard.press('Escape');
      await checking.goto(`${base}/console#/devices`);
      const row = checking.locator(`#devices tr[data-device="${device.deviceId}"]`);
      await row.waitFor();
      await row.locator('button[data-verify]').click();
      await row.locator('.verify-result').waitFor();
      await check('devices (a revoked device, a verdict)');
      await checking.goto(`${base}/console#/queues`);
      await checking.locator('main h1, main .empty').first().waitFor();
      await check('queues');
    } finally {
      await context.close();
    }
    assert.deepEqual(found, []);
  });

  it('at 400 px every console screen fits the width: no sideways page scroll, the runs list stacks, other wide tables scroll in their card, axe finds nothing serious', async () => {
    const context = await browser.newContext({ viewport: { width: 400, height: 800 }, locale: 'en-US', timezoneId: 'UTC', bypassCSP: true });
    const narrow = await context.newPage();
    const problems: string[] = [];
    /** What does not fit at 400 px: the page scrolls sideways, or a box is cut off with no way to scroll to the rest. */
    const fits = async (screen: string): Promise<void> => {
      const found = await narrow.evaluate(`(() => {
        const out = [];
        const root = document.documentElement;
        if (root.scrollWidth > root.clientWidth + 1) out.push('the page scrolls sideways (' + root.scrollWidth + ' px wide)');
        for (const el of document.querySelectorAll('main *')) {
          const style = getComputedStyle(el);
          // A screen-reader-only element (the runs table's header at this width) is 1 px and clipped on purpose.
          if (el.clientWidth <= 1) continue;
          if (el.scrollWidth > el.clientWidth + 1 && (style.overflowX === 'hidden' || style.overflowX === 'clip') && style.textOverflow !== 'ellipsis' && el.tagName !== 'INPUT' && el.tagName !== 'SELECT') {
            out.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.')) + ' cuts off ' + (el.scrollWidth - el.clientWidth) + ' px');
          }
        }
        for (const card of document.querySelectorAll('main .card')) {
          const w = card.getBoundingClientRect().width;
          if (w < 300) out.push((card.id ? '#' + card.id : 'a card' + (card.querySelector('h2') ? ' (' + card.querySelector('h2').textContent + ')' : '')) + ' is squeezed to ' + Math.round(w) + ' px');
        }
        for (const input of document.querySelectorAll('main input, main select')) {
          const r = input.getBoundingClientRect();
          if (r.width > 0 && r.width < 200) out.push((input.name || input.id) + ' is only ' + Math.round(r.width) + ' px wide');
        }
        return out;
      })()`);
      problems.push(...(found as string[]).map((p) => `${screen}: ${p}`));
      problems.push(...(await seriousAxeFindings(narrow, `${screen} at 400 px`)));
    };
    try {
      await signInChecking(narrow, fits);
      // The runs list stacks at 400 px: nothing in it scrolls sideways, each cell is a line of its
      // own, labelled with its column's name.
      const runsLayout = await narrow.evaluate<string[]>(`(() => {
        const out = [];
        const table = document.querySelector('#runs');
        const card = table.parentElement;
        if (card.scrollWidth > card.clientWidth + 1) out.push('the runs card scrolls sideways (' + card.scrollWidth + ' px in ' + card.clientWidth + ')');
        const right = card.getBoundingClientRect().right;
        for (const tr of table.tBodies[0].rows) {
          const cells = [...tr.cells];
          for (const td of cells) {
            const r = td.getBoundingClientRect();
            if (r.right > right + 1) out.push(tr.dataset.run + ': ' + td.dataset.label + ' ends ' + Math.round(r.right - right) + ' px past the card');
            const label = getComputedStyle(td, '::before').content;
            if (label !== JSON.stringify(td.dataset.label || '?')) out.push(tr.dataset.run + ': a cell is not labelled (' + label + ')');
          }
          for (let i = 1; i < cells.length; i++) if (cells[i].getBoundingClientRect().top < cells[i - 1].getBoundingClientRect().bottom - 1) out.push(tr.dataset.run + ': cells ' + i + ' and ' + (i + 1) + ' share a line');
        }
        return out;
      })()`);
      problems.push(...runsLayout.map((problem) => `runs at 400 px: ${problem}`));
      // A run stored without a name (before-revoke's run.started names none) shows its automation id.
      const nameless = (await narrow.locator('#runs tr[data-run="before-revoke"] td:nth-child(2)').innerText()).replace(/\s+/g, ' ').trim();
      assert.match(nameless, /^(Automation )?invoice-entry v1\.2\.0$/);
      if (UPDATE) await narrow.screenshot({ path: join(SCREENSHOTS, 'console-runs-narrow.png'), fullPage: true });
      await narrow.goto(`${base}/console#/runs/run_01JAUDITFAILED0000000002`);
      await narrow.getByText('run_01JAUDITFAILED0000000002').first().waitFor();
      await narrow.locator('.tl').first().waitFor({ state: 'attached' });
      await fits('failed run');
      // The run with a model call and an extraction table (the failed run's record was edited above, on purpose).
      await narrow.goto(`${base}/console#/runs/run_01JAUDITREVIEW0000000003`);
      await narrow.getByText('run_01JAUDITREVIEW0000000003').first().waitFor();
      await narrow.locator('table.fields').first().waitFor({ state: 'attached' });
      await fits('run with an extraction');
      if (UPDATE) await narrow.screenshot({ path: join(SCREENSHOTS, 'console-run-narrow.png'), fullPage: true });
      await narrow.goto(`${base}/console#/devices`);
      await narrow.locator(`#devices tr[data-device="${device.deviceId}"]`).waitFor();
      await fits('devices');
      await narrow.goto(`${base}/console#/queues`);
      await narrow.locator('main h1, main .empty').first().waitFor();
      await fits('queues');
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, []);
  });

  it('signs out, and raised no script or CSP errors', async () => {
    await page.click('#signout');
    await page.locator('#signin-form').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
    assert.deepEqual(pageErrors, []);
  });
});
