// The local run store: the only writer of run state. It subscribes to the run-event
// stream (engine/events.ts), keeps every event verbatim in run_events and projects it
// into runs/steps/logs/artifacts in the same transaction, so the two never disagree.
import os from 'node:os';
import { UsageError } from '../errors.js';
import { RunEvent, type RunEventOf, type RunStatus } from '../events.js';
import { AlreadyResumedError, type ResumedBy } from '../review/pause.js';
import { ReviewStore } from '../review/review-store.js';
import { AuditOutbox } from '../sync/outbox.js';
import { openDatabase, type Database } from './database.js';
import { isProcessAlive } from './is-process-alive.js';
import { RunEventRejectedError } from './run-event-rejected-error.js';
import {
  modelCost,
  parseRecord,
  toArtifact,
  toModelCall,
  toLog,
  toRevision,
  toStep,
  toSummary,
  type PackageSigner,
  type RunDetail,
  type RunSummary,
} from './run-records.js';
import { statements } from './statements.js';
import { TemplateStore } from '../extract/learn/template-store.js';

export type {
  ArtifactRecord,
  LogRecord,
  ModelCallSummary,
  RunDetail,
  RunSummary,
  StepRecord,
  StepStatus,
} from './run-records.js';
export { RunEventRejectedError } from './run-event-rejected-error.js';

export interface ListRunsOptions {
  /** How many runs, newest first. Default 20. */
  last?: number;
  automationId?: string;
  status?: RunStatus;
}

const MIN_PREFIX = 4;

export class RunStore {
  private readonly q: ReturnType<typeof statements>;
  private readonly recordTx: (event: RunEvent) => void;
  private readonly interruptTx: (ids: readonly string[]) => string[];
  private readonly readRunTx: (id: string) => RunDetail | undefined;

  readonly outbox: AuditOutbox;
  readonly reviews: ReviewStore;
  /** Layout templates learned from reviewers' corrections (engine/extract/learn). */
  readonly templates: TemplateStore;

  static open(file: string): RunStore {
    return new RunStore(openDatabase(file));
  }

  /** Takes ownership of an already opened and migrated database; close() closes it. */
  constructor(private readonly db: Database) {
    this.q = statements(db);
    // Transactions are built once: record() runs for every event of every run.
    this.outbox = new AuditOutbox(db);
    this.reviews = new ReviewStore(db);
    this.templates = new TemplateStore(db);
    // The audit record of an event is committed with the event or not at all.
    const record = db.transaction((e: RunEvent) => {
      this.apply(e);
      this.outbox.append(e);
    });
    // IMMEDIATE: the transaction reads before it writes, and in WAL a deferred read
    // that later upgrades fails at once (SQLITE_BUSY) if another `rpa run` committed
    // in between; taking the write lock first makes it wait on busy_timeout instead.
    this.recordTx = (e) => record.immediate(e);
    const interrupt = db.transaction((ids: readonly string[]) => this.interrupt(ids));
    this.interruptTx = (ids) => interrupt.immediate(ids);
    // One read transaction so run, steps, logs and artifacts come from one snapshot.
    this.readRunTx = db.transaction((id: string) => this.readRun(id));
  }

  /**
   * Applies one event: raw row + projection, in ONE transaction. Throws on an event for
   * an unknown run, on a duplicate seq, or on an event after the run ended; nothing is
   * written in that case.
   */
  record(event: RunEvent): void {
    // Validate at the boundary: run_events is what the audit trail is built from, and
    // a malformed event must not reach it even if a caller bypassed the types.
    this.recordTx(RunEvent.parse(event));
  }

  /**
   * Ends runs left 'running' whose process is gone as 'interrupted' (and their running steps
   * with them), through a run.finished event with status interrupted: the event, its projection
   * and its audit record in one transaction, so the audit server sees the run end too. The event's
   * time, and so ended_at, is the run's last recorded event — its last sign of life — rather than
   * now, so a run found days later doesn't look days long. Runs an older rpa marked interrupted
   * without such an event get it now. Returns the ids newly marked.
   */
  markInterrupted(isAlive: (pid: number, host: string) => boolean = isProcessAlive): string[] {
    const dead = this.q.runningRuns
      .all()
      .filter((r) => !isAlive(r.pid, r.host))
      .map((r) => r.id);
    const unrecorded = this.q.interruptedUnrecorded.all();
    return dead.length === 0 && unrecorded.length === 0 ? [] : this.interruptTx([...dead, ...unrecorded]);
  }

