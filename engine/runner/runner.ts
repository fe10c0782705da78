// Runs one automation and reports everything it does as run events.
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import { monotonicFactory } from 'ulid';
import type { MatchedLocator, PackageRef, RunEvent, RunEventBody, SerializedError } from '../events.js';
import { AssertionFailedError, BusinessError, CancelledError, InputDeliveredError, MissingInputError, RpaError, serializeError, TimeoutError, UsageError } from '../errors.js';
import type { LoadedAutomation } from '../format/load.js';
import type { RetryPolicy, Step, Target } from '../format/schema.js';
import type { Browser, Page } from 'playwright-core';
import { clearHighlights, testTarget, type LocatorTestResult } from './test-locator.js';
import { renderText, renderValue, TemplateError, type TemplateScope } from '../format/template.js';
import { SecretMasker } from '../secrets.js';
import { CONTAINER_KINDS, handlerFor } from '../steps/index.js';
import { BrowserSession, HELD_MS, type HeldDialog } from './browser-session.js';
import { describeStep } from './describe-step.js';
import { prepareInputs } from './inputs.js';
import { resolveTarget, untilReady } from './locate.js';
import type { WorkQueue } from '../queue/types.js';
import type { ModelProviders } from '../ai/registry.js';
import { AlreadyResumedError, isInside, loopsOf, RunPaused, type ResumeState, type ResumedReview } from '../review/pause.js';
import type { ReviewDecision } from '../review/review-store.js';
import type { SentInput, StepContext, StepOutcome } from './step-context.js';
import { DEFAULT_LAUNCH_TIMEOUT_MS, type LaunchTimeout } from './launch-timeout.js';
import { abortableSleep, StepClock, withStepDeadline } from './timing.js';

export const DEFAULT_STEP_TIMEOUT_MS = 30_000;
/** A step's handler may overrun its budget by this much before the runner stops waiting for it. */
const STEP_GRACE_MS = 2_000;
/** A browser start slower than this is worth a line in the log (it is not charged to the step). */
const SLOW_LAUNCH_MS = 5_000;
/** How long a passed run lets the pages finish what its last step started (BrowserSession.settle). */
const SETTLE_LIMIT_MS = 5_000;

export interface RunOptions {
  runId?: string;
  inputs?: Record<string, unknown>;
  /** Where relative file inputs are from; default this process's folder. */
  inputsDir?: string;
  headless?: boolean;
  /** Finds the browser executable; called when the first browser.open runs. */
  browserPath: () => string;
  /** Longest the browser may take to start (default 60 s), and where that is set. */
  launchTimeout?: LaunchTimeout;
  /** The browser's environment: the display of the terminal that asked the host for this run. */
  browserEnv?: NodeJS.ProcessEnv;
  /**
   * A browser already running to open this run's browser in, as a context of its own (cookies,
   * storage and pages of this run only, closed at its end; the browser is left running).
   * Default: browser.open launches a browser for the run and closes it at the end.
   */
  browser?: Browser;
  /** Root folder for artifacts; each run writes into a sub-folder named after its id. */
  artifactsDir: string;
  /** Values of every secret the automation (and what it calls) declares. */
  secrets?: Map<string, string>;
  signal?: AbortSignal;
  trigger?: string;
  /** The package the automation came from (kept on the run record). */
  package?: PackageRef;
  /** The work queue steps add items to (the central one at server, when given); opened on first use. */
  workQueue?: (server?: string) => WorkQueue;
  /** Longest the whole run may take; past it the run is cancelled and marked timed_out. */
  maxRunMs?: number;
  onEvent: (event: RunEvent) => void;
  /** Model providers for ai.* steps. */
  models?: () => ModelProviders;
  /** More values to keep out of events (API keys of model providers). */
  maskValues?: string[];
  /** Continue a paused run at the step that asked for a review (after the review was resolved). */
  resume?: ResumeState;
  /**
   * Wait in this process for reviews instead of stopping (rpa run --wait-review). Resolves
   * with the decision and the run's last recorded seq once someone resolved the review.
   */
  waitForReview?: (reviewId: string, signal: AbortSignal) => Promise<{ decision: ReviewDecision; lastSeq: number }>;
  /**
   * The machine policy lets failure screenshots go to the audit server (failureScreenshots.upload):
   * each one's artifact event says `upload`, else `kept`. Default: kept.
   */
  uploadFailureScreenshots?: boolean;
  /** The studio's debugger: awaited before each step starts (breakpoints, step-through). */
  debug?: { beforeStep(path: string, step: Step, live: DebugLive): Promise<void | DebugRevision> };
}

/**
 * The builder's edited automation, taken by a run paused before a top-level step: that step
 * and the ones after it run from `automation`. The debugger checked that the steps already
 * run are the same in both, and that inputs and secrets did not change.
 */
