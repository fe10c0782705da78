// The studio API, defined once: every request, response and pushed message as a zod schema.
// Both transports (HTTP + WebSocket for `rpa studio`, IPC for the Electron shell) and the
// renderer derive their types and validation from this file. It must stay free of Node
// modules: the renderer bundles it.
import { z } from 'zod';
import { RunEvent, RunStatus, SerializedError, MatchedLocator } from '../events.js';
import { Automation, InputDecl, Step, Target } from '../format/schema.js';
import { ProviderSettings } from '../ai/settings.js';

export const ValidationIssue = z.object({ file: z.string(), path: z.string(), message: z.string() });
export type ValidationIssue = z.infer<typeof ValidationIssue>;

/** An automation in the studio's workspace: `<root>/<relative path>`, e.g. `examples/login.json`. */
const automationId = z.string().regex(/^[a-z]+\/[\w./ -]+\.(json|rpapkg)$/, 'expected an automation id like "examples/login.json" or "mine/bot-1.0.0.rpapkg"').refine((id) => !id.split('/').includes('..'), 'an automation id may not contain ".."');

export const AutomationSummary = z.object({
  id: automationId,
  root: z.string(),
  name: z.string(),
  automationId: z.string().optional(),
  version: z.string().optional(),
  description: z.string().optional(),
  inputs: z.array(InputDecl),
  secrets: z.array(z.string()),
  stepCount: z.number().int(),
  issues: z.number().int(),
  /** False for what the studio may read but not write: packages (.rpapkg). */
  writable: z.boolean(),
  /** For a package: whether it is signed, and by which key (integrity checked, trust decided at run time). */
  package: z.object({ sha256: z.string(), signed: z.boolean(), signer: z.string().optional() }).optional(),
});
export type AutomationSummary = z.infer<typeof AutomationSummary>;

export const AutomationVersion = z.object({ version: z.number().int(), savedAt: z.string(), sha256: z.string(), note: z.string().optional() });
export type AutomationVersion = z.infer<typeof AutomationVersion>;

export const AutomationDetail = z.object({
  summary: AutomationSummary,
  /** The document, when it is at least JSON (it may still have schema issues). */
  doc: z.unknown(),
  issues: z.array(ValidationIssue),
  versions: z.array(AutomationVersion),
});
export type AutomationDetail = z.infer<typeof AutomationDetail>;

export const DiffHunk = z.object({ oldStart: z.number(), oldLines: z.number(), newStart: z.number(), newLines: z.number(), lines: z.array(z.string()) });
export type DiffHunk = z.infer<typeof DiffHunk>;

const FieldChange = z.object({ field: z.string(), before: z.unknown().optional(), after: z.unknown().optional() });

/** Which steps changed between two versions (engine/format/step-diff.ts). */
export const StepDiffView = z.object({
  changes: z.array(
    z.object({
      change: z.enum(['added', 'removed', 'changed', 'moved']),
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      kind: z.string(),
      label: z.string(),
      fields: z.array(FieldChange).optional(),
    }),
  ),
  unchanged: z.number().int(),
  document: z.array(FieldChange),
});
export type StepDiffView = z.infer<typeof StepDiffView>;

/** What each locator candidate of a target finds on a paused run's page (engine/runner/test-locator.ts). */
export const LocatorTestView = z.object({
  url: z.string(),
  title: z.string(),
  candidates: z.array(
    z.object({
      candidate: z.number().int(),
      locator: z.string(),
      count: z.number().int(),
      visible: z.number().int(),
      elements: z.array(z.object({ tag: z.string(), text: z.string() })),
      error: z.string().optional(),
    }),
  ),
  wouldUse: z.number().int().optional(),
  highlighted: z.number().int().optional(),
});
export type LocatorTestView = z.infer<typeof LocatorTestView>;

/** A paused run's inputs and variables, secrets masked. */
export const DebugVariables = z.object({ inputs: z.record(z.string(), z.unknown()), vars: z.record(z.string(), z.unknown()) });
export type DebugVariables = z.infer<typeof DebugVariables>;

