// The one typed stream of run events. Every consumer (run store, CLI progress,
// JSON output, later the audit outbox and the live UI) subscribes to this stream;
// nothing else writes run state.
import { z } from 'zod';

export const RunStatus = z.enum(['running', 'passed', 'failed', 'cancelled', 'timed_out', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const SerializedError = z.object({
  name: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type SerializedError = z.infer<typeof SerializedError>;

export const AutomationRef = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  /** Absolute path of the automation file, when it came from a file. */
  file: z.string().optional(),
  /** SHA-256 of the automation document as loaded (hex). */
  sha256: z.string(),
});
export type AutomationRef = z.infer<typeof AutomationRef>;

/** Which locator candidate of a target matched. */
export const MatchedLocator = z.object({
  index: z.number().int().min(0),
  description: z.string(),
  /** True when a candidate other than the first one matched. */
  fallback: z.boolean(),
});
export type MatchedLocator = z.infer<typeof MatchedLocator>;

const base = {
  runId: z.string(),
  /** Position of this event within its run, starting at 1. */
  seq: z.number().int().min(1),
  ts: z.string(),
};

export const RunStartedEvent = z.object({
  ...base,
  type: z.literal('run.started'),
  automation: AutomationRef,
  inputs: z.record(z.string(), z.unknown()),
  headless: z.boolean(),
  pid: z.number().int(),
  /** Number of top-level steps, for progress displays. */
  totalSteps: z.number().int().min(0),
  /** What started the run: manual, schedule:<id>, folder:<file>, queue:<item id>. */
  trigger: z.string().optional(),
});

export const StepStartedEvent = z.object({
  ...base,
  type: z.literal('step.started'),
  path: z.string(),
  kind: z.string(),
  label: z.string(),
  attempt: z.number().int().min(1),
  /** 1-based index of the top-level step this belongs to. */
  topIndex: z.number().int().min(1),
});

export const StepSucceededEvent = z.object({
  ...base,
  type: z.literal('step.succeeded'),
  path: z.string(),
  kind: z.string(),
  attempt: z.number().int().min(1),
  durationMs: z.number().min(0),
  locator: MatchedLocator.optional(),
});

export const StepFailedEvent = z.object({
  ...base,
  type: z.literal('step.failed'),
  path: z.string(),
  kind: z.string(),
  attempt: z.number().int().min(1),
  durationMs: z.number().min(0),
  error: SerializedError,
  /** True when the runner will try this step again. */
  willRetry: z.boolean(),
});

export const LogEvent = z.object({
  ...base,
  type: z.literal('log'),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  message: z.string(),
  path: z.string().optional(),
});

export const ArtifactEvent = z.object({
  ...base,
  type: z.literal('artifact'),
  path: z.string().optional(),
  artifactKind: z.enum(['screenshot', 'html', 'file']),
  /** Absolute path of the artifact file; the file is complete when this event is emitted. */
  file: z.string(),
  bytes: z.number().int().min(0),
});

export const RunFinishedEvent = z.object({
  ...base,
  type: z.literal('run.finished'),
  status: z.enum(['passed', 'failed', 'cancelled', 'timed_out']),
  durationMs: z.number().min(0),
  outputs: z.record(z.string(), z.unknown()),
  vars: z.record(z.string(), z.unknown()),
  error: SerializedError.optional(),
});

export const RunEvent = z.discriminatedUnion('type', [
  RunStartedEvent,
  StepStartedEvent,
  StepSucceededEvent,
  StepFailedEvent,
  LogEvent,
  ArtifactEvent,
  RunFinishedEvent,
]);
export type RunEvent = z.infer<typeof RunEvent>;
export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** An event before the runner stamps it with runId, seq and ts. */
export type RunEventBody = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'runId' | 'seq' | 'ts'>
    : never
  : never;
