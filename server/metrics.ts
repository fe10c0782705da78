// Prometheus text exposition: counters kept in memory by this server instance, plus gauges
// read from the database when scraped (runs by status, devices, stored records) and per-automation
// figures over the last `windowDays` days of stored records (latency percentiles, failure, healing,
// review and cost). The database part is cached for `cacheMs` so frequent scrapes stay cheap.
import type { Queryable } from './db.js';
import { toNumber } from './db.js';

type Labels = Record<string, string>;

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
};
const num = (value: number) => (Number.isFinite(value) ? String(value) : 'NaN');

export interface MetricsOptions {
  /** Days of records the per-automation figures cover (default 7). */
  windowDays?: number;
  /** How long the database part of a scrape is reused (default 5000 ms; 0 = never). */
  cacheMs?: number;
}

/** The automation label of records that carry none. */
export const NO_AUTOMATION = '(none)';

const QUANTILES = [0.5, 0.95, 0.99] as const;

interface AutomationRow {
  automation: string | null;
  run_q: unknown;
  step_q: unknown;
  finished: unknown;
  failed: unknown;
  steps_located: unknown;
  steps_healed: unknown;
  cost: unknown;
}

// One pass over the window: each figure is an aggregate FILTERed to its event type. Values that
// are not JSON numbers are ignored rather than failing the cast.
const numberAt = (field: string) => `CASE WHEN jsonb_typeof(payload->'${field}') = 'number' THEN (payload->>'${field}')::float8 END`;
const AUTOMATION_SQL = `
  SELECT automation AS automation,
    percentile_cont(ARRAY[${QUANTILES.join(',')}]::float8[]) WITHIN GROUP (ORDER BY duration) FILTER (WHERE type = 'run.finished') AS run_q,
    percentile_cont(ARRAY[${QUANTILES.join(',')}]::float8[]) WITHIN GROUP (ORDER BY duration) FILTER (WHERE type IN ('step.succeeded', 'step.failed')) AS step_q,
    count(*) FILTER (WHERE type = 'run.finished') AS finished,
    count(*) FILTER (WHERE type = 'run.finished' AND status IN ('failed', 'timed_out')) AS failed,
    count(*) FILTER (WHERE type = 'step.succeeded' AND jsonb_typeof(locator) = 'object') AS steps_located,
    count(*) FILTER (WHERE type = 'step.succeeded' AND locator->'fallback' = 'true'::jsonb) AS steps_healed,
    COALESCE(sum(cost), 0) AS cost
  FROM (
    SELECT automation_id AS automation, type, run_id, ${numberAt('durationMs')} AS duration, payload->>'status' AS status,
           payload->'locator' AS locator, ${numberAt('cost')} AS cost
    FROM audit_records
    WHERE ts_at >= now() - make_interval(days => $1::int)
      AND (type IN ('run.finished', 'step.succeeded', 'step.failed') OR type LIKE 'review.%' OR payload ? 'cost')
  ) AS r
  GROUP BY automation
  ORDER BY automation NULLS FIRST`;

// Runs with at least one review.* event, per automation (partial index audit_records_review).
const REVIEWED_SQL = `
  SELECT automation_id AS automation, count(DISTINCT run_id) AS reviewed_runs
  FROM audit_records
  WHERE type LIKE 'review.%' AND ts_at >= now() - make_interval(days => $1::int)
  GROUP BY automation_id`;