export const RunSummary = z.object({
  id: z.string(),
  automationId: z.string(),
  automationName: z.string(),
  automationVersion: z.string(),
  automationFile: z.string().optional(),
  status: RunStatus,
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  error: SerializedError.optional(),
  stepsPassed: z.number(),
  stepsFailed: z.number(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const StepRecord = z.object({
  path: z.string(),
  kind: z.string(),
  label: z.string(),
  attempt: z.number(),
  topIndex: z.number(),
  status: z.enum(['running', 'passed', 'failed', 'interrupted']),
  startedAt: z.string(),
  durationMs: z.number().optional(),
  locator: MatchedLocator.optional(),
  error: SerializedError.optional(),
});

const Usage = z.object({ inputTokens: z.number(), outputTokens: z.number() });

/** One model call of a run: what `rpa show` prints under "Model calls". */
export const ModelCallView = z.object({
  seq: z.number(),
  path: z.string(),
  provider: z.string(),
  model: z.string(),
  prompt: z.object({ id: z.string(), version: z.string() }).optional(),
  systemPrompt: z.string().optional(),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  error: z.string().optional(),
  shadow: z.boolean(),
  attempts: z.number(),
  usage: Usage.optional(),
  costUsd: z.number().optional(),
  latencyMs: z.number(),
  attemptLog: z.array(z.object({ attempt: z.number(), outcome: z.string(), httpStatus: z.number().optional(), error: z.string().optional(), usage: Usage.optional(), costUsd: z.number().optional(), latencyMs: z.number() })),
});
export type ModelCallView = z.infer<typeof ModelCallView>;

export const RunDetail = RunSummary.extend({
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  totalSteps: z.number(),
  steps: z.array(StepRecord),
  logs: z.array(z.object({ seq: z.number(), ts: z.string(), level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string(), path: z.string().optional() })),
  /** Edited automations the run took while paused in the studio (run.revised events), in order. */
  revisions: z.array(
    z.object({ seq: z.number(), ts: z.string(), path: z.string(), sha256: z.string(), previousSha256: z.string(), saved: z.boolean(), savedVersion: z.number().optional(), totalSteps: z.number() }),
  ),
  /** Artifacts by name within the run's folder; fetched through `artifactUrl`. */
  artifacts: z.array(z.object({ seq: z.number(), path: z.string().optional(), kind: z.enum(['screenshot', 'html', 'file']), name: z.string(), bytes: z.number() })),
  /** Every model call, failed and shadow ones included; and their total cost (absent without prices). */
  modelCalls: z.array(ModelCallView),
  modelCostUsd: z.number().optional(),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const ScheduleView = z.object({
  id: z.string(),
  name: z.string().optional(),
  file: z.string(),
  cron: z.string(),
  timeZone: z.string(),
  paused: z.boolean(),
  inputs: z.record(z.string(), z.unknown()),
  nextFireTimes: z.array(z.string()),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

export const SettingsView = z.object({
  /** The settings file's content (browser, models), as the engine reads it. */
  settings: z.record(z.string(), z.unknown()),
  settingsFile: z.string(),
  sync: z.object({ enrolled: z.boolean(), server: z.string().optional(), deviceId: z.string().optional(), pending: z.number(), lastError: z.string().optional() }),
  /** The machine policy and every setting in effect, with where its value comes from. */
  effective: z.object({
    policy: z.object({ status: z.enum(['none', 'ok', 'invalid']), file: z.string(), owner: z.string().optional(), modifiedAt: z.string().optional(), error: z.string().optional() }),
    settings: z.array(z.object({ key: z.string(), label: z.string(), value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]), source: z.enum(['policy', 'user', 'default']) })),
  }),
  /** The endpoint prefixes model calls may go to (absent: any), and who set them. */
  models: z.object({ allowedEndpoints: z.array(z.string()).optional(), allowedBy: z.enum(['policy', 'user']).optional() }),
  /** Whether schedules may be added or resumed here; reason: why not, as the engine would refuse. */
  schedules: z.object({ allowed: z.boolean(), reason: z.string().optional() }),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const ReviewView = z.object({
  id: z.string(),
  runId: z.string(),
  stepPath: z.string(),
  title: z.string(),
  instructions: z.string().optional(),
  status: z.string(),
  values: z.record(z.string(), z.unknown()),
  automationName: z.string(),
  createdAt: z.string(),
  /** Each value under a name a person reads, its problems in plain words, where it was read on the document. */
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      value: z.unknown(),
      confidence: z.number().optional(),
      problems: z.array(z.string()),
      source: z.object({ page: z.number().int(), box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional(), text: z.string().optional() }).optional(),
    }),
  ),
  /** Problems that concern no single field, in plain words. */
  problems: z.array(z.string()),
  /** The document the values were read from, when there is one (its pages through reviews.page). */
  document: z.object({ name: z.string(), pages: z.number().int() }).optional(),
});
export type ReviewView = z.infer<typeof ReviewView>;

/** A run going on or waiting for a review: what the tray pins on top, also after a reload. */
export const ActiveRun = z.object({
  runId: z.string(),
  automationName: z.string(),
  status: z.enum(['running', 'paused']),
  startedAt: z.string(),
  totalSteps: z.number(),
  /** Top-level steps done before the current one. */
  done: z.number(),
  /** The current step's label, or what the run waits for. */
  label: z.string(),
  /** The review a paused run waits for. */
  reviewId: z.string().optional(),
});
export type ActiveRun = z.infer<typeof ActiveRun>;

export const DebugState = z.object({
  runId: z.string(),
  pausedAt: z.string().optional(),
  breakpoints: z.array(z.string()),
  variables: DebugVariables.optional(),
  /** The edited automation the run took with this step or continue: what it is and its hash. */
  revision: z.object({ describe: z.string(), sha256: z.string() }).optional(),
});
export type DebugState = z.infer<typeof DebugState>;

export const SessionInfo = z.object({
  roots: z.array(z.object({ name: z.string(), dir: z.string() })),
  recorder: z.boolean(),
  reviews: z.boolean(),
  running: z.array(z.object({ runId: z.string(), automation: z.string(), pausedAt: z.string().optional() })),
  /** The machine policy: invalid means no bot may run (the UI says why). */
  policy: z.object({ status: z.enum(['none', 'ok', 'invalid']), error: z.string().optional(), owner: z.string().optional() }).optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** The engine host's state: what the tray and the studio show, and whether schedules are paused. */
export const HostStatus = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  /** The user paused all schedules ("Pause schedules"): the scheduler fires nothing. */
  schedulesPaused: z.boolean(),
  /** Why all work is paused (an invalid machine policy), when it is. */
  paused: z.string().optional(),
  /** False while the agent waits for a valid machine policy, or when schedules are not allowed. */
  scheduler: z.boolean(),
  running: z.array(z.object({ runId: z.string().optional(), automation: z.string(), trigger: z.string(), startedAt: z.string() })),
  nextDue: z.array(z.object({ scheduleId: z.string(), name: z.string().optional(), at: z.string() })),
  sync: z.object({ enrolled: z.boolean(), server: z.string().optional(), pending: z.number().int(), lastError: z.string().optional(), lastSyncAt: z.string().optional() }),
});
export type HostStatus = z.infer<typeof HostStatus>;

const stepPath = z.string().regex(/^\d+([.>[\]\w]*)$/, 'expected a step path like "3" or "4.then[1]"');
const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a secret name made of letters, digits and _');
const ok = z.object({ ok: z.literal(true) });

/** Every method: its request (validated on the engine side) and its response. */
export const API = {
  'session.info': { request: z.object({}), response: SessionInfo },
  'automations.list': { request: z.object({}), response: z.array(AutomationSummary) },
  'automations.get': { request: z.object({ id: automationId }), response: AutomationDetail },
  'automations.validate': { request: z.object({ id: automationId, doc: z.unknown() }), response: z.object({ issues: z.array(ValidationIssue) }) },
  'automations.save': {
    request: z.object({ id: automationId, doc: z.unknown(), note: z.string().max(500).optional() }),
    response: z.object({ version: AutomationVersion }),
  },
  'automations.create': {
    request: z.object({ fileName: z.string().regex(/^[\w.-]+\.json$/, 'expected a plain file name ending in .json'), doc: Automation }),
    response: z.object({ id: automationId, version: AutomationVersion }),
  },
  'automations.diff': {
    request: z.object({ id: automationId, from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
    response: z.object({ hunks: z.array(DiffHunk), steps: StepDiffView }),
  },
  'runs.start': {
    request: z.object({
      id: automationId,
      inputs: z.record(z.string(), z.unknown()).default({}),
      headed: z.boolean().optional(),
      breakpoints: z.array(stepPath).max(10_000).optional(),
      /** Pause before the first step. */
      stepThrough: z.boolean().optional(),
    }),
    /** headed: whether the browser is visible; note: why not, when one was asked for. */
    response: z.object({ runId: z.string(), headed: z.boolean().optional(), note: z.string().optional() }),
  },
  'runs.cancel': { request: z.object({ runId: z.string().min(1) }), response: ok },
  'runs.list': { request: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }), response: z.array(RunSummary) },
  'runs.active': { request: z.object({}), response: z.array(ActiveRun) },
  'runs.get': { request: z.object({ runId: z.string().min(1) }), response: RunDetail },
  'runs.debug': {
    request: z.object({
      runId: z.string().min(1),
      action: z.enum(['continue', 'step']).optional(),
      breakpoints: z.array(stepPath).max(10_000).optional(),
      /** The builder's edited automation, for the run to take from the step it is paused at (with an action). */
      doc: z.unknown().optional(),
    }),
    response: DebugState,
  },
  'runs.testLocator': {
    request: z.object({ runId: z.string().min(1), target: Target, highlight: z.number().int().min(0).optional() }),
    response: LocatorTestView,
  },
  'schedules.list': { request: z.object({}), response: z.array(ScheduleView) },
  'schedules.add': {
    request: z.object({ id: automationId, cron: z.string().min(1), timeZone: z.string().optional(), inputs: z.record(z.string(), z.unknown()).default({}), name: z.string().min(1).optional() }),
    response: ScheduleView,
  },
  'schedules.remove': { request: z.object({ scheduleId: z.string().min(1) }), response: ok },
  'schedules.pause': { request: z.object({ scheduleId: z.string().min(1), paused: z.boolean() }), response: ScheduleView },
  'secrets.list': { request: z.object({}), response: z.array(z.object({ name: z.string(), updatedAt: z.string() })) },
  'secrets.set': { request: z.object({ name: secretName, value: z.string().min(2, 'a secret value needs at least 2 characters') }), response: ok },
  'secrets.remove': { request: z.object({ name: secretName }), response: ok },
  'settings.get': { request: z.object({}), response: SettingsView },
  'settings.save': { request: z.object({ settings: z.record(z.string(), z.unknown()) }), response: SettingsView },
  'settings.testProvider': {
    request: z.object({ provider: ProviderSettings }),
    response: z.object({ ok: z.boolean(), message: z.string(), notSent: z.boolean().optional(), latencyMs: z.number().optional() }),
  },
  'recording.start': { request: z.object({ url: z.url().optional(), headless: z.boolean().optional(), name: z.string().optional() }), response: ok },
  'recording.stop': { request: z.object({}), response: z.object({ doc: Automation }) },
  'reviews.list': { request: z.object({}), response: z.array(ReviewView) },
  'reviews.page': {
    request: z.object({ reviewId: z.string().min(1), page: z.coerce.number().int().min(1).max(10_000) }),
    response: z.object({ mime: z.enum(['image/png', 'image/jpeg']), data: z.string(), width: z.number(), height: z.number() }),
  },
  'host.status': { request: z.object({}), response: HostStatus },
  'host.pause': { request: z.object({ paused: z.boolean() }), response: HostStatus },
  'reviews.resolve': {
    request: z.object({ reviewId: z.string().min(1), decision: z.enum(['approved', 'corrected', 'rejected']), values: z.record(z.string(), z.string()).optional(), comment: z.string().optional() }).refine((r) => r.decision !== 'rejected' || !!r.comment?.trim(), { message: 'a rejection needs a reason (comment)', path: ['comment'] }),
    response: ok,
  },
} as const;

export type Method = keyof typeof API;
export type RequestOf<M extends Method> = z.input<(typeof API)[M]['request']>;
export type ParsedRequestOf<M extends Method> = z.output<(typeof API)[M]['request']>;
export type ResponseOf<M extends Method> = z.infer<(typeof API)[M]['response']>;

/** What the engine pushes to every connected UI. */
export const Pushed = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run.event'), event: RunEvent }),
  z.object({ type: z.literal('debug.paused'), runId: z.string(), path: z.string(), variables: DebugVariables.optional(), headed: z.boolean().optional() }),
  z.object({ type: z.literal('debug.resumed'), runId: z.string() }),
  z.object({ type: z.literal('run.error'), runId: z.string().optional(), error: SerializedError }),
  z.object({ type: z.literal('recording.step'), index: z.number().int(), step: Step }),
  z.object({ type: z.literal('recording.ended'), reason: z.string() }),
  z.object({ type: z.literal('reviews.changed') }),
]);
export type Pushed = z.infer<typeof Pushed>;

/** An error crossing the boundary: name, message, details (AutomationInvalidError carries details.issues). */
export const ErrorResponse = z.object({ error: SerializedError });
export type ErrorResponse = z.infer<typeof ErrorResponse>;
