// Studio UI benchmark → bench/results/ui.json: first render after the server is up, and a
// 1,000-step automation in the editor: frame times while scrolling the (virtualized) step
// list, and the time from an edit to the list showing it. Headless Chromium, this machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveStudio } from '../cli/commands/studio.js';
import { findBrowser } from '../engine/runner/browser-finder.js';
import { REPO_ROOT, tempDir, writeAutomation } from '../test/helpers/env.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const STEPS = 1000;

const workspace = tempDir('bench-ui');
writeAutomation(workspace, 'big.json', {
  format: 1,
  id: 'bench.big',
  name: 'A thousand steps',
  version: '1.0.0',
  steps: Array.from({ length: STEPS }, (_, i) => ({ kind: 'log', name: `step number ${i + 1}`, message: `message ${i + 1}` })),
});
const studio = await serveStudio({ workspace, env: { ...process.env, RPA_HOME: tempDir('bench-ui-home') } });
const browser = await chromium.launch({ executablePath: findBrowser(), headless: true, args: ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const firstRender: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await page.goto(studio.server.url);
    await page.getByRole('button', { name: /A thousand steps/ }).waitFor();
    firstRender.push(performance.now() - t0);
    await page.goto('about:blank');
  }
  await page.goto(`${studio.server.url}`);
  await page.getByRole('button', { name: /A thousand steps/ }).click();
  await page.getByTestId('step-list').getByText('step number 1', { exact: true }).waitFor();
  // Scroll the list top to bottom in 60 animation frames, recording each frame's duration.
  const frames = await page.evaluate<number[]>(`new Promise((resolve) => {
    const list = document.querySelector('[data-testid="step-list"]');
    const times = [];
    let last = performance.now();
    let n = 0;
    const tick = (now) => {
      times.push(now - last);
      last = now;
      list.scrollTop = (list.scrollHeight - list.clientHeight) * (++n / 60);
      if (n < 60) requestAnimationFrame(tick); else resolve(times.slice(1));
    };
    requestAnimationFrame(tick);
  })`);
  await page.getByTestId('step-list').getByText('step number 1000', { exact: true }).waitFor();
  // An edit: rename the last step in the inspector and time until its row shows the new name.
  await page.getByRole('gridcell', { name: /step number 1000/ }).click();
  const edits: number[] = [];
  for (let i = 0; i < 5; i++) {
    const field = page.getByRole('region', { name: 'Step 1000' }).getByLabel('name', { exact: true });
    const t0 = performance.now();
    await field.fill(`renamed ${i}`);
    await page.getByTestId('step-list').getByText(`renamed ${i}`, { exact: true }).waitFor();
    edits.push(performance.now() - t0);
  }
  const sorted = [...frames].sort((a, b) => a - b);
  const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const round = (n: number): number => Math.round(n * 10) / 10;
  const results = {
    date: new Date().toISOString(),
    machine: 'headless Chromium, 2 shared cores',
    firstRenderMs: { runs: firstRender.map(round), median: round([...firstRender].sort((a, b) => a - b)[2]!), target: 1000 },
    scroll1000Steps: { frames: frames.length, frameMsMedian: round(pct(50)), frameMsP95: round(pct(95)), frameMsMax: round(sorted.at(-1)!) },
    editInLargeAutomationMs: { runs: edits.map(round), median: round([...edits].sort((a, b) => a - b)[2]!) },
  };
  const out = path.join(REPO_ROOT, 'bench', 'results', 'ui.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser.close();
  await studio.close();
}
