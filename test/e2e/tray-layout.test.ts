// The tray's layout as a person sees it, in real Chromium against `rpa studio`: at 1280×800 the
// cards flow down their columns without holes (a tall bot list used to push the cards of the
// next grid row far below the short ones); a long failure reason keeps the live card short (three
// lines, then "Show more", the whole text still there for a screen reader); axe finds nothing
// critical or serious; each column scrolls on its own, so a long run result in "Recent runs" never
// pushes the live run or the review inbox out of sight. Screenshots go to a temporary folder (docs/screenshots with npm run docs:screenshots).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { seriousAxeFindings } from '../helpers/axe.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const LONG_REASON =
  'the supplier portal answered with an error page instead of the invoice list: "Service temporarily unavailable — the upstream ledger service did not answer within 30 seconds (request 7f3a9c21, node eu-west-2b, retry after 120 s)"; ' +
  'the bot stopped before entering anything, so no invoice was posted twice. Check that the portal is up, then run the bot again; if it keeps failing, send this message to your automation team with the time of the run.';

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every card of the tray, with its box relative to the tray's content (scroll included). */
async function cards(page: Page): Promise<{ cards: Box[]; top: number; gap: number }> {
  return await page.evaluate(`(() => {
    const tray = document.querySelector('.tray');
    const origin = tray.getBoundingClientRect();
    const style = getComputedStyle(tray);
    const cards = [...tray.children].filter((c) => c.tagName === 'SECTION').map((c) => {
      const r = c.getBoundingClientRect();
      return { name: c.getAttribute('aria-label') ?? c.querySelector('h2')?.textContent ?? '?', x: r.x - origin.x, y: r.y - origin.y + tray.scrollTop, width: r.width, height: r.height };
    });
    return { cards, top: parseFloat(style.paddingTop), gap: parseFloat(style.rowGap) };
  })()`);
}

/** Holes: a card whose top is further below the card above it (or the tray's top) than the grid's gap. */
function holes(layout: { cards: Box[]; top: number; gap: number }): string[] {
  const found: string[] = [];
  const overlapsAcross = (a: Box, b: Box) => a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1;
  for (const card of layout.cards) {
    const above = layout.cards.filter((other) => other !== card && overlapsAcross(card, other) && other.y + other.height <= card.y + 1);
    const floor = above.length ? Math.max(...above.map((a) => a.y + a.height)) + layout.gap : layout.top;
    const hole = card.y - floor;
    if (hole > 4) found.push(`${card.name}: ${Math.round(hole)} px of empty space above it${above.length ? '' : ' (top of the tray)'}`);
    for (const other of layout.cards) {
      if (other !== card && overlapsAcross(card, other) && card.y < other.y && card.y + card.height > other.y + 1) found.push(`${card.name} overlaps ${other.name}`);
    }
  }
  return found;
}

