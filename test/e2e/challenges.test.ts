// The challenge suite (test/challenges): pages of our own that reproduce what real web
// applications do to record and replay, each recorded with the real recorder driven by real
// input and replayed twice by the engine. Every challenge must replay right both times, with
// no silent pass (a passing replay with the wrong end state) and no fallback to a later
// locator candidate (the recorded top candidate must be the one Playwright resolves).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import { CHALLENGES } from '../challenges/challenges.js';
import { startChallengeServer, type ChallengeServer } from '../challenges/server.js';
import { runChallenge } from '../challenges/suite.js';
import { tempDir } from '../helpers/env.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;

describe('challenge suite', { skip, timeout: 600_000, concurrency: false }, () => {
  let server: ChallengeServer;
  let engine: Engine;
  let dir: string;

  before(async () => {
    server = await startChallengeServer();
    dir = tempDir('challenges');
    engine = Engine.open({ env: { ...process.env, RPA_HOME: dir } });
  });
  after(async () => {
    engine.close();
    await server.close();
  });

  for (const challenge of CHALLENGES) {
    it(`${challenge.id} (${challenge.kind}) replays right twice, no silent pass, no fallback`, { timeout: 180_000 }, async () => {
      const outcome = await runChallenge(challenge, { server, engine, dir, chromium: CHROMIUM });
      const report = JSON.stringify({ recordError: outcome.recordError, steps: outcome.doc?.steps, replays: outcome.replays }, null, 1);
      assert.equal(outcome.recordError, undefined, report);
      assert.ok(outcome.recordedStateRight, `the recording itself did not reach the end state\n${report}`);
      assert.equal(outcome.silentPasses, 0, `silent passes\n${report}`);
      assert.ok(outcome.right, report);
      assert.deepEqual(outcome.replays.flatMap((r) => r.fallbacks), [], report);
    });
  }
});
