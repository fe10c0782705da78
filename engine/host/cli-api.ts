// The API the `rpa` command's state commands call (run, review, runs, show, schedule, queue,
// sync, enroll, secret, reviews, templates), defined
// once: the CLI calls it in its own process when no engine host runs for the RPA_HOME, and over
// the host's socket when one does (engine/host/socket.ts serves it there only, never over the
// studio's HTTP server: it takes file paths of this machine). Requests are validated on the
// side that does the work; answers are plain JSON (times as ISO strings or unix ms). `writes`
// marks the methods that change something; `runs` the ones that run (or resume) a bot: they
// send its run events as they happen, and stop the run when the caller cancels or goes away.
import { z } from 'zod';
import { ITEM_STATES } from '../queue/types.js';
import { DisplayEnv } from '../runner/display-env.js';
import type { BatchRefusal } from '../sync/outbox.js';
import type { Incident } from '../sync/receipts.js';
import type { RunEvent } from '../events.js';
import type { RunResult } from '../runner/runner.js';

const queueName = z.string().min(1).max(200);
const itemId = z.number().int().min(1);
const absolutePath = z.string().min(1).refine((file) => file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\'), 'expected an absolute path');
/**
 * The caller's RPA_SECRET_<NAME> variables: a run (or resumed run) reads them after the vault, as
 * it would in the caller's own process (sent over the 0600 socket only, never logged).
 */
const secretEnv = z.record(z.string().regex(/^RPA_SECRET_[A-Z0-9_]+$/), z.string()).optional();
const addOptions = { idempotencyKey: z.string().min(1).optional(), maxRetries: z.number().int().min(0).optional(), priority: z.number().int().optional() };

export const CLI_API = {
  /** rpa run: the run's events as it goes; answers its RunResult. */
  'cli.runs.start': {
    writes: true,
    runs: true,
    request: z.object({
      /** The automation or package, relative to `cwd` or absolute. */
      file: z.string().min(1),
      /** The inputs as given on the command line; file inputs are relative to `cwd`. */
      inputs: z.record(z.string(), z.unknown()),
      cwd: absolutePath,
      headed: z.boolean().optional(),
      waitReview: z.boolean().optional(),
      secretEnv,
      /** The caller's DISPLAY / WAYLAND_DISPLAY / XAUTHORITY: a visible browser opens on its screen, not the host's. */
      display: DisplayEnv.optional(),
    }),
  },
  /** rpa review --resume RUN: a paused run whose review was resolved. */
  'cli.runs.resume': {
    writes: true,
    runs: true,
    /** display: the caller's, where a headed run's browser reopens (not the host's). */
    request: z.object({ run: z.string().min(1).max(200), secretEnv, display: DisplayEnv.optional() }),
  },
  'cli.reviews.list': { request: z.object({ all: z.boolean().optional() }) },
  /** Resolved reviews as labelled examples (rpa reviews export). */
  'cli.reviews.examples': { request: z.object({}) },
  /** rpa review ID …: records the decision, then (resume) resumes the run here, sending its events. */
  'cli.reviews.resolve': {
    writes: true,
    runs: true,
    request: z.object({
      review: z.string().min(1).max(200),
      answer: z.union([z.object({ approve: z.literal(true) }), z.object({ reject: z.string() }), z.object({ set: z.record(z.string(), z.unknown()) })]),
      by: z.string().min(1).max(200),
      resume: z.boolean(),
      secretEnv,
      /** The caller's display: a headed run resumed by this call reopens its browser there, not on the host's. */
      display: DisplayEnv.optional(),
    }),
  },
  'cli.templates.list': { request: z.object({}) },
  /** A template (any stored version); null when there is none. */
  'cli.templates.get': { request: z.object({ id: z.string().min(1), version: z.number().int().min(1).optional() }) },
  /** The template as JSON text. */
  'cli.templates.export': { request: z.object({ id: z.string().min(1) }) },
  /** A template exported elsewhere, as text (the caller reads its file). */
  'cli.templates.import': {
    writes: true, request: z.object({ text: z.string().max(32 * 1024 * 1024) }) },
  'cli.templates.remove': {
    writes: true, request: z.object({ id: z.string().min(1) }) },
  /** rpa enroll URL TOKEN: the host's upload loop starts with the new enrollment. */
  'cli.sync.enroll': {
    writes: true, request: z.object({ url: z.url(), token: z.string().min(1), force: z.boolean().optional() }) },
  /** rpa enroll --policy. */
  'cli.sync.enrollFromPolicy': {
    writes: true, request: z.object({}) },
  'cli.runs.list': { request: z.object({ last: z.number().int().min(1).max(100_000) }) },
  /** A run by id or unique prefix: the whole record `rpa show` prints; null when there is none. */
  'cli.runs.show': { request: z.object({ run: z.string().min(1).max(200) }) },
  'cli.schedules.list': { request: z.object({}) },
  'cli.schedules.add': {
    writes: true,
    request: z.object({
      /** Absolute path of the automation or package on this machine. */
      file: absolutePath,
      cron: z.string().min(1),
      timeZone: z.string().min(1).optional(),
      /** The inputs as given on the command line; file inputs are relative to `cwd`. */
      inputs: z.record(z.string(), z.unknown()),
      cwd: z.string().min(1),
      overlap: z.enum(['skip', 'queue', 'allow']).optional(),
      maxConcurrent: z.number().int().min(1).optional(),
      missed: z.enum(['runOnce', 'skip']).optional(),
      maxRunMs: z.number().int().min(1).optional(),
      name: z.string().min(1).optional(),
    }),
  },
  'cli.schedules.remove': {
    writes: true, request: z.object({ schedule: z.string().min(1) }) },
  'cli.schedules.pause': {
    writes: true, request: z.object({ schedule: z.string().min(1), paused: z.boolean() }) },
  'cli.queue.add': {
    writes: true, request: z.object({ queue: queueName, payload: z.unknown(), ...addOptions }) },
  /** All or none, in one transaction. */
  'cli.queue.addMany': {
    writes: true, request: z.object({ queue: queueName, items: z.array(z.object({ payload: z.unknown(), ...addOptions })).min(1).max(1_000_000) }) },
  'cli.queue.list': { request: z.object({ queue: queueName.optional(), state: z.enum(ITEM_STATES).optional(), limit: z.number().int().min(1).max(1_000_000).optional() }) },
  'cli.queue.stats': { request: z.object({ queue: queueName }) },
  /** An item and its history; item null when there is none. */
  'cli.queue.get': { request: z.object({ id: itemId }) },
  'cli.queue.retry': {
    writes: true, request: z.object({ id: itemId }) },
  'cli.sync.status': { request: z.object({}) },
  'cli.sync.now': {
    writes: true, request: z.object({}) },
  'cli.sync.verify': { request: z.object({}) },
  /** Names and update times only. */
  'cli.secrets.list': { request: z.object({}) },
  /** Sealed with the host's vault key (the desktop app's may live in the OS keychain). */
  'cli.secrets.set': {
    writes: true,
    request: z.object({ name: z.string().min(1).max(200), value: z.string() }),
  },
  'cli.secrets.remove': {
    writes: true,
    request: z.object({ name: z.string().min(1).max(200) }),
  },
} as const;

export type CliMethod = keyof typeof CLI_API;

/** Whether a method changes the store (or the audit server's copy): said when the host stops before answering it. */
export function cliMethodWrites(method: CliMethod): boolean {
  return 'writes' in CLI_API[method];
}
/** Whether a method runs a bot (its events are sent while it runs; cancelling the call stops it). */
export function cliMethodRuns(method: CliMethod): boolean {
  return 'runs' in CLI_API[method];
}
export type CliRequest<M extends CliMethod> = z.input<(typeof CLI_API)[M]['request']>;

export function isCliMethod(method: string): method is CliMethod {
  return Object.hasOwn(CLI_API, method);
}

/** A schedule as the CLI prints it (times as ISO strings). */
export interface ScheduleRecord {
  id: string;
  name: string | null;
  file: string;
  inputs: Record<string, unknown>;
  cron: string;
  timeZone: string;
  overlap: 'skip' | 'queue' | 'allow';
  maxConcurrent: number;
  missed: 'runOnce' | 'skip';
  maxRunMs: number | null;
  paused: boolean;
  createdAt: string;
  lastFiredAt: string | null;
  /** The automation's name (add only). */
  automationName?: string;
}

/** What `rpa sync status` prints. */
export interface SyncStatus {
  enrolled: boolean;
  server: string | null;
  deviceId: string;
  records: number;
  uploaded: number;
  pending: number;
  receipted: number;
  lastSyncAt: string | null;
  lastError: string | null;
  refused: BatchRefusal | null;
  incidents: Incident[];
  /** Failure screenshots for the audit server: how many in each state, whether the policy lets them go, and the last problem. */
  screenshots: { pending: number; uploaded: number; refused: number; missing: number; allowed: boolean; lastProblem: string | null };
}

/** What a caller gives a call besides its request. */
export interface CliCallOptions {
  /** The events of the run the call runs (methods marked `runs`). */
  onEvent?: (event: RunEvent) => void;
  /** Cancels the call: a run it runs is cancelled. */
  signal?: AbortSignal;
}

/** What `rpa run` and `rpa review` get back when a run ends or pauses. */
export interface RunOutcome {
  runId: string;
  status: RunResult['status'];
  durationMs: number;
  error?: RunResult['error'];
  review?: RunResult['review'];
}

/** Who answers the CLI's calls: a CliService in this process, or the engine host over its socket. */
export interface CliApi {
  call<M extends CliMethod>(method: M, request: CliRequest<M>, options?: CliCallOptions): Promise<unknown>;
}
