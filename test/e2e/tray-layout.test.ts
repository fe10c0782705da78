// The tray's layout as a person sees it, in real Chromium against `rpa studio`: at 1280×800 the
// cards flow down their columns without holes (a tall bot list used to push the cards of the
// next grid row far below the short ones); a long failure reason keeps the live card short (three
// lines, then "Show more", the whole text still there for a screen reader); axe finds nothing
// critical or serious. Screenshots go to a temporary folder (docs/screenshots with npm run docs:screenshots).
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

  it('axe finds nothing critical or serious on the wide tray', async () => {
    assert.deepEqual(await seriousAxeFindings(page, 'tray at 1280 px'), []);
  });
});
