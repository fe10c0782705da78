// The tray panel shows the engine host's real state and its "Pause schedules" pauses the real
// scheduler: real Chromium on the studio UI, the host in this process, an every-second schedule.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { tempDir, writeAutomation } from '../helpers/env.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const QUICK = { format: 1, id: 'test.quick', name: 'Quick', version: '1.0.0', steps: [{ kind: 'log', message: 'quick bot ran' }] };

describe('the tray panel and the engine host', { timeout: 180_000 }, () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const workspace = tempDir('tray-host-ws');
    mkdirSync(workspace, { recursive: true });
    writeAutomation(workspace, 'quick.json', QUICK);
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: tempDir('tray-host-home') } });
    browser = await chromium.launch({ executablePath: findBrowser(), args: ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('shows what is due next, and its Pause schedules stops the real scheduler until unticked', async () => {
    const host = studio.host!;
    const schedule = (await host.service.call('schedules.add', { id: 'workspace/quick.json', cron: '0 0 9 * * *', name: 'morning report' })) as { id: string };
    await page.goto(studio.server.url);
    await page.getByRole('link', { name: 'My bots' }).click();
    await page.getByTestId('host-schedules').getByText('Next: morning report at', { exact: false }).waitFor();
    await page.getByTestId('host-sync').getByText('not enrolled', { exact: false }).waitFor();
    await host.service.call('schedules.remove', { scheduleId: schedule.id });

    await page.getByLabel('Pause schedules').check();
    await page.getByTestId('host-schedules').getByText('Schedules are paused', { exact: false }).waitFor();
    const pausedBy = Date.now() + 10_000;
    while (!host.status().schedulesPaused) {
      assert.ok(Date.now() < pausedBy, 'the click paused the host');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const every = (await host.service.call('schedules.add', { id: 'workspace/quick.json', cron: '* * * * * *' })) as { id: string };
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal(host.engine.runsByTrigger(`schedule:${every.id}`).length, 0, 'nothing fired while paused');

    await page.getByLabel('Pause schedules').uncheck();
    const deadline = Date.now() + 15_000;
    while (host.engine.runsByTrigger(`schedule:${every.id}`).length === 0) {
      assert.ok(Date.now() < deadline, 'a fire within 15 s of unticking');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await host.service.call('schedules.remove', { scheduleId: every.id });
  });
});
