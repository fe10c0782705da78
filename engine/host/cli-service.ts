// The CLI's state commands over an open engine (engine/host/cli-api.ts): in the engine host,
// on its one store connection, when the CLI reaches it over the socket; in the CLI's own
// process when no host runs. The same handlers either way, so the policy checks, the input
// preparation and the store writes are made in one place.
import path from 'node:path';
import type { Engine } from '../api.js';
import { loadAutomationOrPackage } from '../package/index.js';
import { assertSchedulesAllowed } from '../policy/effective.js';
import { prepareInputs } from '../runner/inputs.js';
import { ScheduleStore, type Schedule } from '../schedule/schedule-store.js';
import { verifyServerHoldings } from '../sync/device-verify.js';
import { ReceiptStore } from '../sync/receipts.js';
import { readSyncConfig, SyncClient } from '../sync/sync-client.js';
import { UsageError } from '../errors.js';
import { NotAvailableError, RequestInvalidError } from '../transport/errors.js';
import type { Vault } from '../vault/vault.js';
import { CLI_API, isCliMethod, type CliApi, type CliMethod, type ScheduleRecord, type SyncStatus } from './cli-api.js';
import type { z } from 'zod';

type Parsed<M extends CliMethod> = z.output<(typeof CLI_API)[M]['request']>;
type Handlers = { [M in CliMethod]: (request: Parsed<M>) => unknown };

export interface CliServiceOptions {
  engine: Engine;
  /** A schedule changed on this connection: the host's scheduler reloads at once (no data_version change on its own connection). */
  schedulesChanged?: () => void;
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

  constructor(private readonly options: CliServiceOptions) {
    this.schedules = new ScheduleStore(options.engine.database);
    this.handlers = this.createHandlers();
  }

  async call(method: string, request: unknown): Promise<unknown> {
    if (!isCliMethod(method)) throw new RequestInvalidError(`unknown CLI method "${method}"`);
    const parsed = CLI_API[method].request.safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RequestInvalidError(`${method}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    // Answers cross the socket as JSON: undefined becomes null so "not found" survives the trip.
    return (await (this.handlers[method] as (request: unknown) => unknown)(parsed.data)) ?? null;
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
        // File inputs are relative to where the command was typed, not to this process.
        const given: Record<string, unknown> = { ...request.inputs };
        for (const decl of automation.doc.inputs ?? []) {
          if (decl.type === 'file' && typeof given[decl.name] === 'string') given[decl.name] = path.resolve(request.cwd, given[decl.name] as string);
        }
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
        };
      },
      'cli.sync.now': async () => await new SyncClient(engine.home, engine.outbox, this.enrolled()).syncOnce(),
      'cli.sync.verify': async () => await verifyServerHoldings(engine.outbox, this.enrolled()),
      'cli.secrets.list': () => this.vault().list(),
      'cli.secrets.set': ({ name, value }) => {
        const vault = this.vault();
        const replaced = vault.has(name);
        vault.set(name, value);
        return { replaced };
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
