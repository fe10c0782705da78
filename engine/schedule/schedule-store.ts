// Schedules, kept in the run store's SQLite file (migration 0002). The CLI writes them;
// the agent's Scheduler reads them and moves each one's cursor (next_fire_at) as slots
// are handled. Every cursor move is a compare-and-set, so two processes handling the
// same slot cannot both fire it.
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { openDatabase, type Database } from '../store/database.js';
import { cronSpec } from './cron.js';
import { checkTimeZone, systemTimeZone } from './time-zone.js';

export type OverlapPolicy = 'skip' | 'queue' | 'allow';
export type MissedPolicy = 'runOnce' | 'skip';

export interface Schedule {
  /** Short and readable, e.g. `k7m2qx`. */
  id: string;
  name: string | undefined;
  /** Absolute path of the automation file. */
  file: string;
  inputs: Record<string, unknown>;
  cron: string;
  timeZone: string;
  overlap: OverlapPolicy;
  /** How many runs of this schedule may run at once under `allow` (1 otherwise). */
  maxConcurrent: number;
  missed: MissedPolicy;
  maxRunMs: number | undefined;
  paused: boolean;
  createdAt: Date;
  /** The slot (scheduled time) of the last fire. */
  lastFiredAt: Date | undefined;
  /** The first slot not yet handled; undefined when the expression never fires again. */
  nextFireAt: Date | undefined;
}

export interface NewSchedule {
  file: string;
  cron: string;
  /** IANA zone; default the system's. */
  timeZone?: string;
  inputs?: Record<string, unknown>;
  overlap?: OverlapPolicy;
  maxConcurrent?: number;
  missed?: MissedPolicy;
  maxRunMs?: number;
  name?: string;
}

interface Row {
  id: string;
  name: string | null;
  automation_file: string;
  inputs_json: string;
  cron: string;
  time_zone: string;
  overlap: OverlapPolicy;
  max_concurrent: number;
  missed: MissedPolicy;
  max_run_ms: number | null;
  paused: 0 | 1;
  created_at: string;
  last_fired_at: string | null;
  next_fire_at: string | null;
}

// No 0/1/o/l/i: an id is read off a screen and typed back.
const ID_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const date = (text: string | null): Date | undefined => (text === null ? undefined : new Date(text));

function toSchedule(r: Row): Schedule {
  return {
    id: r.id,
    name: r.name ?? undefined,
    file: r.automation_file,
    inputs: JSON.parse(r.inputs_json) as Record<string, unknown>,
    cron: r.cron,
    timeZone: r.time_zone,
    overlap: r.overlap,
    maxConcurrent: r.max_concurrent,
    missed: r.missed,
    maxRunMs: r.max_run_ms ?? undefined,
    paused: r.paused === 1,
    createdAt: new Date(r.created_at),
    lastFiredAt: date(r.last_fired_at),
    nextFireAt: date(r.next_fire_at),
  };
}

export class ScheduleStore {
  private readonly q;

  static open(file: string): ScheduleStore {
    return new ScheduleStore(openDatabase(file));
  }

  /** Over an opened, migrated database (the agent shares its own); close() closes it. */
  constructor(private readonly db: Database) {
    this.q = {
      insert: db.prepare(`INSERT INTO schedules VALUES (@id, @name, @automation_file, @inputs_json, @cron, @time_zone, @overlap,
        @max_concurrent, @missed, @max_run_ms, @paused, @created_at, NULL, @next_fire_at)`),
      all: db.prepare<[], Row>('SELECT * FROM schedules ORDER BY created_at, id'),
      byId: db.prepare<[string], Row>('SELECT * FROM schedules WHERE id = ?'),
      byName: db.prepare<[string], Row>('SELECT * FROM schedules WHERE name = ?'),
      remove: db.prepare<[string]>('DELETE FROM schedules WHERE id = ?'),
      pause: db.prepare<[number, string | null, string]>('UPDATE schedules SET paused = ?, next_fire_at = ? WHERE id = ?'),
      fire: db.prepare<[string | null, string | null, string, string | null]>(
        'UPDATE schedules SET last_fired_at = coalesce(?, last_fired_at), next_fire_at = ? WHERE id = ? AND next_fire_at IS ? AND paused = 0',
      ),
      lastFired: db.prepare<[string, string]>('UPDATE schedules SET last_fired_at = ? WHERE id = ?'),
    };
  }

