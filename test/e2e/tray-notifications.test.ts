// The browser studio's notifications, in real Chromium against `rpa studio`: the tray offers to
// notify; once the browser's permission is given, a run that ends (passed, with its outputs, or
// failed, with why) and a run that waits for a review each show a Web Notification under the
// bot's name, also on another screen than the tray. Refused permission is said plainly.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

interface Shown {
  title: string;
  body: string;
  tag: string;
}

// Keeps every notification the page shows on window.__shown (the real constructor still runs).
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const shown = (window.__shown = []);
  class Recorded extends Real {
    constructor(title, options = {}) {
      super(title, options);
      shown.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
    }
  }
  window.Notification = Recorded;
})();`;

describe('notifications in the browser studio', { timeout: 300_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let home: string;
  let workspace: string;

  before(async () => {
    home = tempDir('notify-home');
    workspace = tempDir('notify-ws');
    writeAutomation(workspace, 'quick.json', { format: 1, id: 'test.quick', name: 'Quick', version: '1.0.0', outputs: ['claim'], steps: [{ kind: 'flow.set', var: 'claim', value: 'CLM-7' }] });
    writeAutomation(workspace, 'broken.json', { format: 1, id: 'test.broken', name: 'Broken', version: '1.0.0', steps: [{ kind: 'flow.fail', message: 'the claim is a duplicate' }] });
    writeAutomation(workspace, 'confirm.json', { format: 1, id: 'test.confirm', name: 'Confirm an amount', version: '1.0.0', steps: [{ kind: 'human.review', title: 'Check the claim amount', values: { amount: '120.00' }, into: 'answer' }] });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    for (const dir of [home, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.addInitScript(RECORD_NOTIFICATIONS);
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'My bots' }).click();
    return page;
  }

  // Functions, not strings: the studio's Content-Security-Policy forbids eval.
  type Recording = { __shown: Shown[] };
  const shown = (page: Page): Promise<Shown[]> => page.evaluate(() => (globalThis as unknown as Recording).__shown);
  const waitFor = (page: Page, title: string): Promise<unknown> => page.waitForFunction((t) => (globalThis as unknown as Recording).__shown.some((n) => n.title === t), title, { timeout: 90_000 });
  const start = async (name: string): Promise<string> => {
    const list = (await studio.service.call('automations.list', {})) as Array<{ id: string; name: string }>;
    return ((await studio.service.call('runs.start', { id: list.find((a) => a.name === name)!.id, inputs: {} })) as { runId: string }).runId;
  };

  it('asks, then tells when a run ends or needs a review', { timeout: 200_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 400, height: 760 } });
    try {
      const page = await open(context);
      const ask = page.getByRole('button', { name: 'Notify me when a bot finishes or needs review' });
      await ask.waitFor();
      await page.screenshot({ path: screenshotPath('tray-notifications-ask.png') });
      await context.grantPermissions(['notifications']);
      await ask.click();
      await ask.waitFor({ state: 'detached' });

      await start('Quick');
      await waitFor(page, 'Quick finished');
      await start('Broken');
      await waitFor(page, 'Broken failed');
      // On the studio screen too: the notification does not depend on the tray being shown.
      await page.getByRole('link', { name: 'Studio' }).click();
      await start('Confirm an amount');
      await waitFor(page, 'Confirm an amount needs your review');

      const all = await shown(page);
      assert.equal(all.find((n) => n.title === 'Quick finished')?.body, 'claim: CLM-7');
      assert.match(all.find((n) => n.title === 'Broken failed')?.body ?? '', /the claim is a duplicate/);
      const review = all.find((n) => n.title === 'Confirm an amount needs your review')!;
      assert.equal(review.body, 'Check the claim amount');
      // One tag per run: a second tab telling the same news replaces the notification.
      assert.equal(new Set(all.map((n) => n.tag)).size, all.length);
    } finally {
      await context.close();
    }
  });

  it('says plainly when the browser refused notifications', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 400, height: 760 } });
    try {
      const page = await open(context);
      const ask = page.getByRole('button', { name: 'Notify me when a bot finishes or needs review' });
      // Headless Chromium refuses a permission nobody granted.
      await ask.click();
      await page.getByTestId('notifications-blocked').waitFor();
      const runId = await start('Quick');
      for (const deadline = Date.now() + 60_000; ; ) {
        if (((await studio.service.call('runs.get', { runId })) as { status: string }).status === 'passed') break;
        assert.ok(Date.now() < deadline, 'the run ended');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // The page heard the run end (its recent runs list it) and still showed nothing.
      await page.getByRole('region', { name: 'Recent runs' }).getByText('passed').first().waitFor({ timeout: 30_000 });
      assert.deepEqual(await shown(page), []);
    } finally {
      await context.close();
    }
  });
});
