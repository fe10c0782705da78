// The CLI's state commands (and rpa run / rpa review's runs) over an open engine (engine/host/cli-api.ts): in the engine host,
// on its one store connection, when the CLI reaches it over the socket; in the CLI's own
// process when no host runs. The same handlers either way, so the policy checks, the input
// preparation and the store writes are made in one place.
import path from 'node:path';
import type { Engine, ReviewAnswer, RunResult } from '../api.js';
import type { LoadedAutomation } from '../format/load.js';
import { requirePolicy } from '../policy/policy.js';
import { envSecretProvider } from '../secrets.js';
import { loadAutomationOrPackage } from '../package/index.js';
import { screenshotCounts } from '../sync/screenshot-upload.js';
import { assertAuditServerAllowed, assertSchedulesAllowed, failureScreenshotsUploadAllowed } from '../policy/effective.js';
import { prepareInputs } from '../runner/inputs.js';
import { ScheduleStore, type Schedule } from '../schedule/schedule-store.js';
import { verifyServerHoldings } from '../sync/device-verify.js';
import { ReceiptStore } from '../sync/receipts.js';
import { enroll, enrollFromPolicy, readSyncConfig, SyncClient } from '../sync/sync-client.js';
import { UsageError } from '../errors.js';
import { NotAvailableError, RequestInvalidError } from '../transport/errors.js';
import type { Vault } from '../vault/vault.js';
import { CLI_API, cliMethodRuns, isCliMethod, type CliApi, type CliCallOptions, type CliMethod, type RunOutcome, type ScheduleRecord, type SyncStatus } from './cli-api.js';
import type { z } from 'zod';

type Parsed<M extends CliMethod> = z.output<(typeof CLI_API)[M]['request']>;
type Handlers = { [M in CliMethod]: (request: Parsed<M>, options: CliCallOptions) => unknown };

export interface CliServiceOptions {
  engine: Engine;
  /** A schedule changed on this connection: the host's scheduler reloads at once (no data_version change on its own connection). */
  schedulesChanged?: () => void;
  /** This machine was enrolled (again): the host's upload loop starts with the new enrollment. */
  syncChanged?: () => void;
}

/** The given inputs with file inputs made absolute from `cwd` (where the command was typed, not this process's folder). */
function fileInputsFrom(automation: LoadedAutomation, inputs: Record<string, unknown>, cwd: string): Record<string, unknown> {
  const given: Record<string, unknown> = { ...inputs };
  for (const decl of automation.doc.inputs ?? []) {
    if (decl.type === 'file' && typeof given[decl.name] === 'string') given[decl.name] = path.resolve(cwd, given[decl.name] as string);
  }
  return given;
}

/** A run's result as it crosses the socket: what the CLI prints and exits by (not the run's variables). */
function outcomeOf(result: RunResult): RunOutcome {
  return { runId: result.runId, status: result.status, durationMs: result.durationMs, ...(result.error ? { error: result.error } : {}), ...(result.review ? { review: result.review } : {}) };
}

export function scheduleRecord(s: Schedule): ScheduleRecord {
  return {
    id: s.id,
    name: s.name ?? null,
    file: s.file,
    inputs: s.inputs,
    cron: s.cron,
    timeZone: s.timeZone,
    overlap: s.overlap,
    maxConcurrent: s.maxConcurrent,
    missed: s.missed,
    maxRunMs: s.maxRunMs ?? null,
    paused: s.paused,
    createdAt: s.createdAt.toISOString(),
    lastFiredAt: s.lastFiredAt?.toISOString() ?? null,
  };
}