  /** Validates (cron, time zone, policies) and stores a new schedule. Throws UsageError. */
  add(input: NewSchedule, now: Date = new Date()): Schedule {
    const timeZone = checkTimeZone(input.timeZone ?? systemTimeZone());
    const spec = cronSpec(input.cron.trim(), timeZone);
    const overlap = input.overlap ?? 'skip';
    const maxConcurrent = input.maxConcurrent ?? 1;
    if (!['skip', 'queue', 'allow'].includes(overlap)) throw new UsageError(`overlap must be skip, queue or allow, got "${overlap}"`);
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) throw new UsageError(`max concurrent runs must be a whole number of at least 1, got ${maxConcurrent}`);
    if (maxConcurrent > 1 && overlap !== 'allow') throw new UsageError('max concurrent runs above 1 needs the allow overlap policy');
    const missed = input.missed ?? 'runOnce';
    if (missed !== 'runOnce' && missed !== 'skip') throw new UsageError(`missed-run policy must be runOnce or skip, got "${String(missed)}"`);
    if (input.maxRunMs !== undefined && !(Number.isInteger(input.maxRunMs) && input.maxRunMs > 0)) {
      throw new UsageError(`maximum run time must be a positive number of milliseconds, got ${input.maxRunMs}`);
    }
    const next = spec.nextAfter(now.getTime());
    if (next === undefined) throw new UsageError(`cron expression "${input.cron}" never fires`);
    const name = input.name?.trim() || undefined;
    if (name !== undefined && (this.q.byName.get(name) || this.q.byId.get(name))) throw new UsageError(`a schedule named "${name}" already exists`);
    const id = this.newId();
    this.q.insert.run({
      id,
      name: name ?? null,
      automation_file: path.resolve(input.file),
      inputs_json: JSON.stringify(input.inputs ?? {}),
      cron: spec.expression,
      time_zone: timeZone,
      overlap,
      max_concurrent: maxConcurrent,
      missed,
      max_run_ms: input.maxRunMs ?? null,
      paused: 0,
      created_at: now.toISOString(),
      next_fire_at: iso(next),
    });
    return this.get(id)!;
  }

  list(): Schedule[] {
    return this.q.all.all().map(toSchedule);
  }

  get(id: string): Schedule | undefined {
    const row = this.q.byId.get(id);
    return row ? toSchedule(row) : undefined;
  }

  /** By id or by name; throws UsageError when there is none. */
  resolve(idOrName: string): Schedule {
    const row = this.q.byId.get(idOrName) ?? this.q.byName.get(idOrName);
    if (!row) throw new UsageError(`no schedule "${idOrName}"; \`rpa schedule list\` shows them`);
    return toSchedule(row);
  }

  remove(idOrName: string): Schedule {
    const schedule = this.resolve(idOrName);
    this.q.remove.run(schedule.id);
    return schedule;
  }

  /**
   * Pausing stops new fires (runs under way go on). Resuming starts from the next slot
   * after `now`: slots that passed while paused were meant not to run, so they are not
   * "missed".
   */
  setPaused(idOrName: string, paused: boolean, now: Date = new Date()): Schedule {
    const s = this.resolve(idOrName);
    const next = paused ? s.nextFireAt?.getTime() : cronSpec(s.cron, s.timeZone).nextAfter(now.getTime());
    this.q.pause.run(paused ? 1 : 0, iso(next), s.id);
    return this.get(s.id)!;
  }

  /**
   * Moves the cursor from `expected` to `next`, recording `firedFor` as the last fire
   * when given. False when the row no longer holds `expected` (another process moved
   * it, or it was paused or removed): the caller must then not act on the slot.
   */
  advance(id: string, expected: number | undefined, next: number | undefined, firedFor?: number): boolean {
    return this.q.fire.run(iso(firedFor), iso(next), id, iso(expected)).changes === 1;
  }

  /** Records the slot a queued fire stands for, when it finally starts. */
  setLastFired(id: string, slot: number): void {
    this.q.lastFired.run(new Date(slot).toISOString(), id);
  }

  /** Runs `fn` in one write transaction (one fsync for a whole batch of advances). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Changes whenever another connection commits to the file; cheap to poll. */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  close(): void {
    this.db.close();
  }

  private newId(): string {
    for (;;) {
      let id = '';
      for (let i = 0; i < 6; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
      if (!this.q.byId.get(id) && !this.q.byName.get(id)) return id;
    }
  }
}