  /** Newest first. */
  listRuns(opts: ListRunsOptions = {}): RunSummary[] {
    const last = opts.last ?? 20;
    if (!Number.isInteger(last) || last < 1) throw new RangeError(`last must be a positive integer, got ${last}`);
    const { automationId, status } = opts;
    const rows =
      automationId !== undefined && status !== undefined
        ? this.q.listByAutomationAndStatus.all(automationId, status, last)
        : automationId !== undefined
          ? this.q.listByAutomation.all(automationId, last)
          : status !== undefined
            ? this.q.listByStatus.all(status, last)
            : this.q.listAll.all(last);
    return rows.map(toSummary);
  }

  getRun(id: string): RunDetail | undefined {
    return this.readRunTx(id);
  }

  /**
   * Resolves a unique id prefix (at least 4 characters) to a full id. An exact id always
   * wins. Throws if the prefix is too short or matches more than one run.
   */
  /** Runs started with this trigger (e.g. `queue:claims-triage:42`), oldest first. */
  runsByTrigger(trigger: string): Array<{ id: string; status: RunStatus }> {
    return this.db
      .prepare(
        `SELECT r.id, r.status FROM run_events e JOIN runs r ON r.id = e.run_id
         WHERE e.type = 'run.started' AND json_extract(e.json, '$.trigger') = ? ORDER BY r.started_at`,
      )
      .all(trigger) as Array<{ id: string; status: RunStatus }>;
  }

