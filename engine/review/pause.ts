// How a run stops for a review and picks up again: the signal a step raises to pause the run,
// what the runner needs to resume it, and what a step asks the runner for.
import { CancelledError } from '../errors.js';
import type { ReviewDecision } from './review-store.js';

/** What a step hands over to a person. */
export interface ReviewRequest {
  title: string;
  instructions?: string | undefined;
  assignee?: string | undefined;
  values: Record<string, unknown>;
  details: Record<string, unknown>;
}

/** The decision on a review, given back to the step that asked for it when the run resumes. */
export interface ResumedReview extends ReviewDecision {
  reviewId: string;
  /** The task as it was created (values and details shown to the reviewer). */
  task: { values: Record<string, unknown>; details: Record<string, unknown> };
}

/** Where and with what a paused run resumes. */
export interface ResumeState {
  path: string;
  attempt: number;
  vars: Record<string, unknown>;
  inputs: Record<string, unknown>;
  /** Last seq recorded for the run; the resumed run continues after it. */
  lastSeq: number;
  startedAt: string;
  review: ResumedReview;
}

/**
 * Raised by the runner when a step asked for a review and the run stops until it is resolved.
 * A CancelledError so that flow.try passes it through instead of catching it.
 */
export class RunPaused extends CancelledError {
  constructor(
    readonly reviewId: string,
    readonly path: string,
    readonly attempt: number,
  ) {
    super(`run paused at step ${path}: waiting for review ${reviewId}`, { reviewId, path });
  }
}

/** 1-based iteration numbers of the flow.forEach steps around a step path, outermost first. */
export function loopsOf(stepPath: string): number[] {
  return [...stepPath.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
}

/** True when `inner` is a step nested (at any depth) inside the step at `outer`. */
export function isInside(inner: string, outer: string): boolean {
  return inner.length > outer.length && inner.startsWith(outer) && '.[>'.includes(inner[outer.length]!);
}

/** Who resumed a run: the process that recorded its run.resumed. */
export interface ResumedBy {
  pid: number;
  host: string;
  at: string;
}

/**
 * A paused run is resumed by one caller only: the one whose run.resumed the store took (it
 * claims the run: paused → running, in one UPDATE). Every other caller — the reviewer's
 * `rpa review`, the tray, the host's review resumer, a process waiting with --wait-review — gets
 * this, does nothing of the run and records nothing. A CancelledError so that flow.try passes it
 * through instead of catching it.
 */
export class AlreadyResumedError extends CancelledError {
  constructor(
    readonly runId: string,
    readonly by: ResumedBy | undefined,
    status: string,
  ) {
    super(
      by
        ? `run ${runId} was already resumed by process ${by.pid} on ${by.host} at ${by.at}${status === 'running' ? '' : `; it has ended since (${status})`}`
        : `run ${runId} is not paused (it is ${status}): nothing to resume`,
      { runId, ...(by ? { resumedBy: by } : {}), status },
    );
  }
}