export interface DebugRevision {
  automation: LoadedAutomation;
  /** What it is, for the builder: "version 4 (saved in the studio)" or "an unsaved revision". */
  describe: string;
  /** The version of the automation's history that holds exactly this document; absent when it was handed over unsaved. */
  savedVersion?: number;
}

/** What a paused run shows its debugger: its variables and its live page (secrets masked). */
export interface DebugLive {
  /** Inputs and variables of the automation being run, as of now. */
  variables(): { inputs: Record<string, unknown>; vars: Record<string, unknown> };
  /** Tries a target's candidates on the page the run has open (templates rendered), outlining one's elements. */
  testTarget(target: Target, highlight?: number): Promise<LocatorTestResult>;
  /** Removes the outlines before the run goes on. */
  clearHighlights(): Promise<void>;
  /** The automation the run goes on with (the one it started with, or the last revision it took). */
  automation(): LoadedAutomation;
}

export interface RunResult {
  runId: string;
  status: 'passed' | 'failed' | 'cancelled' | 'timed_out' | 'paused';
  durationMs: number;
  /** When paused: the review the run waits for. */
  review?: { id: string; path: string };
  outputs: Record<string, unknown>;
  vars: Record<string, unknown>;
  error?: SerializedError;
}

const newRunId = monotonicFactory();

/** Variables and inputs of one automation within a run (the top one, or one reached by flow.call). */
interface Frame {
  automation: LoadedAutomation;
  inputs: Record<string, unknown>;
  vars: Record<string, unknown>;
}

/** Errors that retrying will not fix. */
function isRetryable(error: unknown): boolean {
  return !(error instanceof CancelledError || error instanceof InputDeliveredError || error instanceof BusinessError || error instanceof TemplateError || error instanceof UsageError || error instanceof MissingInputError);
}

/** What the error says went out, by what inputSent was told. */
const SENT_WORDS: Record<SentInput, { what: string; twice: string; check: string }> = {
  keys: { what: 'keys had already gone out in this attempt (some of them, perhaps all)', twice: 'send them twice', check: 'Check what the program received' },
  click: { what: "the click had already gone out in this attempt (its button went down)", twice: 'click twice (a second submit, a second order)', check: 'Check what the program did with the click' },
  drag: { what: 'the drag had already gone out in this attempt (its button went down)', twice: 'drag twice', check: 'Check what the program did with the drag' },
};

/**
 * A failure after the attempt sent input it cannot take back (its deadline while typing or
 * after a click, an error of the typing itself): what went out stays where it went, so the
 * step is not done again.
 */
function asDelivered(error: unknown, sent: SentInput): unknown {
  if (error instanceof InputDeliveredError || error instanceof CancelledError) return error;
  const { name, message } = serializeError(error);
  const words = SENT_WORDS[sent];
  return new InputDeliveredError(`${message}\n  ${words.what}: the step is not done again, which would ${words.twice}. ${words.check}, correct it by hand, then run again`, {
    ...(error instanceof RpaError ? error.details : {}),
    failedAs: name,
    sent,
  });
}

/**
 * Steps that deliver input to the page: a dialog opening before one of them returns is the page's
 * answer to it, so one the next step (a waiting browser.dialog) is for is held for that step
 * (BrowserSession.stepStarted). Not checks (waitFor, assert, extract): ending one of those early
 * would pass a check that was never made. `rpa export` arms such a step's answer before the action.
 */
export const HANDS_DIALOG_ON: ReadonlySet<string> = new Set(['browser.click', 'browser.fill', 'browser.select', 'browser.check', 'browser.press', 'browser.type', 'browser.upload', 'browser.hover', 'browser.dragTo']);

/** Steps that may wait for a person: no runner deadline while they do (--wait-review). */
const REVIEWING_KINDS: ReadonlySet<string> = new Set(['ai.extract', 'ai.classify', 'human.review']);