  resolveRunId(prefix: string): string | undefined {
    if (this.q.runStatus.get(prefix)) return prefix;
    if (prefix.length < MIN_PREFIX) {
      throw new UsageError(`run id prefix "${prefix}" is too short: give at least ${MIN_PREFIX} characters`);
    }
    // Range on the primary key keeps this an index seek; U+10FFFF sorts after every
    // character in SQLite's binary (UTF-8) order, so the range covers all extensions.
    const ids = this.q.idsWithPrefix.all(prefix, `${prefix}\u{10FFFF}`, 6).filter((id) => id.startsWith(prefix));
    if (ids.length <= 1) return ids[0];
    const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? ', …' : '');
    throw new UsageError(`run id prefix "${prefix}" is ambiguous: it matches ${shown}. Give more characters.`);
  }

  /** Where a paused run stands: its last run.paused event (state to resume from) and last seq. */
  pausedState(runId: string): { paused: RunEventOf<'run.paused'>; lastSeq: number } | undefined {
    const row = this.db
      .prepare<[string], { json: string; last: number }>(
        `SELECT e.json, (SELECT max(seq) FROM run_events WHERE run_id = e.run_id) AS last
         FROM run_events e JOIN runs r ON r.id = e.run_id
         WHERE e.run_id = ? AND e.type = 'run.paused' AND r.status = 'paused' ORDER BY e.seq DESC LIMIT 1`,
      )
      .get(runId);
    return row ? { paused: JSON.parse(row.json) as RunEventOf<'run.paused'>, lastSeq: row.last } : undefined;
  }

  /** Who last resumed the run (its last run.resumed), if anyone did. */
  lastResume(runId: string): ResumedBy | undefined {
    const row = this.db
      .prepare<[string], { json: string; host: string }>(
        `SELECT e.json, r.host FROM run_events e JOIN runs r ON r.id = e.run_id
         WHERE e.run_id = ? AND e.type = 'run.resumed' ORDER BY e.seq DESC LIMIT 1`,
      )
      .get(runId);
    if (!row) return undefined;
    const event = JSON.parse(row.json) as RunEventOf<'run.resumed'>;
    return { pid: event.pid, host: row.host, at: event.ts };
  }

  /** Ids of paused runs, oldest first. */
  pausedRunIds(): string[] {
    return this.db.prepare<[], string>("SELECT id FROM runs WHERE status = 'paused' ORDER BY started_at").pluck().all();
  }

  /** The raw stream of one run, in seq order. Empty for an unknown run. */
  events(runId: string): RunEvent[] {
    return this.q.events.all(runId).map((json) => JSON.parse(json) as RunEvent);
  }

  close(): void {
    this.db.close();
  }

  private apply(e: RunEvent): void {
    const q = this.q;
    const current = q.runStatus.get(e.runId);
    if (e.type === 'run.started') {
      if (current) throw new RunEventRejectedError(e, `run ${e.runId} was already started`);
      const a = e.automation;
      q.insertRun.run({
        id: e.runId,
        automation_id: a.id,
        automation_name: a.name,
        automation_version: a.version,
        automation_file: a.file ?? null,
        automation_sha256: a.sha256,
        package_sha256: e.package?.sha256 ?? null,
        package_signer: e.package?.signer ? JSON.stringify(e.package.signer) : null,
        started_at: e.ts,
        inputs_json: JSON.stringify(e.inputs),
        headless: e.headless ? 1 : 0,
        pid: e.pid,
        // The store runs in the runner's process, so this is the host the pid lives on.
        host: os.hostname(),
        total_steps: e.totalSteps,
      });
    } else if (!current) {
      throw new RunEventRejectedError(e, `run ${e.runId} is unknown (no run.started was recorded)`);
    } else if (e.type === 'run.resumed') {
      // The claim: of every caller resuming a paused run (the reviewer, the tray, the host's
      // resumer, a process waiting for the review) only the one whose UPDATE finds it paused
      // goes on; the others are told who did, and nothing of theirs is recorded.
      const claimed = this.db.prepare("UPDATE runs SET status = 'running', pid = ?, host = ? WHERE id = ? AND status = 'paused'").run(e.pid, os.hostname(), e.runId);
      if (claimed.changes !== 1) throw new AlreadyResumedError(e.runId, this.lastResume(e.runId), current.status);
    } else if (current.status === 'paused') {
      // A paused run takes only the decision on its review and the resumption.
      if (e.type !== 'review.resolved') throw new RunEventRejectedError(e, `run ${e.runId} is paused for a review`);
    } else if (current.status !== 'running') {
      throw new RunEventRejectedError(e, `run ${e.runId} already ended (${current.status})`);
    }

    try {
      q.insertEvent.run(e.runId, e.seq, e.type, e.ts, JSON.stringify(e));
    } catch (err) {
      if (isConstraint(err, 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
        throw new RunEventRejectedError(e, `seq ${e.seq} was already recorded for run ${e.runId}`);
      }
      throw err;
    }

    switch (e.type) {
      case 'run.started':
        return;
      case 'step.started':
        try {
          q.insertStep.run(e.runId, e.path, e.kind, e.label, e.attempt, e.topIndex, e.ts);
        } catch (err) {
          if (isConstraint(err, 'SQLITE_CONSTRAINT_UNIQUE')) {
            throw new RunEventRejectedError(e, `step ${e.path} attempt ${e.attempt} was already started`);
          }
          throw err;
        }
        return;
      case 'step.succeeded':
      case 'step.failed':
        return this.endStep(e);
      case 'log':
        q.insertLog.run(e.runId, e.seq, e.ts, e.level, e.message, e.path ?? null);
        return;
      case 'artifact':
        q.insertArtifact.run(e.runId, e.seq, e.ts, e.path ?? null, e.artifactKind, e.file, e.bytes);
        return;
      case 'review.created':
        this.reviews.created(e);
        return;
      case 'review.resolved':
        if (!this.reviews.resolved(e)) throw new RunEventRejectedError(e, `review ${e.reviewId} of run ${e.runId} is not open`);
        return;
      case 'run.paused':
        this.db.prepare("UPDATE runs SET status = 'paused', vars_json = ? WHERE id = ? AND status = 'running'").run(JSON.stringify(e.vars), e.runId);
        return;
      case 'run.resumed':
        return; // claimed above
      case 'run.revised':
        q.reviseTotalSteps.run(e.totalSteps, e.runId);
        return;
      case 'model.called':
      case 'model.shadow':
      case 'extraction':
        return;
      case 'run.finished':
        q.finishRun.run({
          id: e.runId,
          status: e.status,
          ended_at: e.ts,
          duration_ms: e.durationMs,
          outputs_json: JSON.stringify(e.outputs),
          vars_json: JSON.stringify(e.vars),
          error_json: e.error === undefined ? null : JSON.stringify(e.error),
        });
        // No step event can follow run.finished, so a step still open (the one a
        // cancellation cut short) would otherwise read as running forever.
        q.interruptSteps.run(e.ts, e.runId);
        return;
    }
  }

  private endStep(e: RunEventOf<'step.succeeded'> | RunEventOf<'step.failed'>): void {
    const res = this.q.endStep.run({
      run_id: e.runId,
      path: e.path,
      attempt: e.attempt,
      status: e.type === 'step.succeeded' ? 'passed' : 'failed',
      ended_at: e.ts,
      duration_ms: e.durationMs,
      locator_json: e.type === 'step.succeeded' && e.locator ? JSON.stringify(e.locator) : null,
      error_json: e.type === 'step.failed' ? JSON.stringify(e.error) : null,
    });
    if (res.changes === 0) {
      throw new RunEventRejectedError(e, `step ${e.path} attempt ${e.attempt} is not running (never started, or already ended)`);
    }
  }

  private interrupt(ids: readonly string[]): string[] {
    const marked: string[] = [];
    const detectedAt = new Date().toISOString();
    for (const id of ids) {
      const run = this.q.getRun.get(id);
      // Re-read under the write lock: skips a run that finished between isAlive() and now, and
      // one another process has just ended this way (its list was read before that commit).
      if (!run || (run.status !== 'running' && run.status !== 'interrupted')) continue;
      if (run.status === 'interrupted' && this.q.hasRunEnded.get(id) !== undefined) continue;
      const last = this.q.lastEvent.get(id);
      const endedAt = run.status === 'interrupted' && run.ended_at ? run.ended_at : (last?.ts ?? run.started_at);
      const event = RunEvent.parse({
        type: 'run.finished',
        runId: id,
        seq: (last?.seq ?? 0) + 1,
        ts: endedAt,
        status: 'interrupted',
        durationMs: Math.max(0, Date.parse(endedAt) - Date.parse(run.started_at)) || 0,
        outputs: {},
        vars: {},
        error: {
          name: 'RunInterruptedError',
          message: `the process running it (pid ${run.pid} on ${run.host}) ended before the run finished (killed, crashed or power lost); steps after the last one that passed may or may not have taken effect`,
          details: { pid: run.pid, host: run.host, lastEventAt: last?.ts ?? null, detectedAt, detectedBy: { pid: process.pid, host: os.hostname() } },
        },
      });
      if (run.status === 'running') {
        this.apply(event);
        marked.push(id);
      } else {
        // Marked by an older rpa: the projection is done, only the event and its record are missing.
        this.q.insertEvent.run(id, event.seq, event.type, event.ts, JSON.stringify(event));
      }
      this.outbox.append(event);
    }
    return marked;
  }

  private readRun(id: string): RunDetail | undefined {
    const row = this.q.getRun.get(id);
    if (!row) return undefined;
    const modelCalls = this.q.modelCalls.all(id).map((r) => toModelCall(r.seq, r.ts, r.json));
    const cost = modelCost(modelCalls);
    return {
      ...toSummary(row),
      automationSha256: row.automation_sha256,
      ...(row.package_sha256 ? { package: { sha256: row.package_sha256, ...(row.package_signer ? { signer: JSON.parse(row.package_signer) as PackageSigner } : {}) } } : {}),
      inputs: parseRecord(row.inputs_json),
      outputs: parseRecord(row.outputs_json),
      vars: parseRecord(row.vars_json),
      headless: row.headless === 1,
      pid: row.pid,
      host: row.host,
      totalSteps: row.total_steps,
      steps: this.q.steps.all(id).map(toStep),
      logs: this.q.logs.all(id).map(toLog),
      revisions: this.q.revisions.all(id).map(toRevision),
      artifacts: this.q.artifacts.all(id).map(toArtifact),
      modelCalls,
      ...(cost !== undefined ? { modelCostUsd: cost } : {}),
    };
  }
}

function isConstraint(err: unknown, code: string): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === code;
}