describe('the tray layout at 1280×800 and a long failure reason', { timeout: 300_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const workspace = tempDir('tray-layout-ws');
    mkdirSync(workspace, { recursive: true });
    // A bot list as tall as the examples' (long descriptions), which is what made the holes.
    for (let i = 1; i <= 6; i++) {
      writeAutomation(workspace, `a${i}-bot.json`, {
        format: 1,
        id: `test.bot${i}`,
        name: `Invoice step ${i}`,
        version: '1.0.0',
        description: 'Reads every invoice in a folder, extracts vendor, invoice number, dates and total, and sends any invoice with a low-confidence field to human review before entering it.',
        steps: [{ kind: 'log', message: 'hello' }],
      });
    }
    writeAutomation(workspace, 'b-portal.json', {
      format: 1,
      id: 'test.portal',
      name: 'Supplier portal check',
      version: '1.0.0',
      steps: [{ kind: 'flow.fail', name: 'the portal answers', message: LONG_REASON }],
    });
    // A run with many outputs: its result makes the "Recent runs" column taller than the window.
    const outputs = Array.from({ length: 36 }, (_, i) => `field${i + 1}`);
    writeAutomation(workspace, 'c-outputs.json', {
      format: 1,
      id: 'test.outputs',
      name: 'Claim export',
      version: '1.0.0',
      outputs,
      steps: outputs.map((name, i) => ({ kind: 'flow.set', var: name, value: `value ${i + 1} of the exported claim` })),
    });
    writeAutomation(workspace, 'd-review.json', {
      format: 1,
      id: 'test.review',
      name: 'Confirm an amount',
      version: '1.0.0',
      steps: [{ kind: 'human.review', title: 'Check the claim amount', values: { amount: '120.00' }, into: 'answer' }],
    });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: tempDir('tray-layout-home') } });
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'My bots' }).click();
    await page.getByRole('button', { name: 'Run Supplier portal check' }).waitFor();
    await page.getByTestId('host-status').waitFor();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('at 1280×800 the cards flow down their columns without holes', async () => {
    const layout = await cards(page);
    assert.equal(layout.cards.length, 5, `five cards: ${layout.cards.map((c) => c.name).join(', ')}`);
    assert.deepEqual(holes(layout), [], 'no holes between the cards');
    // Every card is in the first screen's width, and the first screen shows more than one column.
    assert.ok(layout.cards.every((c) => c.x >= 0 && c.x + c.width <= 1280), 'no card is cut off at the right');
    assert.ok(new Set(layout.cards.map((c) => Math.round(c.x))).size >= 3, 'three columns at 1280 px');
    await page.screenshot({ path: screenshotPath('tray-wide.png') });
  });

  it('at 1280×800 each column scrolls on its own: a long run result leaves the live run, the review inbox and the bots in place', async () => {
    const runBot = async (name: string): Promise<void> => {
      await page.getByRole('button', { name: `Run ${name}` }).click();
      await page.getByRole('form', { name: `Run ${name}` }).getByRole('button', { name: 'Run', exact: true }).click();
    };
    await runBot('Confirm an amount');
    await page.getByRole('listitem', { name: 'Review: Check the claim amount' }).waitFor({ timeout: 60_000 });
    await runBot('Claim export');
    const recentList = page.getByRole('list', { name: 'Recent runs' });
    await recentList.getByRole('button', { name: /Claim export/ }).filter({ hasText: 'passed' }).waitFor({ timeout: 60_000 });
    await recentList.getByRole('button', { name: /Claim export/ }).click();
    await page.getByRole('dialog', { name: 'Result: Claim export' }).getByText('value 36 of the exported claim').waitFor();

    const region = (name: string) => page.getByRole('region', { name });
    const top = async (name: string): Promise<number> => (await region(name).boundingBox())!.y;
    const recent = region('Recent runs');
    const recentScroll = async (): Promise<{ top: number; height: number; client: number }> =>
      await page.evaluate<{ top: number; height: number; client: number }>(`(() => { const el = document.querySelector('.recent-panel'); return { top: el.scrollTop, height: el.scrollHeight, client: el.clientHeight }; })()`);
    const before = { live: await top('Now running'), review: await top('Review inbox'), bots: await top('Bots') };
    const recentBox = (await recent.boundingBox())!;
    assert.ok(recentBox.y + recentBox.height <= 801, `the Recent runs column ends inside the window (its bottom at ${Math.round(recentBox.y + recentBox.height)} px of 800)`);
    const scroll = await recentScroll();
    assert.ok(scroll.height > scroll.client + 100, `the long result scrolls inside its own column (${scroll.height} px of content in ${scroll.client} px)`);

    // The wheel over the Recent runs column scrolls that column, and nothing else moves.
    await page.mouse.move(recentBox.x + recentBox.width / 2, recentBox.y + recentBox.height / 2);
    await page.mouse.wheel(0, 3000);
    await page.waitForFunction("(document.querySelector('.recent-panel')?.scrollTop ?? 0) > 0", undefined, { timeout: 5000 }).catch(() => undefined);
    assert.ok((await recentScroll()).top > 0, 'the Recent runs column scrolled');
    const after = { live: await top('Now running'), review: await top('Review inbox'), bots: await top('Bots') };
    assert.deepEqual(after, before, 'the live run, the review inbox and the bots stay where they were');
    const card = (await page.getByRole('listitem', { name: 'Review: Check the claim amount' }).boundingBox())!;
    assert.ok(card.y >= 0 && card.y < 800, `the review card is in sight (top at ${Math.round(card.y)} px)`);
    await page.screenshot({ path: screenshotPath('tray-wide-columns.png') });

    // The wheel over the left column does not move the other two.
    const recentTop = (await recent.boundingBox())!.y;
    const reviewBox = (await region('Review inbox').boundingBox())!;
    await page.mouse.move(reviewBox.x + reviewBox.width / 2, reviewBox.y + 20);
    await page.mouse.wheel(0, 2000);
    await page.waitForTimeout(300);
    assert.equal((await recent.boundingBox())!.y, recentTop, 'Recent runs stays in place');
    assert.equal(await top('Bots'), before.bots, 'the bots stay in place');
    await page.getByRole('dialog', { name: 'Result: Claim export' }).getByRole('button', { name: 'Close the result' }).click();
    assert.deepEqual(await seriousAxeFindings(page, 'tray at 1280 px with a long result'), []);
  });

  it('at 900 px (two columns) My bots scrolls in its own column and the live run and reviews stay put', async () => {
    await page.setViewportSize({ width: 900, height: 800 });
    try {
      const region = (name: string) => page.getByRole('region', { name });
      const bots = (await region('Bots').boundingBox())!;
      assert.ok(bots.y + bots.height <= 801, `My bots ends inside the window (its bottom at ${Math.round(bots.y + bots.height)} px of 800)`);
      const before = [(await region('Now running').boundingBox())!.y, (await region('Review inbox').boundingBox())!.y];
      await page.mouse.move(bots.x + bots.width / 2, bots.y + bots.height / 2);
      await page.mouse.wheel(0, 2000);
      await page.waitForTimeout(300);
      const after = [(await region('Now running').boundingBox())!.y, (await region('Review inbox').boundingBox())!.y];
      assert.deepEqual(after, before, 'the live run and the review inbox stay where they were');
      await page.screenshot({ path: screenshotPath('tray-two-columns.png') });
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('clamps a long failure reason on the live card, with "Show more" that a keyboard and a screen reader reach', async () => {
    await page.setViewportSize({ width: 400, height: 760 });
    await page.getByRole('button', { name: 'Run Supplier portal check' }).click();
    await page.getByRole('form', { name: 'Run Supplier portal check' }).getByRole('button', { name: 'Run', exact: true }).click();
    const live = page.getByTestId('live-progress').filter({ hasText: 'Supplier portal check' });
    await live.getByText('failed').waitFor({ timeout: 60_000 });
    const reason = live.getByTestId('live-reason');
    await reason.waitFor();
    // The whole reason is in the page (a screen reader reads it all); only its height is clamped.
    assert.match((await reason.textContent()) ?? '', /send this message to your automation team/);
    const lineHeight = await reason.evaluate((el) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { lineHeight: string } }).getComputedStyle(el).lineHeight));
    const clamped = (await reason.boundingBox())!.height;
    assert.ok(clamped <= lineHeight * 3 + 2, `the reason shows at most 3 lines (${clamped} px, a line is ${lineHeight} px)`);
    const card = (await live.boundingBox())!;
    assert.ok(card.height < 200, `the live card stays short (${card.height} px)`);
    const more = live.getByRole('button', { name: 'Show more' });
    assert.equal(await more.getAttribute('aria-expanded'), 'false');
    await page.screenshot({ path: screenshotPath('tray-long-reason.png') });
    await more.focus();
    await page.keyboard.press('Enter');
    const less = live.getByRole('button', { name: 'Show less' });
    await less.waitFor();
    assert.equal(await less.getAttribute('aria-expanded'), 'true');
    assert.ok((await reason.boundingBox())!.height > lineHeight * 4, 'Show more shows the whole reason');
    assert.deepEqual(await seriousAxeFindings(page, 'tray (long failure reason)'), []);
    await less.click();
    assert.ok((await reason.boundingBox())!.height <= lineHeight * 3 + 2, 'Show less clamps it again');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('loads without a single failed request: the page declares its icon, so no /favicon.ico 404', async () => {
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const failed: string[] = [];
    fresh.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    fresh.on('requestfailed', (request) => failed.push(`failed ${request.url().slice(0, 80)}`));
    try {
      await fresh.goto(studio.server.url);
      await fresh.getByRole('link', { name: 'My bots' }).click();
      await fresh.getByRole('button', { name: 'Run Supplier portal check' }).waitFor();
      await fresh.waitForTimeout(1500); // the browser asks for an icon after the page loaded
      assert.deepEqual(failed, []);
      assert.equal(await fresh.locator('link[rel="icon"]').count(), 1, 'the page names its icon');
    } finally {
      await fresh.close();
    }
  });

  it('axe finds nothing critical or serious on the wide tray', async () => {
    assert.deepEqual(await seriousAxeFindings(page, 'tray at 1280 px'), []);
  });
});
