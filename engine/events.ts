// The one typed stream of run events. Every consumer (run store, CLI progress,
// JSON output, later the audit outbox and the live UI) subscribes to this stream;
// nothing else writes run state.
import { z } from 'zod';
import { Fingerprint, Locator } from './format/schema.js';

export const RunStatus = z.enum(['running', 'passed', 'failed', 'cancelled', 'timed_out', 'interrupted', 'paused']);
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

/** A signed (or integrity-checked) automation package a run came from. */
export const PackageRef = z.object({
  /** Absolute path of the .rpapkg file. */
  file: z.string(),
  /** SHA-256 of the package's manifest: names every file's hash. */
  sha256: z.string(),
  /** Who signed it, when it is signed. */
  signer: z.object({ keyId: z.string(), name: z.string().optional(), trustedAs: z.string().optional() }).optional(),
});
export type PackageRef = z.infer<typeof PackageRef>;

/** A target found by its fingerprint after every candidate failed (self-healing). */
export const HealedLocator = z.object({
  /** The candidates that failed, as text. */
  from: z.string(),
  /** A new locator verified to match exactly the healed element. */
  to: Locator,
  /** Similarity of the healed element to the recorded fingerprint, 0…1. */
  score: z.number(),
  /** Score of the next-best element, when there was one. */
  runnerUp: z.number().optional(),
  /** The healed element's fingerprint now (to refresh the file with `rpa heal`). */
  fingerprint: Fingerprint.optional(),
});
export type HealedLocator = z.infer<typeof HealedLocator>;

/** Which locator candidate of a target matched. */
export const MatchedLocator = z.object({
  index: z.number().int().min(0),
  description: z.string(),
  /** True when a candidate other than the first one matched. */
  fallback: z.boolean(),
  /** Set when no candidate matched and the element was found by its fingerprint; `index` is then the number of candidates. */
  healed: HealedLocator.optional(),
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
  /** The automation package the run came from, when it came from one. */
  package: PackageRef.optional(),
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
  /**
   * SHA-256 (hex) of the file's bytes as written (after masking). Sealed in the run's audit
   * record, so a copy sent elsewhere (a failure screenshot uploaded to the audit server) is
   * checked against it. Absent in events written before it was recorded.
   */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /**
   * Only on the screenshot taken because a step failed: `upload` when the machine policy lets
   * it go to the audit server (failureScreenshots.upload), `kept` when it stays on this machine
   * by policy. Decided when it is taken and sealed with the record.
   */
  failureScreenshot: z.enum(['upload', 'kept']).optional(),
});

export const RunFinishedEvent = z.object({
  ...base,
  type: z.literal('run.finished'),
  /** interrupted: written by the next rpa to open the store, for a run whose process died mid-run. */
  status: z.enum(['passed', 'failed', 'cancelled', 'timed_out', 'interrupted']),
  durationMs: z.number().min(0),
  outputs: z.record(z.string(), z.unknown()),
  vars: z.record(z.string(), z.unknown()),
  error: SerializedError.optional(),
});

/** One call to a model provider, as recorded on the run (see engine/extract/types.ts ModelCallRecord). */
export const ModelCall = z.object({
  provider: z.string(),
  model: z.string(),
  prompt: z.object({ id: z.string(), version: z.string() }).optional(),
  /** SHA-256 of exactly what was sent (after PII masking). */
  requestSha256: z.string(),
  /** What was sent, PII masked, images replaced by their SHA-256. */
  redactedRequest: z.unknown(),
  response: z.unknown(),
  usage: z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) }).optional(),
  costUsd: z.number().min(0).optional(),
  latencyMs: z.number().min(0),
  attempts: z.number().int().min(1),
  /** The built-in system prompt and its version ("extract@2"). */
  systemPrompt: z.string().optional(),
  /** Absent in records written before attempts were recorded (those were all successes). */
  status: z.enum(['succeeded', 'failed', 'cancelled']).optional(),
  error: z.string().optional(),
  shadow: z.boolean().optional(),
  attemptLog: z
    .array(
      z.object({
        attempt: z.number().int().min(1),
        outcome: z.enum(['ok', 'invalid-answer', 'http-error', 'timeout', 'unreachable', 'cancelled', 'error']),
        httpStatus: z.number().int().optional(),
        error: z.string().optional(),
        usage: z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) }).optional(),
        costUsd: z.number().min(0).optional(),
        latencyMs: z.number().min(0),
      }),
    )
    .optional(),
});

export const ModelCalledEvent = z.object({
  ...base,
  type: z.literal('model.called'),
  path: z.string(),
  call: ModelCall,
  /** PII kinds masked in the request, with counts. */
  masked: z.record(z.string(), z.number().int().min(0)).optional(),
  /** Same as call.costUsd; top level so audit metrics can sum it. */
  cost: z.number().min(0).optional(),
});

