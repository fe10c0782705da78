// What a step handler sees of the run it belongs to.
import type { ModelProviders } from '../ai/registry.js';
import type { MatchedLocator, RunEventBody } from '../events.js';
import type { LoadedAutomation } from '../format/load.js';
import type { Step, Target } from '../format/schema.js';
import type { WorkQueue } from '../queue/types.js';
import type { ResumedReview, ReviewRequest } from '../review/pause.js';
import type { ReviewDecision } from '../review/review-store.js';
import type { BrowserSession } from './browser-session.js';
import type { ReadyWhen, Resolved } from './locate.js';

export interface StepOutcome {
  locator?: MatchedLocator | undefined;
}

export interface StepContext {
  readonly runId: string;
  readonly signal: AbortSignal;
  /** The automation this step belongs to (a called automation for steps inside flow.call). */
  readonly automation: LoadedAutomation;
  /** Variables of that automation. */
  readonly vars: Record<string, unknown>;
  /** Path of this step, e.g. "3.then.1". */
  readonly path: string;
  /** Per-attempt time budget of this step. */
  readonly timeoutMs: number;
  render(value: unknown): unknown;
  renderText(template: string): string;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  /** The open browser; throws a clear error when no browser.open ran before. */
  browser(): BrowserSession;
  /** Starts the run's browser (once). The step's time budget stands still while it starts: the start has its own limit. */
  openBrowser(viewport?: { width: number; height: number }): Promise<BrowserSession>;
  /** True when the text holds the value of a secret of this run (so whatever shows it must be masked). */
  containsSecret(text: string): boolean;
  /** Finds the one element a target means, within this step's time budget. */
  resolve(target: Target): Promise<Resolved>;
  /**
   * Waits until the element `resolve` found can take the step's action (`when`: a trial run of it, or a
   * look), failing the step at once when the page removed it for good (locate.ts, REMOVED_MS).
   */
  ready(found: Resolved, when: ReadyWhen): Promise<void>;
  /**
   * Writes an artifact file (atomically) and announces it with its SHA-256. Returns its absolute
   * path. `failure`: a screenshot of what the screen showed when the step failed (the machine
   * policy decides whether it may go to the audit server).
   */
  saveArtifact(kind: 'screenshot' | 'html' | 'file', fileName: string, data: Buffer | string, options?: { failure?: boolean }): Promise<string>;
  /** Announces a file written elsewhere (e.g. a CSV output). */
  announceFile(file: string): void;
  /** Resolves a path relative to the automation file's folder. */
  resolvePath(file: string): string;
  /** Runs nested steps; `segment` is appended to this step's path (e.g. "then", "[2]"). */
  runSteps(steps: Step[], segment: string): Promise<void>;
  /** The local work queue, or the central one at server (for queue.add). */
  workQueue(server?: string): WorkQueue;
  /** Runs another automation in this run, sharing the browser; returns its outputs. */
  callAutomation(automation: LoadedAutomation, inputs: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The configured model providers ("local" always). */
  models(): ModelProviders;
  /** Records an event of this run (model calls, extraction summaries). */
  emit(body: RunEventBody): void;
  /** Registers something to undo when the run stops in this process, however it ends (e.g. close a started program). */
  onRunEnd(cleanup: () => Promise<void>): void;
  /**
   * Creates a review task and waits for a person: the run pauses durably (this rejects with
   * RunPaused; the run resumes later at this step) or, with --wait-review, resolves with the decision.
   */
  review(request: ReviewRequest): Promise<ReviewDecision>;
  /**
   * Notes that this attempt is about to send input that cannot be taken back (keys; a click or
   * drag, whose button goes down next): from then on a failure of the step (its own, its
   * deadline) is an InputDeliveredError, which is not retried, continued past or caught. Call it
   * right before the input goes out. It throws when the attempt is already over (its deadline
   * passed, the run was cancelled): the runner has moved on (it may be doing the step again), so
   * this attempt must send nothing.
   */
  inputSent(what?: SentInput): void;
  /** When the run resumed at this step: the decision on the review it paused for. */
  resumedReview(): ResumedReview | undefined;
}

/** What a step sends that cannot be taken back (see StepContext.inputSent). */
export type SentInput = 'keys' | 'click' | 'drag';

export type StepHandler<S extends Step = Step> = (step: S, ctx: StepContext) => Promise<StepOutcome | void>;
