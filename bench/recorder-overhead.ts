// bench/recorder-overhead: what the browser recorder adds to each user event.
//
//   npx tsc -p tsconfig.json && node scripts/build-page.mjs && node dist/bench/recorder-overhead.js [--quick]
//
// The same page (a 50-row work list: an "Approve" button per row, a text field) is driven with
// the same real input (CDP mouse clicks on the buttons, key presses into the field) in
//   A  a plain playwright-core context (no recorder), and
//   B  a recording session (startRecording, headless): the page-side recorder injected, every
//      click turned into ranked, checked locator candidates, a fingerprint and a binding call.
// Two measures per event:
//   in-page   the page's own handler (bubble phase, on the element) reads
//             performance.now() - event.timeStamp: how late the page gets the event, which
//             includes the recorder's synchronous capture-phase work;
//   end-to-end  Node-side time of page.mouse.click / keyboard.press (dispatch and every
//             synchronous handler, as the person would feel it).
// A and B alternate in rounds after a warm-up. Results: bench/results/recorder-overhead.json.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { startRecording } from '../recorder/api.js';
import { round3, summarize, table, type Summary } from './stats.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'recorder-overhead.json');
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 6;
const CLICKS_PER_ROUND = quick ? 25 : 50; // 6 × 50 = 300 clicks per side
const KEYS_PER_ROUND = quick ? 20 : 40;

const PAGE = `<!DOCTYPE html><html><head><title>Work list</title></head><body>
<h1>Work list</h1><label>Comment <input name="comment" id="comment"></label>
<table id="work"><thead><tr><th>Item</th><th>Status</th><th></th></tr></thead><tbody>
${Array.from({ length: 50 }, (_, i) => `<tr><td>Item ${i + 1}</td><td class="status">open</td><td><button type="button" data-row="${i + 1}"><span>Approve</span> ${i + 1}</button></td></tr>`).join('\n')}
</tbody></table>
<script>
window.__lat = [];
document.getElementById('work').addEventListener('click', function (e) {
  window.__lat.push(performance.now() - e.timeStamp);
  var b = e.target.closest('button'); if (b) b.closest('tr').querySelector('.status').textContent = 'approved';
});
document.getElementById('comment').addEventListener('keydown', function (e) { window.__lat.push(performance.now() - e.timeStamp); });
</script></body></html>`;

interface Samples {
  clickInPage: number[];
  clickEndToEnd: number[];
  keyInPage: number[];
  keyEndToEnd: number[];
}

async function drive(page: Page, into: Samples): Promise<void> {
  await page.evaluate(() => ((globalThis as unknown as { __lat: number[] }).__lat = []));
  const boxes: Array<{ x: number; y: number }> = [];
  for (let i = 0; i < CLICKS_PER_ROUND; i++) {
    const box = await page.locator(`button[data-row="${(i % 25) + 1}"]`).boundingBox(); // rows 1-25 are all in view
    boxes.push({ x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 });
  }
  for (const box of boxes) {
    const started = performance.now();
    await page.mouse.click(box.x, box.y);
    into.clickEndToEnd.push(performance.now() - started);
  }
  into.clickInPage.push(...(await page.evaluate(() => (globalThis as unknown as { __lat: number[] }).__lat)));
  await page.evaluate(() => ((globalThis as unknown as { __lat: number[] }).__lat = []));
  await page.locator('#comment').focus();
  for (let i = 0; i < KEYS_PER_ROUND; i++) {
    const started = performance.now();
    await page.keyboard.press(String.fromCharCode(97 + (i % 26)));
    into.keyEndToEnd.push(performance.now() - started);
  }
  into.keyInPage.push(...(await page.evaluate(() => (globalThis as unknown as { __lat: number[] }).__lat)));
}

function empty(): Samples {
  return { clickInPage: [], clickEndToEnd: [], keyInPage: [], keyEndToEnd: [] };
}

async function main(): Promise<void> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const plainContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const plain = await plainContext.newPage();
  await plain.goto(url);
  const session = await startRecording({ url, headless: true, executablePath: CHROMIUM });
  const recorded = session.page;

  const a = empty();
  const b = empty();
  await drive(plain, empty()); // warm-up
  await drive(recorded, empty());
  for (let round = 0; round < ROUNDS; round++) {
    await plain.reload();
    await recorded.reload();
    await drive(plain, a);
    await drive(recorded, b);
  }
  const steps = session.steps().filter((s) => s.kind === 'browser.click').length;
  await session.stop();
  await browser.close();
  server.close();
  if (a.clickInPage.length !== b.clickInPage.length) throw new Error(`the page saw ${a.clickInPage.length} clicks without the recorder and ${b.clickInPage.length} with it`);
  if (steps < ROUNDS * CLICKS_PER_ROUND) throw new Error(`the recorder recorded ${steps} clicks, expected at least ${ROUNDS * CLICKS_PER_ROUND}`);

  const measure = (name: string, plainSamples: number[], recorderSamples: number[]): Record<string, unknown> => {
    const p: Summary = summarize(plainSamples);
    const r: Summary = summarize(recorderSamples);
    return {
      name,
      n: r.n,
      plainMs: { p50: round3(p.median), p95: round3(p.p95), mean: round3(p.mean) },
      recorderMs: { p50: round3(r.median), p95: round3(r.p95), mean: round3(r.mean) },
      addedMs: { p50: round3(r.median - p.median), p95: round3(r.p95 - p.p95), mean: round3(r.mean - p.mean) },
      ratioP50: round3(r.median / Math.max(p.median, 0.001)),
    };
  };
  const results = [
    measure('click, in-page (event → page handler)', a.clickInPage, b.clickInPage),
    measure('click, end-to-end (page.mouse.click)', a.clickEndToEnd, b.clickEndToEnd),
    measure('key press, in-page', a.keyInPage, b.keyInPage),
    measure('key press, end-to-end (keyboard.press)', a.keyEndToEnd, b.keyEndToEnd),
  ];
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    machine: { os: `${os.type()} ${os.release()}`, cpu: cpus[0]?.model.trim() ?? 'unknown', cores: cpus.length, loadavg: os.loadavg().map((l) => round3(l)) },
    browser: CHROMIUM,
    rounds: ROUNDS,
    clicksPerSide: ROUNDS * CLICKS_PER_ROUND,
    keysPerSide: ROUNDS * KEYS_PER_ROUND,
    targetAddedMsPerEvent: 5,
    results,
  };
  console.log(table([
    ['measure', 'n', 'plain p50', 'recorder p50', 'added p50', 'added p95', 'ratio p50'],
    ...results.map((r) => {
      const x = r as { name: string; n: number; plainMs: { p50: number }; recorderMs: { p50: number }; addedMs: { p50: number; p95: number }; ratioP50: number };
      return [x.name, x.n, x.plainMs.p50, x.recorderMs.p50, x.addedMs.p50, x.addedMs.p95, x.ratioP50];
    }),
  ]));
  if (!quick) {
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${RESULTS_FILE}`);
  }
}

await main();
