// Breakpoints and step-through for one run. The runner awaits beforeStep() before each
// step; a step with a breakpoint (or the next step, when stepping) waits here until the
// builder continues, steps, or cancels the run.
import type { Step } from '../format/schema.js';

export interface RunDebuggerEvents {
  paused(path: string): void;
  resumed(): void;
}

export class RunDebugger {
  readonly breakpoints: Set<string>;
  private stepping: boolean;
  private release: (() => void) | undefined;
  pausedAt: string | undefined;

  constructor(
    breakpoints: Iterable<string>,
    stepThrough: boolean,
    private readonly events: RunDebuggerEvents,
  ) {
    this.breakpoints = new Set(breakpoints);
    this.stepping = stepThrough;
  }

  async beforeStep(path: string, _step: Step): Promise<void> {
    if (!this.stepping && !this.breakpoints.has(path)) return;
    this.stepping = false;
    this.pausedAt = path;
    this.events.paused(path);
    await new Promise<void>((resolve) => (this.release = resolve));
    this.pausedAt = undefined;
    this.release = undefined;
    this.events.resumed();
  }

  setBreakpoints(paths: Iterable<string>): void {
    this.breakpoints.clear();
    for (const p of paths) this.breakpoints.add(p);
  }

  /** Runs on to the next breakpoint. */
  continue(): void {
    this.stepping = false;
    this.release?.();
  }

  /** Runs the paused step and pauses before the next one. */
  step(): void {
    this.stepping = true;
    this.release?.();
  }

  /** The run is being cancelled: let it go without pausing again. */
  detach(): void {
    this.breakpoints.clear();
    this.continue();
  }
}
