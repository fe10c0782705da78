// The studio as a builder debugs with it, in real Chromium against `rpa studio` and the demo
// system: saving with a comment and seeing which steps changed between versions (not JSON
// lines); a run with a breakpoint opens its browser in a window (under Xvfb here), pauses
// with the step highlighted and its variables shown; "test this locator" tries each candidate
// on the paused run's page (one element, nothing, several) and outlines what it finds; Step
// runs one step and pauses at the next.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD, startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { serveStudio, type RunningStudio } from '../../cli/commands/studio.js';
import { findBrowser } from '../../engine/runner/browser-finder.js';
import { missingDesktopTools, startVirtualDisplay, type VirtualDisplay } from '../fixtures/desktop/virtual-display.js';
import { EXAMPLES, tempDir } from '../helpers/env.js';
import { screenshotPath } from '../helpers/screenshots.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const skip = missingDesktopTools();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

describe('debugging in the studio', { timeout: 300_000, skip: skip ?? false }, () => {
  let demo: DemoSystem;
  let display: VirtualDisplay;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  let home: string;
  let workspace: string;

  before(async () => {
    display = await startVirtualDisplay();
    // The studio's engine runs in this process: a debug run's visible browser opens on our display.
    process.env['DISPLAY'] = display.display;
    demo = await startDemoSystem({ port: 0 });
    workspace = tempDir('debugger-ws');
    home = tempDir('debugger-home');
    cpSync(EXAMPLES, workspace, { recursive: true });
    studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: home, RPA_SECRET_PORTALPASSWORD: DEMO_PASSWORD } });
    browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
    await page.goto(studio.server.url);
    await page.getByRole('button', { name: /Sign in to Acme Mutual/ }).click();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    await demo?.close();
    await display?.stop();
    for (const dir of [home, workspace]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows which steps changed between two versions, with the version comment', { timeout: 120_000 }, async () => {
    await page.getByRole('gridcell', { name: /signed in/ }).click();
    await page.getByRole('region', { name: 'Step 5' }).getByLabel('name', { exact: true }).fill('signed in as the clerk');
    await page.getByLabel('Version comment').fill('clearer name for the check');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    await page.getByRole('button', { name: 'Show changes' }).click();
    const changes = page.getByRole('list', { name: 'Changed steps' });
    await changes.waitFor();
    const items = changes.locator(':scope > li');
    assert.equal(await items.count(), 1, 'one step changed');
    assert.equal(await items.first().getAttribute('data-change'), 'changed');
    const text = (await items.first().textContent()) ?? '';
    assert.match(text, /edited/);
    assert.match(text, /step 5/);
    assert.match(text, /name: signed in → signed in as the clerk/);
    await page.getByRole('region', { name: 'Versions' }).getByText('clearer name for the check').first().waitFor();
    await page.getByText('4 step(s) unchanged.').waitFor();
    // The JSON lines are still there for those who want them.
    await page.getByLabel('Show the JSON lines').check();
    await page.getByTestId('diff').getByText('+      "name": "signed in as the clerk",').waitFor();

    // Delete step 2 (the user name), save: the diff names the removed step.
    await page.getByRole('gridcell', { name: /fill User name field/ }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByLabel('Version comment').fill('sign in without a user name');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 3.').waitFor();
    await page.getByRole('region', { name: 'Versions' }).getByText(/^v3 ·/).waitFor();
    await page.getByRole('button', { name: 'Show changes' }).click();
    await changes.locator('[data-change="removed"]').getByText(/step 2/).waitFor();
    assert.equal(await changes.locator(':scope > li').count(), 1);
    await page.getByRole('region', { name: 'Versions' }).screenshot({ path: screenshotPath('studio-step-diff.png') });
    // Put the step back for the debugging case (version 4, same steps as version 2).
    await page.getByRole('region', { name: 'Versions' }).getByLabel('from').selectOption('3');
    await page.getByRole('region', { name: 'Versions' }).getByLabel('to').selectOption('2');
    await page.getByRole('button', { name: 'Show changes' }).click();
    await changes.locator('[data-change="added"]').getByText(/step 2/).waitFor();
  });

  it('pauses a run in a visible browser, shows its variables, tests locators on the live page and steps one step', { timeout: 180_000 }, async () => {
    // Back to the example's steps: a fresh copy of the file, opened again in the editor.
    cpSync(`${EXAMPLES}/login.json`, `${workspace}/login.json`);
    await page.getByRole('button', { name: /File a claim/ }).first().click();
    await page.getByRole('button', { name: /Sign in to Acme Mutual/ }).click();
    await page.getByRole('gridcell', { name: /fill User name field/ }).waitFor();
    // The sidebar counts the steps of the file as reloaded (5), not as last saved here (4).
    const entry = page.getByRole('complementary', { name: 'Automations' }).getByRole('button', { name: /Sign in to Acme Mutual/ });
    await entry.getByText(/· 5 steps/).waitFor({ timeout: 15_000 });

    // Without a paused run, the inspector says how to get a live page.
    await page.getByRole('gridcell', { name: /click Sign in button/ }).click();
    await page.getByText(/set a breakpoint on this step and run/).waitFor();

    await page.getByRole('button', { name: 'Set breakpoint at step 4' }).click();
    const runForm = page.getByRole('region', { name: 'Run' });
    await runForm.getByLabel('baseUrl').fill(demo.url);
    await runForm.getByRole('button', { name: 'Run', exact: true }).click();
    await runForm.getByText('paused at a breakpoint').waitFor({ timeout: 90_000 });
    await runForm.getByTestId('browser-note').getByText(/open in its own window/).waitFor();
    // The browser really is a window on the display.
    const windows = spawnSync('xdotool', ['search', '--onlyvisible', '--class', 'chromium'], { env: display.env }).stdout.toString().trim();
    assert.notEqual(windows, '', 'a visible Chromium window is open on the display');

    // The step about to run is highlighted in the list and shown in the inspector.
    assert.match((await page.locator('.step-row[data-index="3"]').getAttribute('class')) ?? '', /paused/);
    await page.getByRole('region', { name: 'Step 4' }).waitFor();
    await runForm.getByTestId('paused-step').getByText(/step 4 · click Sign in button/).waitFor();

    // Variables: inputs as given; the secret never shows.
    const variables = page.getByRole('region', { name: 'Variables' });
    await variables.getByText('inputs.baseUrl').waitFor();
    assert.match((await variables.textContent()) ?? '', new RegExp(demo.url.replace(/[.]/g, '\\.')));
    assert.doesNotMatch((await page.content()) ?? '', new RegExp(DEMO_PASSWORD));
    await runForm.screenshot({ path: screenshotPath('studio-debugger-variables.png') });

    // Test this locator: both candidates find the Sign in button; the first is the one used.
    const inspector = page.getByRole('region', { name: 'Step 4' });
    await inspector.getByRole('button', { name: 'Test on the live page' }).click();
    await inspector.getByTestId('verdict-1').getByText(/finds 1 element <input> "Sign in" — the step would use this one/).waitFor();
    await inspector.getByTestId('verdict-2').getByText(/finds 1 element <input>/).waitFor();
    await inspector.getByTestId('locator-test').getByText(/the step would use candidate 1\. Candidate 1's elements are outlined/).waitFor();

    // A candidate that finds several elements is called ambiguous; one that finds none says so.
    await inspector.getByRole('button', { name: 'Add candidate' }).click();
    const third = inspector.getByRole('textbox', { name: 'candidate 3' });
    await third.fill('{"css":"input"}');
    await third.blur();
    await inspector.getByRole('button', { name: 'Add candidate' }).click();
    const fourth = inspector.getByRole('textbox', { name: 'candidate 4' });
    await fourth.fill('{"css":"#no-such-thing"}');
    await fourth.blur();
    await inspector.getByRole('button', { name: 'Test candidate 3 and outline what it finds' }).click();
    await inspector.getByTestId('verdict-3').getByText(/finds \d+ elements.*ambiguous: the step skips it/).waitFor();
    await inspector.getByTestId('verdict-4').getByText('finds nothing on the page').waitFor();
    await inspector.getByTestId('locator-test').getByText(/Candidate 3's elements are outlined in the browser/).waitFor();
    await page.screenshot({ path: screenshotPath('studio-debugger.png') });
    // The paused editor (step list with a breakpoint and a paused row, verdicts, variables,
    // debugger controls) passes axe-core like the other screens.
    await page.addScriptTag({ path: AXE });
    const { violations } = await page.evaluate<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }> }>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`);
    const serious = violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
    assert.deepEqual(serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), [], 'no critical or serious axe violation while paused');
    // What the builder sees in the visible browser: the outlined inputs.
    spawnSync('scrot', ['-o', screenshotPath('studio-debugger-browser.png')], { env: display.env });
    // Leave the unsaved candidates out of the saved file.
    await inspector.getByRole('button', { name: 'Remove candidate 4' }).click();
    await inspector.getByRole('button', { name: 'Remove candidate 3' }).click();

    // Step: runs step 4 (sign in) and pauses before step 5, which is now the highlighted one.
    await runForm.getByRole('button', { name: 'Step', exact: true }).click();
    await runForm.getByTestId('paused-step').getByText(/step 5 · signed in/).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.step-row[data-index="3"]').getAttribute('data-status'), 'passed');
    assert.match((await page.locator('.step-row[data-index="4"]').getAttribute('class')) ?? '', /paused/);
    // The assert step's target is tried on the page that step 4 reached.
    await page.getByRole('region', { name: 'Step 5' }).getByRole('button', { name: 'Test on the live page' }).click();
    await page.getByRole('region', { name: 'Step 5' }).getByTestId('verdict-1').getByText(/finds 1 element .*Welcome, clerk/).waitFor();

    await runForm.getByRole('button', { name: 'Continue' }).click();
    await runForm.getByRole('button', { name: 'Run', exact: true }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.step-row[data-index="4"]').getAttribute('data-status'), 'passed');
  });
});