/** How HTML may write a value in text and in attributes (Chromium escapes &, nbsp, and < > " by context). */
function htmlEscapedForms(value: string): string[] {
  const nbsp = (text: string): string => text.replace(/\u00a0/g, '&nbsp;');
  const amp = value.replace(/&/g, '&amp;');
  const forms = [nbsp(amp.replace(/</g, '&lt;').replace(/>/g, '&gt;')), nbsp(amp.replace(/"/g, '&quot;')), nbsp(amp.replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;'))];
  return [...new Set(forms)].filter((form) => form !== value);
}

function safeFileName(stepPath: string): string {
  return stepPath.replace(/[^\w.-]+/g, '_');
}

/** Bench only (bench/overhead --compare-look-ahead): no look-ahead, to measure what it costs side by side. */
const lookAheadOff = (): boolean => process.env['RPA_BENCH_NO_LOOK_AHEAD'] === '1';

export class Run {
  readonly id: string;
  private seq = 0;
  private session: BrowserSession | undefined;
  private readonly masker = new SecretMasker();
  /** Secret values as HTML writes them (&amp; …): a page copy must not hold them either. */
  private readonly htmlMasker = new SecretMasker();
  private readonly controller = new AbortController();
  private readonly runDir: string;
  private readonly startedAt: Date;
  /** Time spent paused at breakpoints or between steps when stepping through. */
  private debugPausedMs = 0;
  /** Set when a step asked for a review and the run stops until it is resolved. */
  private pausing: RunPaused | undefined;
  /** Set when another caller resumed this run first: this process stops and records nothing more. */
  private resumedElsewhere: AlreadyResumedError | undefined;
  /** While resuming: the paused step; steps before it are skipped (they ran before the pause). */
  private resumeAt: ResumeState | undefined;
  private top: Frame | undefined;
  /** Where each error was first seen, so containers do not capture the same failure again. */
  private readonly failurePaths = new WeakMap<object, string>();
  /** What steps asked to undo when the run stops in this process (programs to close), newest first. */
  private readonly atEnd: Array<() => Promise<void>> = [];
  private ended = false;
  /** An action whose step ended while a dialog it opened was held for the browser.dialog step after it (untilDialogHeld). */
  private handedOver: { stepPath: string; label: string; work: Promise<StepOutcome | void> } | undefined;
  /** Aborted when the run ends however it ends: a browser still starting then is closed when it comes up. */
  private readonly ending = new AbortController();

  constructor(
    private readonly automation: LoadedAutomation,
    private readonly options: RunOptions,
  ) {
    this.id = options.runId ?? newRunId();
    this.runDir = path.join(options.artifactsDir, this.id);
    this.resumeAt = options.resume;
    this.seq = options.resume?.lastSeq ?? 0;
    this.startedAt = options.resume ? new Date(options.resume.startedAt) : new Date();
    for (const value of [...(options.secrets?.values() ?? []), ...(options.maskValues ?? [])]) {
      this.masker.add(value);
      for (const escaped of htmlEscapedForms(value)) this.htmlMasker.add(escaped);
    }
    options.signal?.addEventListener('abort', () => this.cancel(), { once: true });
    if (options.signal?.aborted) this.controller.abort();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private timedOut = false;

  cancel(): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    // Closing the browser makes every pending Playwright call settle at once.
    void this.session?.close();
  }

  private emit(body: RunEventBody): void {
    // The run is another process's now: nothing this one does belongs in its record.
    if (this.resumedElsewhere) return;
    const event: RunEvent = { ...this.masker.mask(body), runId: this.id, seq: ++this.seq, ts: new Date().toISOString() };
    this.options.onEvent(event);
  }

  async execute(): Promise<RunResult> {
    const started = performance.now();
    const resume = this.options.resume;
    const inputs = resume ? resume.inputs : prepareInputs(this.automation, this.options.inputs ?? {}, this.options.inputsDir);
    const maxRun = this.options.maxRunMs
      ? setTimeout(() => {
          this.timedOut = true;
          this.cancel();
        }, this.options.maxRunMs)
      : undefined;
    const top: Frame = { automation: this.automation, inputs, vars: resume ? { ...resume.vars } : {} };
    this.top = top;
    if (resume) this.emit({ type: 'run.resumed', path: resume.path, reviewId: resume.review.reviewId, pid: process.pid });
    else this.emit({
      type: 'run.started',
      automation: { id: this.automation.doc.id, name: this.automation.doc.name, version: this.automation.doc.version, file: this.automation.file, sha256: this.automation.sha256 },
      inputs,
      headless: this.options.headless ?? true,
      pid: process.pid,
      totalSteps: this.automation.doc.steps.length,
      ...(this.options.trigger ? { trigger: this.options.trigger } : {}),
      ...(this.options.package ? { package: this.options.package } : {}),
    });
    let error: unknown;
    try {
      await this.runSteps(top, this.automation.doc.steps, '', 0);
      // The browser closes next: a request the last step started would be cut off, its work lost.
      const { unfinished, held } = this.pausing ? { unfinished: [], held: [] } : ((await this.session?.settle(SETTLE_LIMIT_MS)) ?? { unfinished: [], held: [] });
      if (unfinished.length) {
        this.emit({ type: 'log', level: 'warn', message: `the run ended still waiting for ${unfinished.join(', ')}, started by its last step; the browser was closed after ${SETTLE_LIMIT_MS / 1000} s. If that work matters, end with a browser.waitFor step for what the page shows once it is done` });
      }
      if (held.length) {
        this.emit({ type: 'log', level: 'warn', message: `the run ended without waiting for ${held.join(', ')}, started by its last step: no answer (or no end of one) came for ${HELD_MS / 1000} s, as when the server holds a long poll open. If that work matters, end with a browser.waitFor step for what the page shows once it is done` });
      }
      for (const armedBy of this.session?.unusedDialogAnswers() ?? []) {
        this.emit({ type: 'log', level: 'warn', message: `no dialog appeared for the browser.dialog step at ${armedBy}` });
      }
      // One the last step (or the page after it) opened, dismissed with no answer armed or standing (see runStep).
      const unexpected = this.session?.unexpectedDialogs() ?? [];
      if (unexpected.length) throw new AssertionFailedError(unexpected.join('; '));
    } catch (caught) {
      error = caught;
    } finally {
      clearTimeout(maxRun);
      this.ending.abort();
      await this.session?.close();
      await this.runEndCleanups();
    }
    if (this.resumedElsewhere) throw this.resumedElsewhere;
    if (this.pausing) return this.paused(top, started);
    const outputs = Object.fromEntries((top.automation.doc.outputs ?? []).map((name) => [name, top.vars[name]]));
    const status = error === undefined ? 'passed' : this.timedOut ? 'timed_out' : this.signal.aborted ? 'cancelled' : 'failed';
    const serialized = error === undefined ? undefined : this.describeFailure(error);
    // A resumed run's duration is wall time since it first started, review wait included.
    const durationMs = Math.max(0, Math.round((resume ? Date.now() - this.startedAt.getTime() : performance.now() - started) - this.debugPausedMs));
    this.emit({ type: 'run.finished', status, durationMs, outputs, vars: top.vars, ...(serialized ? { error: serialized } : {}) });
    const result: RunResult = { runId: this.id, status, durationMs, outputs: this.masker.mask(outputs), vars: this.masker.mask(top.vars) };
    if (serialized) result.error = this.masker.mask(serialized);
    return result;
  }

  /** Runs what steps registered with onRunEnd (passed, failed, cancelled, timed out or paused). */
  private async runEndCleanups(): Promise<void> {
    this.ended = true;
    for (const cleanup of this.atEnd.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        this.emit({ type: 'log', level: 'warn', message: `cleaning up at the end of the run failed: ${(error as Error).message}` });
      }
    }
  }

  /** The run stopped for a review: its state goes into run.paused, from which it resumes. */
  private paused(top: Frame, started: number): RunResult {
    const { reviewId, path: stepPath, attempt } = this.pausing!;
    if (!this.pausedRecorded) this.emit({ type: 'run.paused', path: stepPath, attempt, reviewId, vars: top.vars, loops: loopsOf(stepPath) });
    return { runId: this.id, status: 'paused', durationMs: Math.round(performance.now() - started), outputs: {}, vars: this.masker.mask(top.vars), review: { id: reviewId, path: stepPath } };
  }

  private pausedRecorded = false;

  /** A step asks a person: record the task, then stop the run (or wait, with --wait-review). */
  private async review(stepPath: string, attempt: number, request: Parameters<StepContext['review']>[0]): Promise<ReviewDecision> {
    if (stepPath.includes('>')) {
      throw new RpaError(`step ${stepPath} is inside a called automation (flow.call); a review there cannot pause the run yet: move the review step into the calling automation`);
    }
    const reviewId = newRunId();
    this.emit({ type: 'review.created', reviewId, path: stepPath, ...request });
    const wait = this.options.waitForReview;
    if (wait) {
      this.emit({ type: 'run.paused', path: stepPath, attempt, reviewId, vars: this.top!.vars, loops: loopsOf(stepPath), waitingPid: process.pid });
      try {
        const { decision, lastSeq } = await wait(reviewId, this.signal);
        this.seq = lastSeq;
        this.emit({ type: 'run.resumed', path: stepPath, reviewId, pid: process.pid });
        return decision;
      } catch (error) {
        if (error instanceof AlreadyResumedError) {
          // Resumed by someone else while this process waited (rpa review --resume, the tray):
          // the run goes on there, and this one stops without acting or recording anything.
          this.resumedElsewhere = error;
          this.controller.abort();
          throw error;
        }
        if (!(error instanceof CancelledError)) throw error;
        // Stopped while waiting: the run stays paused and resumable (rpa review resumes it).
        this.pausedRecorded = true;
      }
    }
    this.pausing = new RunPaused(reviewId, stepPath, attempt);
    // Aborting skips finally blocks and closes the browser: nothing of this process survives.
    this.controller.abort();
    throw this.pausing;
  }

  private describeFailure(error: unknown): SerializedError {
    const serialized = serializeError(
      this.timedOut
        ? new TimeoutError(`the run took longer than its maximum of ${this.options.maxRunMs} ms and was stopped`, { maxRunMs: this.options.maxRunMs })
        : this.signal.aborted
          ? new CancelledError('run cancelled')
          : error,
    );
    const stepPath = typeof error === 'object' && error ? this.failurePaths.get(error) : undefined;
    return stepPath ? { ...serialized, details: { ...serialized.details, step: stepPath } } : serialized;
  }

  private async runSteps(frame: Frame, steps: Step[], prefix: string, topIndex: number): Promise<void> {
    // The top-level list is read afresh before each step: a paused run may have taken the
    // builder's edited automation (DebugRevision) for the steps it has not run yet.
    const list = (): Step[] => (frame === this.top && !prefix ? frame.automation.doc.steps : steps);
    for (let index = 0; index < list().length; index++) {
      if (this.signal.aborted) throw new CancelledError('run cancelled');
      const stepPath = !prefix ? String(index + 1) : prefix.endsWith('>') ? `${prefix}${index + 1}` : `${prefix}.${index + 1}`;
      await this.runStep(frame, list()[index]!, stepPath, topIndex || index + 1, list()[index + 1]);
    }
  }

  /**
   * An action followed by a waiting browser.dialog step, whose dialog opened before the action
   * returned (a busy machine): the action cannot return while the dialog is open, and only the
   * next step answers it. The step ends here — the page's dialog shows the action reached it —
   * and the dialog step, once it has answered the dialog, waits for the rest of the action
   * (thenHandedOver). Otherwise the action's own outcome.
   */
  private untilDialogHeld(start: (ctx: StepContext) => Promise<StepOutcome | void>, ctx: StepContext, held: Promise<HeldDialog>, stepPath: string, label: string): Promise<StepOutcome | void> {
    // Which candidate found the element, known before the action (the outcome says it only once the action returns).
    let matched: MatchedLocator | undefined;
    const resolve = ctx.resolve.bind(ctx);
    ctx.resolve = async (target) => {
      const found = await resolve(target);
      matched = found.matched;
      return found;
    };
    const work = start(ctx);
    let returned = false;
    void work.then(
      () => (returned = true),
      () => (returned = true),
    );
    return Promise.race([
      work,
      held.then((dialog) => {
        // Held after the action returned (before the next step started): the dialog step takes it, nothing waits.
        if (returned) return undefined;
        // Its failure is the dialog step's to report; until then it must not go unhandled.
        work.catch(() => undefined);
        this.handedOver = { stepPath, label, work };
        this.emit({ type: 'log', level: 'info', path: stepPath, message: `the ${dialog.type} "${dialog.message}" opened before this step's action returned; it is held for the browser.dialog step after it` });
        return matched ? { locator: matched } : undefined;
      }),
    ]);
  }

  /** A browser.dialog step: after it answered its dialog, the action before it that the dialog held up must end too (untilDialogHeld). */
  private async thenHandedOver(work: Promise<StepOutcome | void>): Promise<StepOutcome | void> {
    const handedOver = this.handedOver;
    this.handedOver = undefined;
    const outcome = await work;
    if (!handedOver) return outcome;
    try {
      await handedOver.work;
    } catch (error) {
      throw new RpaError(`step ${handedOver.stepPath} (${handedOver.label}) did not finish after its dialog was answered: ${(error as Error).message}`);
    }
    return outcome;
  }

  private retryPolicy(frame: Frame, step: Step): RetryPolicy | undefined {
    if (CONTAINER_KINDS.has(step.kind)) return undefined;
    return step.retry ?? frame.automation.doc.defaults?.retry;
  }

  private async runStep(frame: Frame, given: Step, stepPath: string, topIndex: number, next?: Step): Promise<void> {
    let step = given;
    // Resuming: steps before the paused one ran before the pause; the ones around it and the
    // paused step itself carry on (their step.started is already recorded).
    const resumeAt = this.resumeAt;
    const onResumePath = resumeAt !== undefined && (resumeAt.path === stepPath || isInside(resumeAt.path, stepPath));
    if (resumeAt && !onResumePath) return;
    if (this.options.debug) {
      // Time a builder spends paused at a breakpoint is not the bot's: it is left out of the
      // run's duration, and a log line says where the gap in the timeline comes from.
      const pausedFrom = performance.now();
      const revision = await this.options.debug.beforeStep(stepPath, step, this.debugLive(frame));
      const pausedMs = performance.now() - pausedFrom;
      if (pausedMs >= 50) {
        this.debugPausedMs += pausedMs;
        this.emit({ type: 'log', level: 'info', path: stepPath, message: `paused in the debugger for ${(pausedMs / 1000).toFixed(1)} s before this step (not counted in the run's duration)` });
      }
      // Stopped while paused: the step it waited before does not start.
      if (this.signal.aborted) throw new CancelledError('run cancelled');
      if (revision && frame === this.top && /^\d+$/.test(stepPath)) {
        const { automation, savedVersion } = revision;
        const previousSha256 = frame.automation.sha256;
        frame.automation = automation;
        // Its own event (and audit record): which document, by hash, the rest of the run runs from.
        this.emit({
          type: 'run.revised',
          path: stepPath,
          automation: { id: automation.doc.id, name: automation.doc.name, version: automation.doc.version, file: automation.file, sha256: automation.sha256 },
          previousSha256,
          saved: savedVersion !== undefined,
          ...(savedVersion !== undefined ? { savedVersion } : {}),
          totalSteps: automation.doc.steps.length,
        });
        const next = automation.doc.steps[Number(stepPath) - 1];
        if (!next) return; // the builder removed this step and every one after it
        step = next;
      }
    }
    const container = CONTAINER_KINDS.has(step.kind);
    const policy = this.retryPolicy(frame, step);
    const attempts = policy?.attempts ?? 1;
    const timeoutMs = step.timeoutMs ?? frame.automation.doc.defaults?.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const handler = handlerFor(step.kind);
    const label = this.renderLabel(frame, describeStep(step));
    const unbounded = container || (this.options.waitForReview !== undefined && REVIEWING_KINDS.has(step.kind));
    for (let attempt = onResumePath && resumeAt.path === stepPath ? resumeAt.attempt : 1, first = true; ; attempt++, first = false) {
      if (!(first && onResumePath)) this.emit({ type: 'step.started', path: stepPath, kind: step.kind, label, attempt, topIndex });
      const holdsDialog = HANDS_DIALOG_ON.has(step.kind) && next?.kind === 'browser.dialog' && next.wait === true && !next.whenever;
      const dialogHeld = step.kind.startsWith('browser.') ? this.session?.stepStarted(step.kind, holdsDialog) : undefined;
      this.lookAhead(frame, next, stepPath);
      const began = performance.now();
      // Set once the attempt sends input it cannot take back (keys, a click): a failure after that is not repeated.
      let sent: SentInput | undefined;
      // Set once the runner is done with this attempt (it failed, its deadline passed): a handler
      // still running then must send nothing — the step may be under way again in another attempt.
      let over = false;
      const inputSent = (what: SentInput = 'keys'): void => {
        if (over || this.signal.aborted) throw new RpaError(`step ${stepPath}: this attempt had already ended (its time ran out, or the run was cancelled) when its ${what === 'keys' ? 'keys were' : `${what} was`} about to go out; nothing was sent`);
        sent ??= what;
      };
      try {
        // The step's budget; it stands still while the browser starts (that is not the step's work).
        const clock = new StepClock(timeoutMs);
        const ctx = this.context(frame, stepPath, topIndex, clock, attempt, inputSent);
        const work = step.kind === 'browser.dialog' ? this.thenHandedOver(handler(step, ctx)) : holdsDialog && dialogHeld ? this.untilDialogHeld((watched) => handler(step, watched), ctx, dialogHeld, stepPath, label) : handler(step, ctx);
        // Containers have no deadline of their own: each step inside keeps its own.
        const outcome = unbounded ? await work : await withStepDeadline(work, clock, STEP_GRACE_MS, this.signal, `step ${stepPath} (${label})`);
        if (onResumePath && first && this.resumeAt) {
          if (resumeAt.path === stepPath) this.resumeAt = undefined;
          else throw new RpaError(`cannot resume: step ${resumeAt.path}, where the run paused, was not reached again (a condition around it now decides differently)`);
        }
        const problem = this.session?.dialogProblems.shift();
        if (problem) throw new AssertionFailedError(problem);
        // A confirm or prompt no step answered was dismissed meanwhile: the page went on as told Cancel, which the
        // recording never said — the run stops here rather than pass. Unless the next step is a browser.dialog step:
        // it may declare that dialog's answer (standDialog then names what went wrong, or finds Cancel was the answer).
        if (next?.kind !== 'browser.dialog') {
          const unexpected = this.session?.unexpectedDialogs() ?? [];
          if (unexpected.length) throw new AssertionFailedError(unexpected.join('; '));
        }
        this.emit({ type: 'step.succeeded', path: stepPath, kind: step.kind, attempt, durationMs: Math.round(performance.now() - began), ...(outcome?.locator ? { locator: outcome.locator } : {}) });
        return;
      } catch (caught) {
        over = true;
        if (this.pausing) throw this.pausing; // not a failure: the step waits for a person
        if (this.resumedElsewhere) throw this.resumedElsewhere;
        if (resumeAt?.path === stepPath) this.resumeAt = undefined;
        const error = this.signal.aborted ? new CancelledError('run cancelled') : sent ? asDelivered(caught, sent) : caught;
        const willRetry = attempt < attempts && isRetryable(error);
        if (!willRetry && !container && typeof error === 'object' && error && !this.failurePaths.has(error)) {
          this.failurePaths.set(error, stepPath);
          if (!(error instanceof CancelledError)) await this.captureFailure(stepPath);
        }
        this.emit({ type: 'step.failed', path: stepPath, kind: step.kind, attempt, durationMs: Math.round(performance.now() - began), error: serializeError(error), willRetry });
        if (!willRetry) {
          if (step.continueOnError && !(error instanceof CancelledError) && !(error instanceof InputDeliveredError)) {
            this.emit({ type: 'log', level: 'warn', path: stepPath, message: `step failed and continueOnError is set; going on` });
            return;
          }
          throw error;
        }
        const delay = Math.round((policy?.delayMs ?? 500) * (policy?.backoff ?? 2) ** (attempt - 1));
        this.emit({ type: 'log', level: 'info', path: stepPath, message: `attempt ${attempt} of ${attempts} failed; retrying in ${delay} ms` });
        await abortableSleep(delay, this.signal);
      }
    }
  }

  /**
   * Looks, in the background, for the element of the step after this one (its target as it would render now):
   * if the page removes it before that step begins, that step can tell so and fail once the page is quiet,
   * instead of waiting its whole budget for an element that is not coming (resolveTarget's lastSeen). Costs
   * no step any time: nothing waits for it, and it never fails. Not for a browser.waitFor step: a wait is the
   * builder saying the element comes back in its own time (a list a timer refreshes), however quiet the page.
   */
  private lookAhead(frame: Frame, next: Step | undefined, stepPath: string): void {
    const session = this.session;
    if (!session || !next?.kind.startsWith('browser.') || next.kind === 'browser.waitFor' || !('target' in next) || !next.target) return;
    if (lookAheadOff()) return;
    let target: Target;
    try {
      target = renderValue(next.target, this.scope(frame)) as Target;
    } catch {
      return; // it names a variable not set yet: that step renders it itself
    }
    void session.lookFor(target, `looked for when step ${stepPath} began`);
  }

  private debugLive(frame: Frame): DebugLive {
    const page = (): Page => {
      const session = this.session;
      if (!session) throw new UsageError('no browser is open in this run yet: step past its browser.open step first');
      return session.page;
    };
    return {
      variables: () => this.masker.mask({ inputs: frame.inputs, vars: frame.vars }),
      testTarget: async (target, highlight) => {
        const rendered = renderValue(target, this.scope(frame)) as Target;
        return this.masker.mask(await testTarget(page(), rendered, highlight));
      },
      clearHighlights: async () => {
        if (this.session) await clearHighlights(this.session.page).catch(() => undefined);
      },
      automation: () => (this.top ?? frame).automation,
    };
  }

  /** Labels show values, not placeholders: "go to http://…/login" rather than "{{inputs.baseUrl}}/login". */
  private renderLabel(frame: Frame, label: string): string {
    if (!label.includes('{{')) return label;
    try {
      return this.masker.maskText(renderText(label, this.scope(frame)));
    } catch {
      return label; // a variable not set yet: the placeholder says more than nothing
    }
  }

  private scope(frame: Frame): TemplateScope {
    const secrets = this.options.secrets;
    return {
      inputs: frame.inputs,
      vars: frame.vars,
      run: { id: this.id, startedAt: this.startedAt.toISOString(), dir: this.runDir, automationDir: frame.automation.dir },
      secret: (name) => {
        const value = secrets?.get(name);
        if (value === undefined) throw new TemplateError(`secret "${name}" has no value in this run`);
        return value;
      },
    };
  }

  private context(frame: Frame, stepPath: string, topIndex: number, clock: StepClock, attempt: number, inputSent: (what?: SentInput) => void = () => {}): StepContext {
    const scope = this.scope(frame);
    const ctx: StepContext = {
      runId: this.id,
      signal: this.signal,
      automation: frame.automation,
      vars: frame.vars,
      path: stepPath,
      get timeoutMs() {
        return Math.max(1, clock.remainingMs());
      },
      render: (value) => renderValue(value, scope),
      renderText: (template) => renderText(template, scope),
      log: (level, message) => this.emit({ type: 'log', level, message, path: stepPath }),
      browser: () => {
        if (!this.session && this.options.resume) {
          throw new RpaError('no browser is open: this run resumed after a human review, and a browser does not survive the pause; add a browser.open step after the review step');
        }
        if (!this.session) throw new RpaError('no browser is open: add a browser.open step before this one');
        return this.session;
      },
      openBrowser: (viewport) => clock.excluding(() => this.openBrowser(stepPath, viewport)),
      containsSecret: (text) => this.masker.maskText(text) !== text,
      // Locator texts may be templated too, e.g. a link named after {{vars.claimNumber}}.
      resolve: async (target) => {
        const rendered = renderValue(target, scope) as typeof target;
        const session = ctx.browser();
        const page = session.page;
        const found = await resolveTarget(page, rendered, ctx.timeoutMs, this.signal, {
          healThreshold: frame.automation.doc.defaults?.healThreshold,
          errorPage: (frames) => session.errorPageOnTheWay(page, frames),
          busy: () => session.networkBusy(),
          lastSeen: () => session.lastSeen(page, rendered),
          seen: (how) => session.noteSeen(page, rendered, `${how}, found by step ${stepPath}`),
        });
        return { ...found, target: rendered };
      },
      ready: (found, when) => untilReady(ctx.browser().page, found.target ?? { candidates: [] }, found, when, ctx.timeoutMs, this.signal, { busy: () => ctx.browser().networkBusy() }),
      saveArtifact: (kind, fileName, data, options) => this.saveArtifact(stepPath, kind, fileName, data, options),
      announceFile: (file) => this.emit({ type: 'artifact', path: stepPath, artifactKind: 'file', file, bytes: statSync(file).size }),
      resolvePath: (file) => path.resolve(frame.automation.dir, file),
      workQueue: (server) => {
        if (!this.options.workQueue) throw new RpaError('no work queue is available to this run');
        return this.options.workQueue(server);
      },
      runSteps: (steps, segment) => this.runSteps(frame, steps, `${stepPath}.${segment}`.replace('.[', '['), topIndex),
      models: () => {
        if (!this.options.models) throw new RpaError('no model providers are available to this run');
        return this.options.models();
      },
      emit: (body) => this.emit(body),
      onRunEnd: (cleanup) => {
        // A step that finishes after the run stopped (it ignored the abort) cleans up at once.
        if (this.ended) void cleanup().catch(() => undefined);
        else this.atEnd.push(cleanup);
      },
      inputSent,
      review: (request) => this.review(stepPath, attempt, request),
      resumedReview: (): ResumedReview | undefined => (this.resumeAt?.path === stepPath ? this.resumeAt.review : undefined),
      callAutomation: async (child, given) => {
        const childFrame: Frame = { automation: child, inputs: prepareInputs(child, given), vars: {} };
        await this.runSteps(childFrame, child.doc.steps, `${stepPath}>`, topIndex);
        return Object.fromEntries((child.doc.outputs ?? []).map((name) => [name, childFrame.vars[name]]));
      },
    };
    return ctx;
  }

  /** Starts the run's browser under its own time limit (the step's clock stands still meanwhile). */
  private async openBrowser(stepPath: string, viewport: { width: number; height: number } | undefined): Promise<BrowserSession> {
    if (this.session) return this.session;
    // A browser given to the run is running already: nothing to find.
    const executablePath = this.options.browser ? 'the browser given to this run' : this.options.browserPath();
    const limit = this.options.launchTimeout ?? { ms: DEFAULT_LAUNCH_TIMEOUT_MS, source: undefined };
    const started = performance.now();
    const session = await BrowserSession.launch({
      executablePath,
      headless: this.options.headless ?? true,
      viewport,
      launchTimeoutMs: limit.ms,
      limitSource: limit.source,
      env: this.options.browserEnv,
      browser: this.options.browser,
      // Cancelled or ended while starting: the browser is closed as soon as it is up.
      signal: AbortSignal.any([this.signal, this.ending.signal]),
      log: (level, message) => this.emit({ type: 'log', level, message }),
    });
    if (this.signal.aborted || this.ending.signal.aborted) {
      // Started just as the run stopped (its close found no browser yet): close it here.
      await session.close();
      throw new CancelledError('run cancelled');
    }
    this.session = session;
    const tookMs = Math.round(performance.now() - started);
    if (tookMs >= SLOW_LAUNCH_MS) {
      this.emit({ type: 'log', level: 'info', path: stepPath, message: `the browser took ${(tookMs / 1000).toFixed(1)} s to start (not counted against the step's time; limit ${limit.ms} ms)` });
    }
    return session;
  }

  private async saveArtifact(stepPath: string, kind: 'screenshot' | 'html' | 'file', fileName: string, data: Buffer | string, options: { failure?: boolean } = {}): Promise<string> {
    // Screenshots and pages of the systems bots work in: for the owner's eyes only.
    await mkdir(this.runDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.runDir, `${safeFileName(stepPath)}-${fileName}`);
    const content = typeof data === 'string' ? this.htmlMasker.maskText(this.masker.maskText(data)) : data;
    // Write then rename: an artifact path in the store always points at a complete file.
    const temporary = `${file}.tmp`;
    await writeFile(temporary, content, { mode: 0o600 });
    await rename(temporary, file);
    // The hash of exactly the bytes written (masked): sealed in the audit record, it is what an
    // uploaded copy is checked against on the server and later.
    const sha256 = createHash('sha256').update(content).digest('hex');
    const failureScreenshot = kind === 'screenshot' && options.failure ? { failureScreenshot: this.options.uploadFailureScreenshots ? ('upload' as const) : ('kept' as const) } : {};
    this.emit({ type: 'artifact', path: stepPath, artifactKind: kind, file, bytes: Buffer.byteLength(content), sha256, ...failureScreenshot });
    return file;
  }

  /** The page as it was when a step failed: a screenshot and its HTML. */
  private async captureFailure(stepPath: string): Promise<void> {
    const session = this.session;
    if (!session || this.signal.aborted) return;
    let page;
    try {
      page = session.page;
    } catch {
      return; // the tab is gone; nothing to capture
    }
    try {
      // Fields filled from secrets are masked in both.
      await this.saveArtifact(stepPath, 'screenshot', 'failure.png', await session.screenshot(page, { timeout: 5_000 }), { failure: true });
      await this.saveArtifact(stepPath, 'html', 'failure.html', await session.html(page));
    } catch (error) {
      this.emit({ type: 'log', level: 'warn', path: stepPath, message: `could not capture the page after the failure: ${(error as Error).message.split('\n')[0]}` });
    }
  }
}
