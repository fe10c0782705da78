// The challenge suite: each challenge is recorded by a program that drives the real recorder
// with real mouse and keyboard input (Playwright input on the recorder's own browser), then
// replayed twice by the engine in real Chromium. A replay is right when it passes AND the page
// reports the end state the recording reached; a replay that passes with another end state is
// a silent pass. Used by test/e2e/challenges-*.test.ts (through challenge-file.ts) and bench/challenges.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Engine } from '../../engine/api.js';
import type { Automation } from '../../engine/format/schema.js';
import { startRecording, type RecordingSession } from '../../recorder/api.js';
import { saveRecording } from '../../recorder/save.js';
import type { ChallengeServer } from './server.js';

export interface Challenge {
  id: string;
  /** Which failure class of issue #18 it reproduces. */
  kind: string;
  /** The page, under the challenge server. */
  page: string;
  /** The page that reports the end state, when it is not `page` (a frame from another origin). */
  reports?: string;
  /** What the person does, with real input on the recorder's browser; `files` holds the files of `files` below. */
  drive(page: Page, session: RecordingSession, files: string): Promise<void>;
  /** Files the person picks (name → content): in a folder of their own, and beside the recording for the replays. */
  files?: Record<string, string>;
  /**
   * The messages of the dialogs no action of the person's opens (the page's own timers and
   * workers): the recorder must tie every other dialog to the action that opened it.
   */
  untied?: string[];
  /** The end state the page must report (its last /result). */
  expect: Record<string, unknown>;
}

export interface ReplayOutcome {
  status: string;
  error?: string;
  /** What the page reported last, if anything. */
  state: Record<string, unknown> | undefined;
  stateRight: boolean;
  /** Steps whose first locator candidate did not match (a later one, or healing, did). */
  fallbacks: string[];
  /** The whole replay, ms (engine.run's wall time). */
  durationMs: number;
  /** From the last step's end to the run's end, ms: the run-end settle and closing the browser. */
  endMs: number | undefined;
}

export interface ChallengeOutcome {
  id: string;
  kind: string;
  recordedStateRight: boolean;
  doc?: Automation;
  /** Where the recording was saved. */
  file?: string;
  recordError?: string;
  /** What the recorder told the person: dialogs it tied to no action (answered whenever they open). */
  untied: string[];
  /** Of those, the ones the challenge does not expect untied (a dialog an action opened that the recorder lost). */
  wronglyUntied: string[];
  replays: ReplayOutcome[];
  /** Both replays passed and both reached the recorded end state. */
  right: boolean;
  silentPasses: number;
}

/** Clicks a control of the recorder's toolbar (closed shadow root) with the real mouse. */
export async function clickToolbar(page: Page, action: string): Promise<void> {
  const box = await page.evaluate(
    (a) => (globalThis as unknown as { __rpaRecorder: { toolbarBox(a: string): { x: number; y: number; width: number; height: number } | undefined } }).__rpaRecorder.toolbarBox(a),
    action,
  );
  if (!box) throw new Error(`toolbar control ${action} not found`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Toolbar Assert, then a real click on the element to assert. */
export async function pickAssert(page: Page, locator: ReturnType<Page['locator']>, where: { x: number; y: number } = { x: 5, y: 5 }): Promise<void> {
  await clickToolbar(page, 'assert');
  await locator.click({ position: where });
}

export function lastState(server: ChallengeServer, challenge: Challenge): Record<string, unknown> | undefined {
  const page = challenge.reports ?? challenge.page;
  return server.results.filter((r) => r.page === page).at(-1)?.data;
}

/** Waits (5 s at most) for a report of the challenge's page to arrive, then until none has come for 250 ms. */
async function reportsSettled(server: ChallengeServer, challenge: Challenge): Promise<void> {
  const until = Date.now() + 5_000;
  while (lastState(server, challenge) === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  for (let seen = -1; seen !== server.results.length && Date.now() < until; ) {
    seen = server.results.length;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * `browser`: one browser the recordings share (each in a context of its own), instead of one launched per recording.
 * `replayBrowser`: one browser the replays share (the engine opens a fresh context in it for each run:
 * nothing of the recording or of an earlier replay is left in it), instead of the runner launching one per replay.
 */
export async function runChallenge(challenge: Challenge, options: { server: ChallengeServer; engine: Engine; dir: string; chromium: string; browser?: Browser; replayBrowser?: Browser; replays?: number }): Promise<ChallengeOutcome> {
  const { server, engine } = options;
  const outcome: ChallengeOutcome = { id: challenge.id, kind: challenge.kind, recordedStateRight: false, untied: [], wronglyUntied: [], replays: [], right: false, silentPasses: 0 };
  server.reset();
  const files = path.join(options.dir, `${challenge.id}-files`);
  mkdirSync(files, { recursive: true });
  for (const [name, content] of Object.entries(challenge.files ?? {})) {
    writeFileSync(path.join(files, name), content);
    writeFileSync(path.join(options.dir, name), content); // uploads are read beside the automation
  }
  const session = await startRecording({ url: `${server.url}/${challenge.page}`, headless: true, executablePath: options.chromium, ...(options.browser ? { browser: options.browser } : {}), id: `challenge.${challenge.id}`, name: challenge.id });
  try {
    await challenge.drive(session.page, session, files);
  } catch (error) {
    outcome.recordError = (error as Error).message;
  }
  // The page reports its end state with a request of its own after the last click: let it arrive before the
  // recording (and its context) stops, or a report still in flight is lost and a right recording counts as wrong.
  await reportsSettled(server, challenge);
  const doc = await session.stop();
  outcome.doc = doc;
  outcome.untied = session.warnings().filter((w) => /opened while no action of yours was running/.test(w));
  outcome.wronglyUntied = outcome.untied.filter((w) => !(challenge.untied ?? []).some((message) => w.includes(`"${message.slice(0, 80)}"`)));
  outcome.recordedStateRight = isDeepStrictEqual(lastState(server, challenge), challenge.expect);
  const loaded = saveRecording(doc, path.join(options.dir, `${challenge.id}.json`));
  outcome.file = loaded.file;
  for (let i = 0; i < (options.replays ?? 2); i++) {
    server.reset();
    const fallbacks: string[] = [];
    const began = performance.now();
    let lastStepEnd: number | undefined;
    let runEnd: number | undefined;
    const result = await engine.run({ file: loaded.file, ...(options.replayBrowser ? { browser: options.replayBrowser } : {}) }, (event) => {
      if (event.type === 'step.succeeded' || event.type === 'step.failed') lastStepEnd = performance.now();
      if (event.type === 'run.finished') runEnd = performance.now();
      if (event.type === 'step.succeeded' && event.locator?.fallback) fallbacks.push(`${event.path} (${event.kind}): matched ${event.locator.description}`);
    });
    const durationMs = Math.round(performance.now() - began);
    const endMs = lastStepEnd !== undefined && runEnd !== undefined ? Math.round(runEnd - lastStepEnd) : undefined;
    const state = lastState(server, challenge);
    const stateRight = isDeepStrictEqual(state, challenge.expect);
    outcome.replays.push({ status: result.status, ...(result.error ? { error: result.error.message } : {}), state, stateRight, fallbacks, durationMs, endMs });
    if (result.status === 'passed' && !stateRight) outcome.silentPasses++;
  }
  outcome.right = outcome.recordedStateRight && !outcome.recordError && outcome.replays.every((r) => r.status === 'passed' && r.stateRight);
  return outcome;
}