/**
 * Shadow mode: a second provider read the same document as the step's provider. Per field,
 * whether their (normalised) values agree — never the values themselves, which may be
 * personal data; the shadow's own answer is in its model.called record, masked. Nothing in
 * the run acts on it.
 */
export const ModelShadowEvent = z.object({
  ...base,
  type: z.literal('model.shadow'),
  path: z.string(),
  primary: z.object({ provider: z.string(), model: z.string().optional() }),
  shadow: z.object({ provider: z.string(), model: z.string().optional() }),
  /** compared: both answered; failed: the shadow did not (error says why); skipped: the primary failed, nothing to compare. */
  status: z.enum(['compared', 'failed', 'skipped']),
  /** Share of fields whose values agree (0..1). */
  agreement: z.number().min(0).max(1).optional(),
  fields: z.array(z.object({ name: z.string(), agree: z.boolean(), primaryConfidence: z.number(), shadowConfidence: z.number() })).optional(),
  error: z.string().optional(),
});

export const ExtractionEvent = z.object({
  ...base,
  type: z.literal('extraction'),
  path: z.string(),
  provider: z.string(),
  /** `template`: the learned layout template (id, version) that placed the value. */
  fields: z.array(z.object({ name: z.string(), confidence: z.number(), problems: z.array(z.string()), template: z.object({ id: z.string(), version: z.number() }).optional() })),
  /** Cross-field rule failures and other problems not tied to one field. */
  problems: z.array(z.string()),
  threshold: z.number(),
  routedToReview: z.boolean(),
});

export const ReviewCreatedEvent = z.object({
  ...base,
  type: z.literal('review.created'),
  reviewId: z.string(),
  path: z.string(),
  title: z.string(),
  instructions: z.string().optional(),
  assignee: z.string().optional(),
  /** Values to confirm or correct. */
  values: z.record(z.string(), z.unknown()),
  /** Per-field confidence, source and problems; plus the model output and document hash for labelled examples. */
  details: z.record(z.string(), z.unknown()),
});

export const ReviewResolvedEvent = z.object({
  ...base,
  type: z.literal('review.resolved'),
  reviewId: z.string(),
  decision: z.enum(['approved', 'corrected', 'rejected']),
  values: z.record(z.string(), z.unknown()),
  reviewer: z.string(),
  comment: z.string().optional(),
});

export const RunPausedEvent = z.object({
  ...base,
  type: z.literal('run.paused'),
  /** The step waiting for the review; the run resumes there. */
  path: z.string(),
  attempt: z.number().int().min(1),
  reviewId: z.string(),
  /** Variables of the run at the pause, restored on resume. */
  vars: z.record(z.string(), z.unknown()),
  /** Iteration numbers (1-based) of the flow.forEach steps around the paused step, outermost first. */
  loops: z.array(z.number().int().min(1)),
  /** A process still alive that waits for the review and resumes the run itself (rpa run --wait-review). */
  waitingPid: z.number().int().optional(),
});

export const RunResumedEvent = z.object({
  ...base,
  type: z.literal('run.resumed'),
  path: z.string(),
  reviewId: z.string(),
  /** The process now running the run. */
  pid: z.number().int(),
});

/**
 * A run paused in the studio's debugger took the builder's edited automation: `path` (a
 * top-level step) and the steps after it run from `automation`, not the version the run
 * started with. Its own record in the audit chain, so an auditor sees which steps ran from
 * which document (by hash) and whether that document was ever saved.
 */
export const RunRevisedEvent = z.object({
  ...base,
  type: z.literal('run.revised'),
  /** The top-level step from which the revision runs. */
  path: z.string(),
  /** The document the rest of the run runs from; sha256 is the hash of that exact text. */
  automation: AutomationRef,
  /** The hash of the document the run was using until now (the one it started with, or an earlier revision). */
  previousSha256: z.string(),
  /** saved: a version kept in the automation's history (savedVersion); unsaved: handed over without saving, found in no file. */
  saved: z.boolean(),
  savedVersion: z.number().int().min(1).optional(),
  /** Number of top-level steps of the revised automation (the run's new total, for progress displays). */
  totalSteps: z.number().int().min(0),
});

export const RunEvent = z.discriminatedUnion('type', [
  RunStartedEvent,
  StepStartedEvent,
  StepSucceededEvent,
  StepFailedEvent,
  LogEvent,
  ArtifactEvent,
  RunFinishedEvent,
  ModelCalledEvent,
  ModelShadowEvent,
  ExtractionEvent,
  ReviewCreatedEvent,
  ReviewResolvedEvent,
  RunPausedEvent,
  RunResumedEvent,
  RunRevisedEvent,
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
