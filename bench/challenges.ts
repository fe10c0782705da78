// bench/challenges: the challenge suite (test/challenges) as figures: each challenge recorded
// with the real recorder driven by real input, replayed twice by the engine; reports how many
// replay right (both replays pass and the page reports the recorded end state), silent passes
// (a replay passed with another end state), wrong actions (a replay whose page reported an end
// state other than the recorded one, passed or not: something was done to the wrong element or
// with the wrong value), fallbacks (a step's first candidate missed) and dialogs the recorder
// tied to no action (the page's own; wrongly: one an action opened). RPA_CHALLENGES=id,id
// runs some of them only.
//
//   npx tsc -p tsconfig.json && node scripts/build-page.mjs && node dist/bench/challenges.js
//
// Results: bench/results/challenges.json (RPA_CHALLENGES_OUT=name.json: another file) and a table on stdout.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { Engine } from '../engine/api.js';
import { selectedChallenges } from '../test/challenges/challenges.js';
import { startChallengeServer } from '../test/challenges/server.js';
import { runChallenge } from '../test/challenges/suite.js';
import { REPO_ROOT, tempDir } from '../test/helpers/env.js';

const loadBefore = os.loadavg();
console.log(`load before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
const server = await startChallengeServer();
const dir = tempDir('bench-challenges');
const engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
const executablePath = process.env['RPA_BROWSER'] ?? '/usr/bin/chromium';
// The recordings share one browser (a context each), as the challenge test does.
const browser = await chromium.launch({ executablePath, headless: true, timeout: 120_000 });
const rows = [];
try {
  for (const challenge of selectedChallenges()) {
    const outcome = await runChallenge(challenge, { server, engine, dir, chromium: executablePath, browser });
    const fallbacks = outcome.replays.reduce((n, r) => n + r.fallbacks.length, 0);
    const wrongActions = outcome.replays.filter((r) => r.state !== undefined && !r.stateRight).length;
    rows.push({ id: outcome.id, kind: outcome.kind, right: outcome.right, silentPasses: outcome.silentPasses, wrongActions, fallbacks, untied: outcome.untied.length, wronglyUntied: outcome.wronglyUntied.length, replays: outcome.replays.map((r) => ({ status: r.status, stateRight: r.stateRight, durationMs: r.durationMs, endMs: r.endMs, ...(r.error ? { error: r.error.slice(0, 300) } : {}) })) });
    const ends = outcome.replays.map((r) => (r.endMs === undefined ? '-' : `${r.endMs}`)).join('/');
    console.log(`${outcome.right ? 'right' : 'WRONG'}  ${outcome.id.padEnd(24)} ${outcome.kind.padEnd(36)} silent passes ${outcome.silentPasses}, wrong actions ${wrongActions}, fallbacks ${fallbacks}, untied dialogs ${outcome.untied.length} (${outcome.wronglyUntied.length} wrongly), run end ms ${ends}`);
  }
} finally {
  engine.close();
  await browser.close();
  await server.close();
}
function spread(values: number[]): { n: number; median: number; p90: number; max: number; total: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: sorted.length, median: at(0.5), p90: at(0.9), max: sorted.at(-1) ?? 0, total: sorted.reduce((a, b) => a + b, 0) };
}
const loadAfter = os.loadavg();
console.log(`load after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);
const summary = {
  date: new Date().toISOString(),
  load: { before: loadBefore, after: loadAfter },
  challenges: rows.length,
  right: rows.filter((r) => r.right).length,
  silentPasses: rows.reduce((n, r) => n + r.silentPasses, 0),
  wrongActions: rows.reduce((n, r) => n + r.wrongActions, 0),
  fallbacks: rows.reduce((n, r) => n + r.fallbacks, 0),
  // Dialogs the recorder tied to no action of the person's (answered whenever they open), and of those the ones an action did open.
  untied: rows.reduce((n, r) => n + r.untied, 0),
  wronglyUntied: rows.reduce((n, r) => n + r.wronglyUntied, 0),
  // From the last step's end to the run's end (settle + closing the browser), over every replay.
  runEndMs: spread(rows.flatMap((r) => r.replays.map((p) => p.endMs)).filter((ms): ms is number => ms !== undefined)),
  replayMs: spread(rows.flatMap((r) => r.replays.map((p) => p.durationMs))),
  rows,
};
console.log(`${summary.right} of ${summary.challenges} right, ${summary.silentPasses} silent passes, ${summary.wrongActions} wrong actions, ${summary.fallbacks} fallbacks, ${summary.untied} untied dialogs (${summary.wronglyUntied} wrongly)`);
console.log(`run end (last step → run finished), ms: median ${summary.runEndMs.median}, p90 ${summary.runEndMs.p90}, max ${summary.runEndMs.max}, total ${summary.runEndMs.total} over ${summary.runEndMs.n} replays; replays total ${summary.replayMs.total} ms`);
writeFileSync(path.join(REPO_ROOT, 'bench', 'results', process.env['RPA_CHALLENGES_OUT'] ?? 'challenges.json'), `${JSON.stringify(summary, null, 2)}\n`);
