// Typed errors that cross process boundaries as { name, message, details } and are
// rebuilt on the other side. A user-caused error always says what was wrong, where,
// and what to do.
import type { SerializedError } from './events.js';

export class RpaError extends Error {
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** One problem found while validating an automation document. */
export interface ValidationIssue {
  /** File the problem is in (as given by the user). */
  file: string;
  /** JSON path inside that file, e.g. `steps[3].target.candidates`; empty for the whole document. */
  path: string;
  message: string;
}

export class AutomationInvalidError extends RpaError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super(issues.map(formatIssue).join('\n'), { issues });
    this.issues = issues;
  }
}

export function formatIssue(issue: ValidationIssue): string {
  return issue.path ? `${issue.file}: ${issue.path}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

export class UsageError extends RpaError {}
export class TimeoutError extends RpaError {}
export class CancelledError extends RpaError {}
export class LocatorNotFoundError extends RpaError {}
export class AmbiguousLocatorError extends RpaError {}
export class AssertionFailedError extends RpaError {}
export class MissingSecretError extends RpaError {}
export class MissingInputError extends RpaError {}
export class BrowserNotFoundError extends RpaError {}
/** Raised on purpose by a `flow.fail` step: bad business data, not a system hiccup. */
export class BusinessError extends RpaError {}
/** Raised on purpose by `flow.fail` with `retryable`: a system hiccup worth trying again. */
export class ApplicationError extends RpaError {}
export class StepError extends RpaError {}
/**
 * The step failed after input it cannot take back had gone out (keys typed, perhaps partly, or
 * into another window than meant): doing the step again would send it again (a value typed
 * twice into a legacy system). It is never retried, continued past or caught: the run stops,
 * and a person checks what the programs received.
 */
export class InputDeliveredError extends RpaError {}

const known = {
  RpaError,
  AutomationInvalidError: RpaError,
  UsageError,
  TimeoutError,
  CancelledError,
  LocatorNotFoundError,
  AmbiguousLocatorError,
  AssertionFailedError,
  MissingSecretError,
  MissingInputError,
  BrowserNotFoundError,
  BusinessError,
  ApplicationError,
  StepError,
  InputDeliveredError,
} as const;

export function serializeError(error: unknown): SerializedError {
  if (error instanceof RpaError) {
    return error.details ? { name: error.name, message: error.message, details: error.details } : { name: error.name, message: error.message };
  }
  if (error instanceof Error) {
    // Playwright's own errors carry a call log after the first line; keep it, it is what a
    // builder needs, but without the terminal colour codes.
    // eslint-disable-next-line no-control-regex
    const message = error.message.replace(/\u001b\[[0-9;]*m/g, '');
    return { name: error.name === 'Error' ? 'StepError' : error.name, message };
  }
  return { name: 'StepError', message: String(error) };
}

/** Rebuilds a typed error from its serialized form (the other side of a boundary). */
export function deserializeError(serialized: SerializedError): RpaError {
  if (serialized.name === 'AutomationInvalidError') {
    const issues = (serialized.details?.['issues'] as ValidationIssue[] | undefined) ?? [];
    return new AutomationInvalidError(issues);
  }
  const isKnown = Object.hasOwn(known, serialized.name);
  const Ctor = isKnown ? (known as Record<string, typeof RpaError>)[serialized.name]! : RpaError;
  const error = new Ctor(serialized.message, serialized.details);
  if (!isKnown) error.name = serialized.name;
  return error;
}
