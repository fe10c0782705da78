// The API the `rpa` command's state commands call (runs, show, schedule, queue, sync), defined
// once: the CLI calls it in its own process when no engine host runs for the RPA_HOME, and over
// the host's socket when one does (engine/host/socket.ts serves it there only, never over the
// studio's HTTP server: it takes file paths of this machine). Requests are validated on the
// side that does the work; answers are plain JSON (times as ISO strings or unix ms). `writes`
// marks the methods that change something.
import { z } from 'zod';
import { ITEM_STATES } from '../queue/types.js';
import type { BatchRefusal } from '../sync/outbox.js';
import type { Incident } from '../sync/receipts.js';

const queueName = z.string().min(1).max(200);
const itemId = z.number().int().min(1);
const addOptions = { idempotencyKey: z.string().min(1).optional(), maxRetries: z.number().int().min(0).optional(), priority: z.number().int().optional() };

export const CLI_API = {
  'cli.runs.list': { request: z.object({ last: z.number().int().min(1).max(100_000) }) },
  /** A run by id or unique prefix: the whole record `rpa show` prints; null when there is none. */
  'cli.runs.show': { request: z.object({ run: z.string().min(1).max(200) }) },
  'cli.schedules.list': { request: z.object({}) },
  'cli.schedules.add': {
    writes: true,
    request: z.object({
      /** Absolute path of the automation or package on this machine. */
      file: z.string().min(1).refine((file) => file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\'), 'expected an absolute path'),
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
}

/** Who answers the CLI's calls: a CliService in this process, or the engine host over its socket. */
export interface CliApi {
  call<M extends CliMethod>(method: M, request: CliRequest<M>): Promise<unknown>;
}
