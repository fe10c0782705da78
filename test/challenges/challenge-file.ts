// The challenge suite as test files (test/e2e/challenges-*.test.ts): the challenges are dealt
// over a few files, each with its own server, browser and engine, so that the test runner
// (`npm test` runs two files at a time) overlaps them and no file comes near the runner's time
// per file on a loaded machine. Every challenge is in exactly one part; each part records its
// challenges, replays each twice, then exports its recordings with rpa export --to playwright
// and runs the exported scripts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { exportPlaywright } from '../../cli/export-playwright.js';
import { Engine } from '../../engine/api.js';
import { loadAutomation } from '../../engine/format/load.js';
import { CHALLENGES, selectedChallenges } from './challenges.js';
import { startChallengeServer, type ChallengeServer } from './server.js';
import { lastState, runChallenge, type Challenge, type ChallengeOutcome } from './suite.js';
import { REPO_ROOT, tempDir } from '../helpers/env.js';

/** How many test files the challenges are dealt over. */
export const CHALLENGE_PARTS = 5;

/** The challenges of part `part` (1-based) of `parts`: every `parts`-th one, so each part gets a mix of kinds. */
export function challengePart(part: number, parts: number = CHALLENGE_PARTS, challenges: readonly Challenge[] = selectedChallenges()): Challenge[] {
  if (!Number.isInteger(part) || part < 1 || part > parts) throw new RangeError(`challenge part ${part} is not one of 1..${parts}`);
  return challenges.filter((_, index) => index % parts === part - 1);
}

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

/** How many exported scripts of a part run at the same time. */
const EXPORT_SCRIPTS_AT_ONCE = 4;

/** `work` on every item, at most `limit` at a time; the results in the items' order. */
async function mapAtMost<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Declares the describe() of one part of the challenge suite. */
export function challengeSuite(part: number, parts: number = CHALLENGE_PARTS): void {
  const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;
  const challenges = challengePart(part, parts);
  describe(`challenge suite, part ${part} of ${parts}`, { skip, timeout: 600_000, concurrency: false }, () => {
    let server: ChallengeServer;
    let engine: Engine;
    let dir: string;
    // One browser for all the recordings and replays of the part, a fresh context each (the engine's
    // StartRunRequest.browser for the replays): a launch per recording and per replay cost minutes under load.
    let browser: Browser;

    before(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 120_000 });
      server = await startChallengeServer();
      dir = tempDir(`challenges-${part}`);
      engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
    });
    after(async () => {
      engine?.close();
      await browser?.close();
      await server?.close();
    });

    const outcomes: ChallengeOutcome[] = [];
    for (const challenge of challenges) {
      it(`${challenge.id} (${challenge.kind}) replays right twice, no silent pass, no fallback, every dialog an action opened tied to it`, { timeout: 180_000 }, async () => {
        const outcome = await runChallenge(challenge, { server, engine, dir, chromium: CHROMIUM, browser, replayBrowser: browser });
        outcomes.push(outcome);
        const report = JSON.stringify({ recordError: outcome.recordError, steps: outcome.doc?.steps, replays: outcome.replays }, null, 1);
        assert.equal(outcome.recordError, undefined, report);
        assert.ok(outcome.recordedStateRight, `the recording itself did not reach the end state\n${report}`);
        assert.equal(outcome.silentPasses, 0, `silent passes\n${report}`);
        // A dialog an action opened is tied to it; only the page's own (challenge.untied) are not, and those are.
        assert.deepEqual(outcome.wronglyUntied, [], report);
        assert.equal(outcome.untied.length, challenge.untied?.length ?? 0, `${outcome.untied.join('\n')}\n${report}`);
        // …each answered whenever it opens (a standing answer), not armed before an action it has nothing to do with.
        for (const message of challenge.untied ?? []) {
          assert.ok(outcome.doc?.steps.some((s) => s.kind === 'browser.dialog' && (s as { whenever?: boolean }).whenever === true && !s.wait && s.expectMessage === message), `no standing answer to "${message}"\n${report}`);
        }
        assert.ok(outcome.right, report);
        assert.deepEqual(outcome.replays.flatMap((r) => r.fallbacks), [], report);
        // Every replay (and the recording) closed the context it had in the shared browser: the next challenge starts clean.
        assert.equal(browser.contexts().length, 0, 'a context of this challenge was left open in the shared browser');
      });
    }

    it(`the recordings of part ${part} exported with rpa export --to playwright compile and reach the same end states`, { skip: challenges.length === 0 ? 'no challenge selected in this part' : false, timeout: 300_000 }, async () => {
      // The recordings the runner replays right: the export must do as well as the runner on them.
      const recorded = outcomes.filter((o) => o.file && o.right);
      assert.ok(recorded.length > 0, 'no recording to export');
      mkdirSync(path.join(REPO_ROOT, 'node_modules', '.cache'), { recursive: true });
      const outDir = mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cache', `rpa-challenges-export-${part}-`));
      try {
        const scripts = recorded.map((o) => {
          const file = path.join(outDir, `${o.id}.ts`);
          writeFileSync(file, exportPlaywright(loadAutomation(o.file!)));
          return file;
        });
        // tsc type-checks the scripts as a user would compile them, while they run: each is made JavaScript on its
        // own (the same output, no type information needed) so that they need not wait the half minute tsc takes.
        const typeCheck = run(process.execPath, [
          path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
          '--ignoreConfig', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck',
          '--noEmit', ...scripts,
        ]);
        const { default: ts } = await import('typescript');
        for (const script of scripts) {
          const js = ts.transpileModule(readFileSync(script, 'utf8'), { fileName: script, compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, strict: true } });
          writeFileSync(script.replace(/\.ts$/, '.js'), js.outputText);
        }
        // The scripts run EXPORT_SCRIPTS_AT_ONCE at a time, each still a Node process and a Chromium of its own:
        // one after the other, most of this case was waiting for each one's Node start and browser launch.
        // Each challenge of a part reports under a page name of its own, so what a script reached is told apart
        // from what the others reached at the same time; the results start empty for all of them.
        const challenges = recorded.map((outcome) => CHALLENGES.find((c) => c.id === outcome.id)!);
        const reporting = challenges.map((c) => c.reports ?? c.page);
        assert.equal(new Set(reporting).size, reporting.length, `two challenges of part ${part} report under one page name: ${reporting.join(', ')}`);
        server.reset();
        const problems = (
          await mapAtMost(challenges, EXPORT_SCRIPTS_AT_ONCE, async (challenge) => {
            const result = await run(process.execPath, [path.join(outDir, `${challenge.id}.js`)], { ...process.env, RPA_BROWSER: CHROMIUM });
            const state = lastState(server, challenge);
            return result.code !== 0 || !isDeepStrictEqual(state, challenge.expect) ? `${challenge.id}: exit ${result.code}, state ${JSON.stringify(state)}: ${result.output.slice(0, 500)}` : undefined;
          })
        ).filter((problem) => problem !== undefined);
        const tsc = await typeCheck;
        assert.equal(tsc.code, 0, tsc.output);
        assert.deepEqual(problems, []);
      } finally {
        rmSync(outDir, { recursive: true, force: true });
      }
    });
  });
}