export class CliService implements CliApi {
  private readonly schedules: ScheduleStore;
  private readonly handlers: Handlers;
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly options: CliServiceOptions) {
    this.schedules = new ScheduleStore(options.engine.database);
    this.handlers = this.createHandlers();
  }

  async call(method: string, request: unknown, options: CliCallOptions = {}): Promise<unknown> {
    if (!isCliMethod(method)) throw new RequestInvalidError(`unknown CLI method "${method}"`);
    const parsed = CLI_API[method].request.safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RequestInvalidError(`${method}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    // Answers cross the socket as JSON: undefined becomes null so "not found" survives the trip.
    const answer = (async () => (await (this.handlers[method] as (request: unknown, options: CliCallOptions) => unknown)(parsed.data, options)) ?? null)();
    if (!cliMethodRuns(method)) return await answer;
    this.running.add(answer);
    try {
      return await answer;
    } finally {
      this.running.delete(answer);
    }
  }

  /** Resolves once every run started through this service has ended (cancel them first). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  close(): void {
    this.schedules.close();
  }

  private changed(): void {
    this.options.schedulesChanged?.();
  }

  private createHandlers(): Handlers {
    const { engine } = this.options;
    const queue = (): Engine['queue'] => engine.queue;
    return {
      'cli.runs.start': async (request, { onEvent, signal }) => {
        // A relative path stays as typed when this process runs where it was typed (its messages name it so).
        const file = path.isAbsolute(request.file) || path.resolve(request.cwd) !== process.cwd() ? path.resolve(request.cwd, request.file) : request.file;
        const result = await engine.run(
          {
            file,
            inputs: request.inputs,
            inputsDir: request.cwd,
            headed: request.headed ?? false,
            waitReview: request.waitReview ?? false,
            ...(request.display ? { display: request.display } : {}),
            ...(signal ? { signal } : {}),
            ...(request.secretEnv ? { secrets: envSecretProvider(request.secretEnv) } : {}),
          },
          onEvent,
        );
        return outcomeOf(result);
      },
      'cli.runs.resume': async ({ run, secretEnv, display }, { onEvent, signal }) =>
        outcomeOf(
          await engine.resumeRun(engine.getRun(run)?.id ?? run, onEvent, {
            ...(signal ? { signal } : {}),
            ...(secretEnv ? { secrets: envSecretProvider(secretEnv) } : {}),
            ...(display ? { display } : {}),
          }),
        ),
      'cli.reviews.list': ({ all }) => engine.listReviews({ all: all ?? false }),
      'cli.reviews.examples': () => engine.reviewExamples(),
      'cli.reviews.resolve': async ({ review, answer, by, resume, secretEnv, display }, { onEvent, signal }) => {
        const outcome = await engine.resolveReview(
          review,
          answer as ReviewAnswer,
          { by, resume, ...(signal ? { signal } : {}), ...(secretEnv ? { secrets: envSecretProvider(secretEnv) } : {}), ...(display ? { display } : {}) },
          onEvent,
        );
        return { task: outcome.task, ...(outcome.note ? { note: outcome.note } : {}), ...(outcome.result ? { result: outcomeOf(outcome.result) } : {}) };
      },
      'cli.templates.list': () => engine.templates().list(),
      'cli.templates.get': ({ id, version }) => engine.templates().get(id, version),
      'cli.templates.export': ({ id }) => engine.templates().export(id),
      'cli.templates.import': ({ text }) => engine.templates().import(text),
      'cli.templates.remove': ({ id }) => engine.templates().remove(id),
      'cli.sync.enroll': async ({ url, token, force }) => {
        // A machine policy that names the audit server allows no other.
        assertAuditServerAllowed(engine.policyState(), url);
        const existing = readSyncConfig(engine.home);
        if (existing && !force) throw new UsageError(`already enrolled with ${existing.serverUrl} as ${existing.deviceId} (use --force to enroll again)`);
        const config = await enroll(engine.home, engine.outbox, url, token);
        this.options.syncChanged?.();
        return { serverUrl: config.serverUrl, deviceId: config.deviceId, pending: engine.outbox.counts().pending };
      },
      'cli.sync.enrollFromPolicy': async () => {
        const state = engine.policyState();
        const policy = requirePolicy(state);
        if (!policy?.auditServer) throw new UsageError(`the machine policy (${state.file}) names no audit server; use rpa enroll SERVER_URL TOKEN`);
        const config = (await enrollFromPolicy(engine.home, engine.outbox, policy))!;
        this.options.syncChanged?.();
        return { serverUrl: config.serverUrl, deviceId: config.deviceId };
      },
      'cli.runs.list': ({ last }) => engine.listRuns({ last }),
      'cli.runs.show': ({ run }) => {
        try {
          return engine.getRun(run);
        } catch (error) {
          // An ambiguous or malformed prefix: the person's input, said as such.
          throw new UsageError((error as Error).message);
        }
      },
      'cli.schedules.list': () => this.schedules.list().map(scheduleRecord),
      'cli.schedules.add': (request) => {
        assertSchedulesAllowed(engine.policyState());
        // A package is checked and unpacked to read its inputs; the schedule keeps the package's path.
        const { automation, file } = loadAutomationOrPackage(request.file, path.join(engine.home.dir, 'packages'));
        const given = fileInputsFrom(automation, request.inputs, request.cwd);
        // Stored as prepared (typed, file inputs absolute: the agent runs from another folder),
        // but only the inputs given: defaults stay the automation's to change.
        const prepared = prepareInputs(automation, given);
        const inputs = Object.fromEntries(Object.keys(given).map((k) => [k, prepared[k]]));
        const added = this.schedules.add({
          file,
          cron: request.cron,
          inputs,
          ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
          ...(request.overlap ? { overlap: request.overlap } : {}),
          ...(request.maxConcurrent !== undefined ? { maxConcurrent: request.maxConcurrent } : {}),
          ...(request.missed ? { missed: request.missed } : {}),
          ...(request.maxRunMs !== undefined ? { maxRunMs: request.maxRunMs } : {}),
          ...(request.name !== undefined ? { name: request.name } : {}),
        });
        this.changed();
        return { ...scheduleRecord(added), automationName: automation.doc.name };
      },
      'cli.schedules.remove': ({ schedule }) => {
        const removed = scheduleRecord(this.schedules.remove(schedule));
        this.changed();
        return removed;
      },
      'cli.schedules.pause': ({ schedule, paused }) => {
        // Resuming needs a policy that allows schedules; pausing never does.
        if (!paused) assertSchedulesAllowed(engine.policyState());
        const record = scheduleRecord(this.schedules.setPaused(schedule, paused));
        this.changed();
        return record;
      },
      'cli.queue.add': ({ queue: name, payload, ...options }) => queue().add(name, payload, options),
      'cli.queue.addMany': ({ queue: name, items }) => queue().addMany(name, items),
      'cli.queue.list': (options) => queue().list(options),
      'cli.queue.stats': ({ queue: name }) => queue().stats(name),
      'cli.queue.get': async ({ id }) => {
        const item = await queue().get(id);
        return { item: item ?? null, history: item ? await queue().history(id) : [] };
      },
      'cli.queue.retry': async ({ id }) => ((await queue().get(id)) ? await queue().retry(id) : null),
      'cli.sync.status': (): SyncStatus => {
        const config = readSyncConfig(engine.home);
        const state = engine.outbox.state();
        const counts = engine.outbox.counts();
        const receipts = new ReceiptStore(engine.outbox.db);
        return {
          enrolled: !!config,
          server: config?.serverUrl ?? null,
          deviceId: state.device_id,
          records: counts.total,
          uploaded: state.acked_seq,
          pending: counts.pending,
          receipted: receipts.lastReceiptedSeq(),
          lastSyncAt: state.last_sync_at,
          lastError: state.last_error,
          refused: engine.outbox.refusal() ?? null,
          incidents: receipts.incidents(),
          screenshots: {
            ...screenshotCounts(engine.outbox.db),
            allowed: failureScreenshotsUploadAllowed(engine.policyState()),
            lastProblem: (engine.outbox.db.prepare("SELECT last_error FROM screenshot_uploads WHERE last_error IS NOT NULL ORDER BY updated_at DESC, record_seq DESC LIMIT 1").pluck().get() as string | undefined) ?? null,
          },
        };
      },
      'cli.sync.now': async () => await new SyncClient(engine.home, engine.outbox, this.enrolled(), { screenshotsAllowed: () => failureScreenshotsUploadAllowed(engine.policyState()) }).syncOnce(),
      'cli.sync.verify': async () => await verifyServerHoldings(engine.outbox, this.enrolled()),
      'cli.secrets.list': () => this.vault().list(),
      'cli.secrets.set': ({ name, value }) => {
        const vault = this.vault();
        const replaced = vault.has(name);
        vault.set(name, value);
        return { replaced, key: vault.keyLocation };
      },
      'cli.secrets.remove': ({ name }) => ({ removed: this.vault().remove(name) }),
    };
  }

  private vault(): Vault {
    const vault = this.options.engine.secretsVault;
    if (!vault) throw new NotAvailableError('this engine keeps no vault (its secrets come from elsewhere)');
    return vault;
  }

  private enrolled(): NonNullable<ReturnType<typeof readSyncConfig>> {
    const config = readSyncConfig(this.options.engine.home);
    if (!config) throw new UsageError('not enrolled: run rpa enroll URL TOKEN first');
    return config;
  }
}
