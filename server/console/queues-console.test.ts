// The console's queue pages in real Chromium against a server on real PostgreSQL: the queues
// list (counts per state, done per minute, failures, retries, abandoned leases, grants to devices
// and groups), one queue (its last hour per minute, failed, dead and retrying items) and one
// item's attempts and history. npm run docs:screenshots (RPA_SCREENSHOTS=1) rewrites docs/screenshots/console-queue*.png.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SqlClient } from '../db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from '../test-support.js';
import { findStaticDir } from './index.js';
import { seriousAxeFindings } from '../../test/helpers/axe.js';

const SCREENSHOTS = join(dirname(dirname(dirname(findStaticDir()))), 'docs', 'screenshots');
const UPDATE = process.env.RPA_SCREENSHOTS === '1' || process.env.UPDATE_SCREENSHOTS === '1';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Leased {
  id: number;
  leaseToken: string;
}

describe('audit console: central queues (Chromium, PostgreSQL)', { timeout: 240_000 }, () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let browser: Browser;
  let page: Page;
  let base: string;
  let failedId = 0;
  const pageErrors: string[] = [];

  const ok = async (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => {
    const reply = await call(app, method, url, token, body);
    assert.ok(reply.status < 300, `${method} ${url}: ${reply.status} ${reply.text}`);
    return reply.body;
  };
  const lease = async (token: string, queue: string, max: number, leaseMs = 60_000, completions?: Leased[]) =>
    (await ok('POST', `/v1/queues/${queue}/lease`, token, { worker: 'ws-0142/worker-1', leaseMs, max, ...(completions ? { completions } : {}) }))['items'] as Leased[];

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
    const robot = await new FakeDevice().enroll(app);
    const other = await new FakeDevice().enroll(app);
    await ok('POST', '/v1/queues', ADMIN, { name: 'invoices', maxRetries: 2, backoffBaseMs: 60_000 });
    await ok('POST', '/v1/queues', ADMIN, { name: 'claims' });
    await ok('POST', '/v1/device-groups', ADMIN, { name: 'invoice-robots' });
    await ok('POST', '/v1/device-groups/invoice-robots/members', ADMIN, { deviceId: robot.deviceId });
    await ok('POST', '/v1/queues/invoices/grants', ADMIN, { group: 'invoice-robots' });
    await ok('POST', '/v1/queues/claims/grants', ADMIN, { deviceId: other.deviceId });
    await ok('POST', '/v1/queues/invoices/items', ADMIN, {
      items: Array.from({ length: 40 }, (_, i) => ({ payload: { document: `//share/invoices/2026-12/INV-${4100 + i}.pdf` }, idempotencyKey: `INV-${4100 + i}`, ...(i === 39 ? { maxRetries: 0 } : {}) })),
    });
    await ok('POST', '/v1/queues/claims/items', ADMIN, { items: Array.from({ length: 5 }, (_, i) => ({ payload: { claim: `CLM-2004-00${i}` } })) });
    // 30 done in batches (each call completes the last batch and leases the next).
    let batch = await lease(robot.token, 'invoices', 10);
    for (let round = 0; round < 3; round++) batch = await lease(robot.token, 'invoices', round < 2 ? 10 : 4, 60_000, batch.map((b) => ({ id: b.id, leaseToken: b.leaseToken })));
    // Of the next four: two business failures, one application error (retrying), one lease left to run out.
    const [f1, f2, app1, lost] = batch as [Leased, Leased, Leased, Leased];
    failedId = f1.id;
    await ok('POST', `/v1/queue-items/${f1.id}/fail`, robot.token, { leaseToken: f1.leaseToken, kind: 'business', error: { name: 'ValidationError', message: 'VAT number DE-000 is not valid' } });
    await ok('POST', `/v1/queue-items/${f2.id}/fail`, robot.token, { leaseToken: f2.leaseToken, kind: 'business', error: { name: 'DuplicateInvoiceError', message: 'INV-4131 was already posted on 2026-12-01' } });
    await ok('POST', `/v1/queue-items/${app1.id}/fail`, robot.token, { leaseToken: app1.leaseToken, kind: 'application', error: { name: 'TimeoutError', message: 'the ERP login page did not load in 30 s' } });
    await ok('POST', `/v1/queue-items/${lost.id}/heartbeat`, robot.token, { leaseToken: lost.leaseToken, leaseMs: 100 });
    // The last item may not be retried: an application error makes it dead.
    await db.query(`UPDATE queue_items SET priority = 10 WHERE idempotency_key = 'INV-4139'`);
    const [last] = await lease(robot.token, 'invoices', 1);
    await ok('POST', `/v1/queue-items/${last!.id}/fail`, robot.token, { leaseToken: last!.leaseToken, kind: 'application', error: { name: 'ERPError', message: 'posting period 2026-12 is closed' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await ok('POST', '/v1/queues/invoices/sweep', ADMIN, {});
    await lease(other.token, 'claims', 2);

    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await drop?.();
  });

  it('lists the queues with their counts, throughput, failures, retries and grants; one queue shows its last hour and its failed items; an item its attempts', async () => {
    await page.goto(`${base}/console`);
    await page.fill('#token', ADMIN);
    await page.click('#signin-submit');
    await page.locator('[data-nav="queues"]').click();
    const row = page.locator('tr[data-queue="invoices"]');
    await row.waitFor();
    const count = async (state: string) => (await row.locator(`[data-count="${state}"]`).innerText()).trim();
    assert.equal(await count('done'), '30');
    assert.equal(await count('failed'), '2');
    assert.equal(await count('dead'), '1');
    assert.equal(await count('retrying'), '2', 'the application error and the abandoned lease wait for a retry');
    assert.equal(await count('new'), '5');
    assert.match(await row.locator('[data-throughput="invoices"]').innerText(), /^0\.5\/min$/, '30 done in the last 60 minutes');
    const cells = await row.locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(8, 11), ['2', '1', '1'], 'failures, retries, abandoned in the last hour');
    assert.match(cells[11]!, /group invoice-robots/);
    assert.equal(await page.locator('tr[data-queue="claims"] [data-count="in_progress"]').innerText(), '2');
    if (UPDATE) await page.screenshot({ path: join(SCREENSHOTS, 'console-queues.png') });

    await row.locator('a').first().click();
    await page.locator('[data-tile="done-60"]').waitFor();
    assert.match(await page.locator('[data-tile="done-60"]').innerText(), /^30\b/);
    assert.match(await page.locator('[data-tile="abandoned-60"]').innerText(), /^1\b/);
    assert.match(await page.locator('[data-tile="failed-60"]').innerText(), /^2\b/);
    assert.ok((await page.locator('.chart .seg.ok').count()) >= 1, 'the per-minute chart shows the done items');
    const failedRows = page.locator('tr[data-item]').filter({ hasText: 'ValidationError' });
    assert.equal(await failedRows.count(), 1);
    assert.match(await page.locator('main').innerText(), /posting period 2026-12 is closed/);
    assert.match(await page.locator('main').innerText(), /LeaseExpiredError: abandoned/);
    if (UPDATE) await page.screenshot({ path: join(SCREENSHOTS, 'console-queue.png'), fullPage: true });

    await failedRows.locator('a').first().click();
    await page.locator('#attempts').waitFor();
    assert.match(await page.locator('.page-head h1').innerText(), new RegExp(`Item #${failedId}`));
    const outcomes = await page.locator('#attempts tbody tr').allInnerTexts();
    assert.equal(outcomes.length, 1);
    assert.match(outcomes[0]!, /failed/i);
    assert.match(outcomes[0]!, /VAT number DE-000 is not valid/);
    const history = await page.locator('#history tbody tr').allInnerTexts();
    assert.equal(history.length, 3, 'added, leased, failed');
    assert.match(history[0]!, /admin/);
    assert.deepEqual(pageErrors, []);
  });

  it('the queue pages pass axe-core: no critical or serious violation, colour contrast included', async () => {
    // The console's CSP refuses injected scripts (as it should): the checking context alone bypasses it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC', bypassCSP: true });
    const checking = await context.newPage();
    const found: string[] = [];
    const check = async (screen: string): Promise<void> => void found.push(...(await seriousAxeFindings(checking, screen)));
    try {
      await checking.goto(`${base}/console`);
      await checking.fill('#token', ADMIN);
      await checking.click('#signin-submit');
      await checking.locator('[data-nav="queues"]').click();
      await checking.locator('tr[data-queue="invoices"]').waitFor();
      await check('queues');
      await checking.goto(`${base}/console#/queues/invoices`);
      await checking.locator('[data-tile="done-60"]').waitFor();
      await check('queue invoices');
      await checking.goto(`${base}/console#/queues/invoices/items/${failedId}`);
      await checking.locator('#attempts').waitFor();
      await check(`item ${failedId}`);
    } finally {
      await context.close();
    }
    assert.deepEqual(found, []);
  });
});
