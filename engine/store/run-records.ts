// What the run store returns: plain objects with camelCase fields, JSON columns parsed,
// and NULL columns left out rather than set to undefined, so callers can spread and
// serialise them as-is.
import type { MatchedLocator, RunEventOf, RunStatus, SerializedError } from '../events.js';
import type { ModelAttempt } from '../extract/types.js';
import type { ArtifactRow, LogRow, RunRow, StepRow } from './statements.js';

export interface RunSummary {
  id: string;
  automationId: string;
  automationName: string;
  automationVersion: string;
  automationFile?: string;
  status: RunStatus;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  error?: SerializedError;
  stepsPassed: number;
  /** Failed step attempts that were not followed by another attempt of the same step. */
  stepsFailed: number;
}

export type StepStatus = 'running' | 'passed' | 'failed' | 'interrupted';

export interface StepRecord {
  path: string;
  kind: string;
  label: string;
  attempt: number;
  topIndex: number;
  status: StepStatus;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  locator?: MatchedLocator;
  error?: SerializedError;
}

export interface LogRecord {
  seq: number;
  ts: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  path?: string;
}

/** A paused run took the builder's edited automation from `path` on (a run.revised event). */
export interface RevisionRecord {
  seq: number;
  ts: string;
  path: string;
  sha256: string;
  previousSha256: string;
  saved: boolean;
  savedVersion?: number;
  totalSteps: number;
}

export function toRevision(json: string): RevisionRecord {
  const e = JSON.parse(json) as RunEventOf<'run.revised'>;
  return {
    seq: e.seq,
    ts: e.ts,
    path: e.path,
    sha256: e.automation.sha256,
    previousSha256: e.previousSha256,
    saved: e.saved,
    ...(e.savedVersion !== undefined ? { savedVersion: e.savedVersion } : {}),
    totalSteps: e.totalSteps,
  };
}

export interface ArtifactRecord {
  seq: number;
  ts: string;
  path?: string;
  kind: 'screenshot' | 'html' | 'file';
  file: string;
  bytes: number;
}

export interface PackageSigner {
  keyId: string;
  name?: string;
  trustedAs?: string;
}

/** One model call of a run, from its model.called event (without the request and answer bodies). */
export interface ModelCallSummary {
  seq: number;
  ts: string;
  path: string;
  provider: string;
  model: string;
  prompt?: { id: string; version: string };
  systemPrompt?: string;
  /** Records from before attempts were recorded have no status: they were successes. */
  status: 'succeeded' | 'failed' | 'cancelled';
  error?: string;
  /** A shadow call: its answer was compared and recorded, nothing acted on it. */
  shadow: boolean;
  attempts: number;
  usage?: { inputTokens: number; outputTokens: number };
  costUsd?: number;
  latencyMs: number;
  masked?: Record<string, number>;
  attemptLog: ModelAttempt[];
}

export interface RunDetail extends RunSummary {
  automationSha256: string;
  /** The signed package the run came from: its manifest hash and signer. */
  package?: { sha256: string; signer?: PackageSigner };
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  vars: Record<string, unknown>;
  headless: boolean;
  pid: number;
  host: string;
  totalSteps: number;
  steps: StepRecord[];
  logs: LogRecord[];
  /** Edited automations the run took while paused in the studio, in order. */
  revisions: RevisionRecord[];
  artifacts: ArtifactRecord[];
  /** Every model call, failed and shadow ones included, in order. */
  modelCalls: ModelCallSummary[];
  /** Sum of the calls' costs (paid failed attempts and shadow calls included); absent when no call had a price. */
  modelCostUsd?: number;
}

export function parseRecord(json: string | null): Record<string, unknown> {
  return json === null ? {} : (JSON.parse(json) as Record<string, unknown>);
}

export function toSummary(r: RunRow): RunSummary {
  const s: RunSummary = {
    id: r.id,
    automationId: r.automation_id,
    automationName: r.automation_name,
    automationVersion: r.automation_version,
    status: r.status,
    startedAt: r.started_at,
    stepsPassed: r.steps_passed,
    stepsFailed: r.steps_failed,
  };
  if (r.automation_file !== null) s.automationFile = r.automation_file;
  if (r.ended_at !== null) s.endedAt = r.ended_at;
  if (r.duration_ms !== null) s.durationMs = r.duration_ms;
  if (r.error_json !== null) s.error = JSON.parse(r.error_json) as SerializedError;
  return s;
}

export function toStep(r: StepRow): StepRecord {
  const s: StepRecord = {
    path: r.path,
    kind: r.kind,
    label: r.label,
    attempt: r.attempt,
    topIndex: r.top_index,
    status: r.status,
    startedAt: r.started_at,
  };
  if (r.ended_at !== null) s.endedAt = r.ended_at;
  if (r.duration_ms !== null) s.durationMs = r.duration_ms;
  if (r.locator_json !== null) s.locator = JSON.parse(r.locator_json) as MatchedLocator;
  if (r.error_json !== null) s.error = JSON.parse(r.error_json) as SerializedError;
  return s;
}

export function toLog(r: LogRow): LogRecord {
  const l: LogRecord = { seq: r.seq, ts: r.ts, level: r.level, message: r.message };
  if (r.path !== null) l.path = r.path;
  return l;
}

export function toArtifact(r: ArtifactRow): ArtifactRecord {
  const a: ArtifactRecord = { seq: r.seq, ts: r.ts, kind: r.kind, file: r.file, bytes: r.bytes };
  if (r.path !== null) a.path = r.path;
  return a;
}

export function toModelCall(seq: number, ts: string, json: string): ModelCallSummary {
  const e = JSON.parse(json) as RunEventOf<'model.called'>;
  const c = e.call;
  return {
    seq,
    ts,
    path: e.path,
    provider: c.provider,
    model: c.model,
    ...(c.prompt ? { prompt: c.prompt } : {}),
    ...(c.systemPrompt ? { systemPrompt: c.systemPrompt } : {}),
    status: c.status ?? 'succeeded',
    ...(c.error !== undefined ? { error: c.error } : {}),
    shadow: c.shadow === true,
    attempts: c.attempts,
    ...(c.usage ? { usage: c.usage } : {}),
    ...(c.costUsd !== undefined ? { costUsd: c.costUsd } : {}),
    latencyMs: c.latencyMs,
    ...(e.masked ? { masked: e.masked } : {}),
    attemptLog: c.attemptLog ?? [],
  };
}

/** The run's model cost: sum of the calls' costs, rounded to a millionth of a dollar. */
export function modelCost(calls: ModelCallSummary[]): number | undefined {
  const priced = calls.filter((c) => c.costUsd !== undefined);
  return priced.length ? Math.round(priced.reduce((sum, c) => sum + c.costUsd!, 0) * 1e6) / 1e6 : undefined;
}
