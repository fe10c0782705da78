// The challenge suite (test/challenges): pages of our own that reproduce what real web
// applications do to record and replay, each recorded with the real recorder driven by real
// input and replayed twice by the engine. Every challenge must replay right both times, with
// no silent pass (a passing replay with the wrong end state) and no fallback to a later
// locator candidate (the recorded top candidate must be the one Playwright resolves).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { exportPlaywright } from '../../cli/export-playwright.js';
import { Engine } from '../../engine/api.js';
import { loadAutomation } from '../../engine/format/load.js';
import { CHALLENGES, selectedChallenges } from '../challenges/challenges.js';
import { startChallengeServer, type ChallengeServer } from '../challenges/server.js';
import { lastState, runChallenge, type ChallengeOutcome } from '../challenges/suite.js';
import { REPO_ROOT, tempDir } from '../helpers/env.js';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

describe('challenge suite', { skip, timeout: 600_000, concurrency: false }, () => {
  let server: ChallengeServer;
  let engine: Engine;
  let dir: string;
  // One browser for all the recordings (a context each): a launch per recording cost minutes under load.
  let browser: Browser;

  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 120_000 });
    server = await startChallengeServer();
    dir = tempDir('challenges');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
  });
  after(async () => {
    engine.close();
    await browser.close();
    await server.close();
  });

  const outcomes: ChallengeOutcome[] = [];
  for (const challenge of selectedChallenges()) {
    it(`${challenge.id} (${challenge.kind}) replays right twice, no silent pass, no fallback`, { timeout: 180_000 }, async () => {
      const outcome = await runChallenge(challenge, { server, engine, dir, chromium: CHROMIUM, browser });
      outcomes.push(outcome);
      const report = JSON.stringify({ recordError: outcome.recordError, steps: outcome.doc?.steps, replays: outcome.replays }, null, 1);
      assert.equal(outcome.recordError, undefined, report);
      assert.ok(outcome.recordedStateRight, `the recording itself did not reach the end state\n${report}`);
      assert.equal(outcome.silentPasses, 0, `silent passes\n${report}`);
      assert.ok(outcome.right, report);
      assert.deepEqual(outcome.replays.flatMap((r) => r.fallbacks), [], report);
    });
  }

  it('the recordings exported with rpa export --to playwright compile and reach the same end states', { timeout: 300_000 }, async () => {
    // The recordings the runner replays right: the export must do as well as the runner on them.
    const recorded = outcomes.filter((o) => o.file && o.right);
    assert.ok(recorded.length > 0, 'no recording to export');
    mkdirSync(path.join(REPO_ROOT, 'node_modules', '.cache'), { recursive: true });
    const outDir = mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cache', 'rpa-challenges-export-'));
    try {
      const scripts = recorded.map((o) => {
        const file = path.join(outDir, `${o.id}.ts`);
        writeFileSync(file, exportPlaywright(loadAutomation(o.file!)));
        return file;
      });
      const tsc = await run(process.execPath, [
        path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--ignoreConfig', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck',
        '--outDir', path.join(outDir, 'out'), ...scripts,
      ]);
      assert.equal(tsc.code, 0, tsc.output);
      const problems: string[] = [];
      for (const outcome of recorded) {
        const challenge = CHALLENGES.find((c) => c.id === outcome.id)!;
        server.reset();
        const result = await run(process.execPath, [path.join(outDir, 'out', `${outcome.id}.js`)], { ...process.env, RPA_BROWSER: CHROMIUM });
        const state = lastState(server, challenge);
        if (result.code !== 0 || !isDeepStrictEqual(state, challenge.expect)) problems.push(`${outcome.id}: exit ${result.code}, state ${JSON.stringify(state)}: ${result.output.slice(0, 500)}`);
      }
      assert.deepEqual(problems, []);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
