// Prometheus text exposition: counters kept in memory by this server instance, plus gauges
// read from the database when scraped (runs by status, devices, stored records).
import type { Queryable } from './db.js';
import { toNumber } from './db.js';

type Labels = Record<string, string>;

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
};

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();

  constructor() {
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
    const runs = await db.query<{ status: string; n: unknown }>('SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY status');
    lines.push('# HELP audit_runs Runs stored, by status.', '# TYPE audit_runs gauge');
    for (const row of runs.rows) lines.push(`audit_runs${labelText({ status: row.status })} ${toNumber(row.n)}`);
    const devices = await db.query<{ n: unknown; records: unknown }>('SELECT count(*) AS n, COALESCE(sum(ack_seq), 0) AS records FROM devices');
    const row = devices.rows[0];
    lines.push('# HELP audit_devices Enrolled devices.', '# TYPE audit_devices gauge', `audit_devices ${toNumber(row?.n ?? 0)}`);
    lines.push('# HELP audit_records Records accepted over all devices (sum of acks).', '# TYPE audit_records gauge', `audit_records ${toNumber(row?.records ?? 0)}`);
    return `${lines.join('\n')}\n`;
  }
}
