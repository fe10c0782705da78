// Breakpoints and step-through for one run. The runner awaits beforeStep() before each
// step; a step with a breakpoint (or the next step, when stepping) waits here until the
// builder continues, steps, or cancels the run.
import type { Step, Target } from '../format/schema.js';
import type { LoadedAutomation } from '../format/load.js';
import type { DebugLive, DebugRevision } from '../runner/runner.js';
import type { LocatorTestResult } from '../runner/test-locator.js';
import { ConflictError } from './errors.js';

export interface RunDebuggerEvents {
  paused(path: string): void;
  resumed(): void;
}

export class RunDebugger {
  readonly breakpoints: Set<string>;
  private stepping: boolean;
  private release: (() => void) | undefined;
  pausedAt: string | undefined;
  /** The paused run's variables and page; only while paused. */
  private live: DebugLive | undefined;
  /** The edited automation the run takes when it goes on (given with step or continue). */
  private revision: DebugRevision | undefined;

  constructor(
    breakpoints: Iterable<string>,
    stepThrough: boolean,
    private readonly events: RunDebuggerEvents,
  ) {
    this.breakpoints = new Set(breakpoints);
    this.stepping = stepThrough;
  }

  async beforeStep(path: string, step: Step, live: DebugLive): Promise<DebugRevision | undefined> {
    if (!this.stepping && !this.breakpoints.has(path)) return undefined;
    this.stepping = false;
    this.pausedAt = path;
    this.live = live;
    const released = new Promise<void>((resolve) => (this.release = resolve));
    this.events.paused(path);
    // In the visible browser, outline what the step is about to act on.
    const target = 'target' in step ? (step.target as Target | undefined) : undefined;
    const shown = target && step.kind.startsWith('browser.') ? live.testTarget(target).catch(() => undefined) : undefined;
    await released;
    // An outline still being drawn would stay after the clean-up: let it finish first (briefly).
    if (shown) await Promise.race([shown, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    this.pausedAt = undefined;
    this.release = undefined;
    this.live = undefined;
    await live.clearHighlights();
    const revision = this.revision;
    this.revision = undefined;
    this.events.resumed();
    return revision;
  }

  /** The automation the paused run goes on with, as of now; undefined when not paused. */
  automation(): LoadedAutomation | undefined {
    return this.live?.automation();
  }

  /** The paused run's inputs and variables (secrets masked). */
  variables(): ReturnType<DebugLive['variables']> | undefined {
    return this.live?.variables();
  }

  /** Tries a target on the paused run's page. */
  async testTarget(target: Target, highlight?: number): Promise<LocatorTestResult> {
    if (!this.live) throw new ConflictError('the run is not paused: set a breakpoint on a step (or pause before the first step) and test locators while it waits there');
    return await this.live.testTarget(target, highlight);
  }

  setBreakpoints(paths: Iterable<string>): void {
    this.breakpoints.clear();
    for (const p of paths) this.breakpoints.add(p);
  }

  /** Runs on to the next breakpoint (from `revision` on, when given). */
  continue(revision?: DebugRevision): void {
    this.stepping = false;
    this.go(revision);
  }

  /** Runs the paused step and pauses before the next one (from `revision` on, when given). */
  step(revision?: DebugRevision): void {
    this.stepping = true;
    this.go(revision);
  }

  private go(revision: DebugRevision | undefined): void {
    if (revision && !this.release) throw new ConflictError('the run is not paused: edits can only be handed to a run waiting at a breakpoint');
    this.revision = revision;
    this.release?.();
  }

  /** The run is being cancelled: let it go without pausing again. */
  detach(): void {
    this.breakpoints.clear();
    this.continue();
  }
}
