// bench/settle-long-poll: what a long poll costs at the end of a run. A run that passes lets
// the pages finish the requests its last step started (up to 5 s) before the browser closes;
// a long poll is never finished (the server holds it until there is news, and the page asks
// again at once), so each run paid the whole 5 s. Side by side, in one process, order rotated
// each round: A = the runner as it is (held GETs of scripts not waited for: an endpoint seen
// held ≥ 2 s, or one with no answer for 2 s), B = the runner waiting for them as before
// (RPA_BENCH_SETTLE_WAITS_HELD=1). Three pages, each ending with a click that saves (POST,
// answered after 600 ms), which both must wait for:
//   chat  — a long poll open from the start, answered when the save lands, then sent again;
//   fresh — the last click also opens a long poll for the first time (a "watch this job" GET);
//   plain — no long poll (the control: A and B should not differ).
// Reported per page: the time from the last step's end to run.finished (the settle and closing
// the browser), the whole run, whether the save reached the server, and the warnings logged.
//
//   npm run build && node dist/bench/settle-long-poll.js [--rounds 6]
//
// Results: bench/results/settle-long-poll.json and a table on stdout. Load is printed before/after.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../engine/api.js';
import { REPO_ROOT, tempDir, writeAutomation } from '../test/helpers/env.js';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 6;
const SAVE_MS = 600;

const PAGES: Record<string, string> = {
  chat: `<button id="save">Save</button><script>
async function poll(cursor) { const answer = await fetch('/poll?cursor=' + cursor); poll(Number(await answer.text())); }
poll(0);
document.getElementById('save').addEventListener('click', () => fetch('/save', { method: 'POST', body: 'chat' }));
</script>`,
  fresh: `<button id="save">Save</button><script>
document.getElementById('save').addEventListener('click', () => {
  fetch('/save', { method: 'POST', body: 'fresh' });
  fetch('/poll?cursor=100');
});
</script>`,
  plain: `<button id="save">Save</button><script>
document.getElementById('save').addEventListener('click', () => fetch('/save', { method: 'POST', body: 'plain' }));
</script>`,
};

const saved: string[] = [];
let polls: Array<() => void> = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://bench.invalid');
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    if (url.pathname === '/poll') {
      const cursor = Number(url.searchParams.get('cursor'));
      const answer = (): void => void (res.writableEnded || res.destroyed || res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(String(cursor + 1)));
      polls.push(answer);
      setTimeout(answer, 25_000).unref();
    } else if (url.pathname === '/save') {
      setTimeout(() => {
        saved.push(body);
        res.writeHead(204).end();
        const waiting = polls;
        polls = [];
        for (const answer of waiting) answer();
      }, SAVE_MS);
    } else {
      const page = PAGES[url.pathname.slice(1)];
      if (page) res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(`<!doctype html><title>${url.pathname}</title>${page}`);
      else res.writeHead(404).end();
    }
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const dir = tempDir('bench-settle-long-poll');
const engine = Engine.open({ env: { ...process.env, RPA_HOME: dir, RPA_BROWSER: process.env['RPA_BROWSER'] ?? '/usr/bin/chromium' } });
const files = Object.fromEntries(
  Object.keys(PAGES).map((name) => [
    name,
    writeAutomation(dir, `${name}.json`, {
      format: 1,
      id: `bench.settle.${name}`,
      name: `settle ${name}`,
      version: '1.0.0',
      steps: [
        { kind: 'browser.open', url: `${base}/${name}` },
        { kind: 'browser.click', target: { candidates: [{ css: '#save' }] } },
      ],
    }),
  ]),
);

interface Sample {
  page: string;
  variant: 'A' | 'B';
  round: number;
  status: string;
  saved: boolean;
  runMs: number;
  endMs: number | undefined;
  warnings: string[];
}

async function once(page: string, variant: 'A' | 'B', round: number): Promise<Sample> {
  if (variant === 'B') process.env['RPA_BENCH_SETTLE_WAITS_HELD'] = '1';
  else delete process.env['RPA_BENCH_SETTLE_WAITS_HELD'];
  saved.splice(0);
  let lastStepEnd: number | undefined;
  let runEnd: number | undefined;
  const warnings: string[] = [];
  const began = performance.now();
  const result = await engine.run({ file: files[page]! }, (event) => {
    if (event.type === 'step.succeeded' || event.type === 'step.failed') lastStepEnd = performance.now();
    if (event.type === 'run.finished') runEnd = performance.now();
    if (event.type === 'log' && event.level === 'warn') warnings.push(event.message.slice(0, 160));
  });
  const runMs = Math.round(performance.now() - began);
  // Polls of a closed browser are dropped; the server's timers for them are unref'd.
  polls = [];
  return { page, variant, round, status: result.status, saved: saved.includes(page), runMs, endMs: lastStepEnd !== undefined && runEnd !== undefined ? Math.round(runEnd - lastStepEnd) : undefined, warnings };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
};

const loadBefore = os.loadavg();
console.log(`load before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}; ${ROUNDS} rounds`);
const samples: Sample[] = [];
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const order: Array<'A' | 'B'> = round % 2 ? ['A', 'B'] : ['B', 'A'];
    for (const page of Object.keys(PAGES)) {
      for (const variant of order) {
        const sample = await once(page, variant, round);
        samples.push(sample);
        console.log(`round ${round} ${page.padEnd(6)} ${variant}: ${sample.status}, saved ${sample.saved}, run end ${sample.endMs} ms, run ${sample.runMs} ms, warnings ${sample.warnings.length}`);
      }
    }
  }
} finally {
  engine.close();
  server.closeAllConnections();
  server.close();
}
const loadAfter = os.loadavg();
console.log(`load after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);

const pages = Object.keys(PAGES).map((page) => {
  const of = (variant: 'A' | 'B'): Sample[] => samples.filter((s) => s.page === page && s.variant === variant);
  const summary = (variant: 'A' | 'B') => {
    const list = of(variant);
    return {
      passed: list.filter((s) => s.status === 'passed').length,
      saved: list.filter((s) => s.saved).length,
      runs: list.length,
      endMsMedian: median(list.map((s) => s.endMs ?? Number.NaN)),
      runMsMedian: median(list.map((s) => s.runMs)),
      warned: list.filter((s) => s.warnings.length > 0).length,
    };
  };
  const a = summary('A');
  const b = summary('B');
  // Paired by round: B's run over A's.
  const ratios = of('A').map((s) => {
    const twin = of('B').find((t) => t.round === s.round)!;
    return twin.runMs / s.runMs;
  });
  return { page, A: a, B: b, runRatioBoverA: Number((median(ratios.map((r) => Math.round(r * 1000))) / 1000).toFixed(3)) };
});
for (const p of pages) {
  console.log(`${p.page.padEnd(6)} A: run end median ${p.A.endMsMedian} ms, run ${p.A.runMsMedian} ms, saved ${p.A.saved}/${p.A.runs}, warned ${p.A.warned} | B: run end median ${p.B.endMsMedian} ms, run ${p.B.runMsMedian} ms, saved ${p.B.saved}/${p.B.runs}, warned ${p.B.warned} | run B/A ${p.runRatioBoverA}×`);
}
writeFileSync(
  path.join(REPO_ROOT, 'bench', 'results', process.env['RPA_BENCH_OUT'] ?? 'settle-long-poll.json'),
  `${JSON.stringify({ date: new Date().toISOString(), load: { before: loadBefore, after: loadAfter }, rounds: ROUNDS, saveMs: SAVE_MS, pages, samples }, null, 2)}\n`,
);