/** float8[] arrives parsed from pg and PGlite; null when the filter matched nothing. */
function quantiles(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((v) => toNumber(v));
}

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  readonly windowDays: number;
  private readonly cacheMs: number;
  private cached: { at: number; text: Promise<string> } | undefined;

  constructor(options: MetricsOptions = {}) {
    this.windowDays = options.windowDays ?? 7;
    if (!Number.isInteger(this.windowDays) || this.windowDays < 1) throw new Error(`metrics window must be a whole number of days >= 1, got ${options.windowDays}`);
    this.cacheMs = options.cacheMs ?? 5000;
    this.define('audit_ingest_batches_total', 'Ingest requests by result (accepted, duplicate, gap, conflict, invalid, bad_signature, rejected).');
    this.define('audit_ingest_records_total', 'Records received in ingest batches by outcome (accepted, duplicate).');
    this.define('audit_ingest_seconds_total', 'Time spent handling accepted or duplicate ingest batches.');
    this.define('audit_http_requests_total', 'HTTP responses by status class.');
  }

  private define(name: string, help: string): void {
    this.counters.set(name, { help, values: new Map() });
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const counter = this.counters.get(name);
    if (!counter) throw new Error(`unknown metric ${name}`);
    const key = labelText(labels);
    counter.values.set(key, (counter.values.get(key) ?? 0) + by);
  }

  async render(db: Queryable): Promise<string> {
    const lines: string[] = [];
    for (const [name, { help, values }] of this.counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
    }
    return `${lines.join('\n')}\n${await this.stored(db)}`;
  }

  /** The database gauges, shared by concurrent scrapes and reused for cacheMs. */
  private stored(db: Queryable): Promise<string> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.text;
    const text = this.readStored(db);
    this.cached = { at: now, text };
    // A failed read is not kept: the next scrape tries again.
    text.catch(() => {
      if (this.cached?.text === text) this.cached = undefined;
    });
    return text;
  }

  private async readStored(db: Queryable): Promise<string> {
    // Independent reads: run side by side on a pool (PGlite serialises them itself).
    const [runs, devices, automations] = await Promise.all([
      db.query<{ status: string; n: unknown }>('SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY status'),
      db.query<{ n: unknown; records: unknown }>('SELECT count(*) AS n, COALESCE(sum(ack_seq), 0) AS records FROM devices'),
      this.automationLines(db),
    ]);
    const lines: string[] = [];
    lines.push('# HELP audit_runs Runs stored, by status.', '# TYPE audit_runs gauge');
    for (const row of runs.rows) lines.push(`audit_runs${labelText({ status: row.status })} ${toNumber(row.n)}`);
    const row = devices.rows[0];
    lines.push('# HELP audit_devices Enrolled devices.', '# TYPE audit_devices gauge', `audit_devices ${toNumber(row?.n ?? 0)}`);
    lines.push('# HELP audit_records Records accepted over all devices (sum of acks).', '# TYPE audit_records gauge', `audit_records ${toNumber(row?.records ?? 0)}`);
    lines.push(...automations);
    return `${lines.join('\n')}\n`;
  }

  private async automationLines(db: Queryable): Promise<string[]> {
    const [result, reviewed] = await Promise.all([
      db.query<AutomationRow>(AUTOMATION_SQL, [this.windowDays]),
      db.query<{ automation: string | null; reviewed_runs: unknown }>(REVIEWED_SQL, [this.windowDays]),
    ]);
    const reviewedRuns = new Map(reviewed.rows.map((r) => [r.automation, toNumber(r.reviewed_runs)]));
    const days = this.windowDays;
    const families: Record<string, { type: 'gauge'; help: string; samples: string[] }> = {};
    const family = (name: string, help: string) => (families[name] ??= { type: 'gauge', help, samples: [] }).samples;
    const runLatency = family('audit_run_duration_ms', `Run duration (run.finished durationMs) quantiles per automation over the last ${days} days.`);
    const stepLatency = family('audit_step_duration_ms', `Step duration (step.succeeded/step.failed durationMs) quantiles per automation over the last ${days} days.`);
    const finishedRuns = family('audit_runs_finished', `Runs finished per automation over the last ${days} days.`);
    const failureRate = family('audit_run_failure_rate', `Share of finished runs that failed or timed out, per automation, last ${days} days (0 without runs).`);
    const healedRate = family('audit_step_healed_rate', `Share of succeeded steps with a matched locator that matched a fallback candidate, per automation, last ${days} days (0 without such steps).`);
    const reviewRate = family('audit_run_review_rate', `Reviewed runs (any review.* event) per finished run, per automation, last ${days} days (0 without runs).`);
    const costPerRun = family('audit_run_cost', `Sum of payload.cost per finished run, per automation, last ${days} days (0 without runs or costs).`);
    const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
    for (const row of result.rows) {
      const automation = row.automation ?? NO_AUTOMATION;
      const runQ = quantiles(row.run_q);
      const stepQ = quantiles(row.step_q);
      QUANTILES.forEach((q, i) => {
        const labels = labelText({ automation, quantile: String(q) });
        if (runQ?.[i] !== undefined) runLatency.push(`audit_run_duration_ms${labels} ${num(runQ[i])}`);
        if (stepQ?.[i] !== undefined) stepLatency.push(`audit_step_duration_ms${labels} ${num(stepQ[i])}`);
      });
      const labels = labelText({ automation });
      const finished = toNumber(row.finished);
      finishedRuns.push(`audit_runs_finished${labels} ${finished}`);
      failureRate.push(`audit_run_failure_rate${labels} ${num(ratio(toNumber(row.failed), finished))}`);
      healedRate.push(`audit_step_healed_rate${labels} ${num(ratio(toNumber(row.steps_healed), toNumber(row.steps_located)))}`);
      reviewRate.push(`audit_run_review_rate${labels} ${num(ratio(reviewedRuns.get(row.automation) ?? 0, finished))}`);
      costPerRun.push(`audit_run_cost${labels} ${num(ratio(toNumber(row.cost), finished))}`);
    }
    const lines = ['# HELP audit_metrics_window_days Days of records the per-automation metrics cover.', '# TYPE audit_metrics_window_days gauge', `audit_metrics_window_days ${days}`];
    for (const [name, { type, help, samples }] of Object.entries(families)) lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    return lines;
  }
}
