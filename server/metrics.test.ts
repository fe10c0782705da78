// /metrics against real PostgreSQL: per-automation latency quantiles, failure, healed-step,
// review and cost figures from stored records; the scrape cache; speed on 100k records.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { SqlClient } from './db.js';
import { Metrics } from './metrics.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

/** `name{labels} value` lines → map from `name{labels}` to the number. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    map.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return map;
}

const automation = (id: string) => ({ id, version: '1.0.0', sha256: 'b'.repeat(64) });

describe('GET /metrics (PostgreSQL)', () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db, { metrics: { cacheMs: 0 } });
    const device = await new FakeDevice().enroll(app);
    const records = [];
    const opts = { automation: automation('invoices') };
    // 4 runs of "invoices": durations 100, 200, 300, 400; statuses passed, failed, timed_out, passed.
    const statuses = ['passed', 'failed', 'timed_out', 'passed'];
    for (let i = 0; i < 4; i++) {
      const runId = `inv-${i}`;
      records.push(device.record('run.started', runId, {}, opts));
      // Steps 10, 20 (i=0) … ; one failed step of 1000 ms in run 1.
      records.push(device.record('step.succeeded', runId, { path: 'steps[1]', durationMs: 10 * (i + 1), locator: { index: 0, description: '#a', fallback: false } }, opts));
      records.push(device.record('step.succeeded', runId, { path: 'steps[2]', durationMs: 20 * (i + 1), ...(i === 0 ? { locator: { index: 1, description: '#b', fallback: true } } : {}) }, opts));
      if (i === 1) records.push(device.record('step.failed', runId, { path: 'steps[3]', durationMs: 1000, willRetry: false }, opts));
      if (i === 2) records.push(device.record('review.requested', runId, { cost: 0.5 }, opts));
      if (i === 2) records.push(device.record('review.approved', runId, {}, opts));
      records.push(device.record('run.finished', runId, { status: statuses[i], durationMs: 100 * (i + 1), cost: 1.5 }, opts));
    }
    // "payroll": one passed run, no locators, no reviews, no costs; a bad durationMs is ignored.
    records.push(device.record('run.started', 'pay-0', {}, { automation: automation('payroll') }));
    records.push(device.record('step.succeeded', 'pay-0', { durationMs: 'slow' }, { automation: automation('payroll') }));
    records.push(device.record('run.finished', 'pay-0', { status: 'passed', durationMs: 50 }, { automation: automation('payroll') }));
    // Outside the 7-day window: must not count.
    const old = { automation: automation('payroll'), ts: new Date(Date.now() - 30 * 86_400_000).toISOString() };
    records.push(device.record('run.finished', 'pay-old', { status: 'failed', durationMs: 99_999 }, old));
    const reply = await device.ingest(app, records);
    assert.equal(reply.status, 200, reply.text);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  const scrape = async () => {
    const reply = await call(app, 'GET', '/metrics', ADMIN);
    assert.equal(reply.status, 200, reply.text);
    assert.match(String(reply.headers['content-type']), /^text\/plain/);
    return reply.text;
  };

  it('keeps the existing metrics', async () => {
    const text = await scrape();
    for (const name of ['audit_ingest_batches_total', 'audit_http_requests_total', 'audit_runs', 'audit_devices', 'audit_records']) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
    const s = samples(text);
    assert.equal(s.get('audit_devices'), 1);
    assert.equal(s.get('audit_metrics_window_days'), 7);
  });

  it('reports run and step latency quantiles per automation', async () => {
    const s = samples(await scrape());
    // percentile_cont over 100, 200, 300, 400.
    assert.equal(s.get('audit_run_duration_ms{automation="invoices",quantile="0.5"}'), 250);
    assert.equal(s.get('audit_run_duration_ms{automation="invoices",quantile="0.95"}'), 385);
    assert.ok(Math.abs(s.get('audit_run_duration_ms{automation="invoices",quantile="0.99"}')! - 397) < 1e-9);
    assert.equal(s.get('audit_run_duration_ms{automation="payroll",quantile="0.5"}'), 50);
    // Steps: 10,20,20,40,30,60,40,80 and 1000 → median 40.
    assert.equal(s.get('audit_step_duration_ms{automation="invoices",quantile="0.5"}'), 40);
    assert.ok(s.get('audit_step_duration_ms{automation="invoices",quantile="0.99"}')! > 900);
    // payroll's only step had a non-numeric duration: no step quantiles.
    assert.equal(s.has('audit_step_duration_ms{automation="payroll",quantile="0.5"}'), false);
  });

  it('reports failure, healed-step, review rates and cost per run (0 when none)', async () => {
    const s = samples(await scrape());
    assert.equal(s.get('audit_runs_finished{automation="invoices"}'), 4);
    assert.equal(s.get('audit_run_failure_rate{automation="invoices"}'), 0.5);
    // 5 succeeded steps carry a locator, 1 of them a fallback.
    assert.equal(s.get('audit_step_healed_rate{automation="invoices"}'), 0.2);
    assert.equal(s.get('audit_run_review_rate{automation="invoices"}'), 0.25);
    assert.equal(s.get('audit_run_cost{automation="invoices"}'), (4 * 1.5 + 0.5) / 4);
    // The 30-day-old failed run is outside the window.
    assert.equal(s.get('audit_runs_finished{automation="payroll"}'), 1);
    assert.equal(s.get('audit_run_failure_rate{automation="payroll"}'), 0);
    assert.equal(s.get('audit_step_healed_rate{automation="payroll"}'), 0);
    assert.equal(s.get('audit_run_review_rate{automation="payroll"}'), 0);
    assert.equal(s.get('audit_run_cost{automation="payroll"}'), 0);
  });

  it('caches the database part for cacheMs', async () => {
    const metrics = new Metrics({ cacheMs: 60_000 });
    const first = samples(await metrics.render(db));
    await db.query(`UPDATE audit_records SET payload = jsonb_set(payload, '{durationMs}', '1') WHERE type = 'run.finished' AND automation_id = 'payroll'`);
    metrics.inc('audit_http_requests_total', { code: '2xx' });
    const second = samples(await metrics.render(db));
    assert.equal(second.get('audit_run_duration_ms{automation="payroll",quantile="0.5"}'), first.get('audit_run_duration_ms{automation="payroll",quantile="0.5"}'));
    assert.equal(second.get('audit_http_requests_total{code="2xx"}'), 1, 'counters are never cached');
    const fresh = samples(await new Metrics({ cacheMs: 0 }).render(db));
    assert.equal(fresh.get('audit_run_duration_ms{automation="payroll",quantile="0.5"}'), 1);
    await db.query(`UPDATE audit_records SET payload = jsonb_set(payload, '{durationMs}', '50') WHERE type = 'run.finished' AND automation_id = 'payroll'`);
  });

  it('rejects an auditor token', async () => {
    const auditor = (await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor' })).body.token;
    assert.equal((await call(app, 'GET', '/metrics', auditor)).status, 403);
  });
});

describe('/metrics speed (PostgreSQL, 100k records)', () => {
  let db: SqlClient;
  let drop: () => Promise<void>;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    const app = await testServer(db);
    await app.close();
    await db.query(`INSERT INTO devices (id, name, public_key, token_hash, ack_seq, ack_hash) VALUES ('bulk', 'bulk', 'x', 'x', 100000, 'x')`);
    // 100k records over 10 automations and the last 7 days: a run.finished every 5th, steps otherwise.
    await db.query(`
      INSERT INTO audit_records (device_id, seq, id, ts, ts_at, type, run_id, automation_id, user_name, payload, prev_hash, hash)
      SELECT 'bulk', g, 'r' || g, '', now() - (g % 604000) * interval '1 second',
             CASE WHEN g % 5 = 0 THEN 'run.finished' ELSE 'step.succeeded' END,
             'run-' || (g / 5), 'auto-' || (g % 10), 'robot',
             CASE WHEN g % 5 = 0 THEN jsonb_build_object('status', CASE WHEN g % 7 = 0 THEN 'failed' ELSE 'passed' END, 'durationMs', g % 1000, 'cost', 0.01)
                  ELSE jsonb_build_object('durationMs', g % 300, 'locator', jsonb_build_object('index', g % 2, 'description', 'x', 'fallback', g % 2 = 1)) END,
             'x', 'x'
      FROM generate_series(1, 100000) AS g`);
    await db.query('ANALYZE audit_records');
  });
  after(async () => {
    await drop();
  });

  it('computes the per-automation figures over 100k records (render time is a benchmark figure, not asserted)', async () => {
    await new Metrics({ cacheMs: 0 }).render(db); // warm the connection and plan
    const times: number[] = [];
    let text = '';
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      text = await new Metrics({ cacheMs: 0 }).render(db);
      times.push(performance.now() - started);
    }
    console.log(`# /metrics render over 100k records without cache: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    const s = samples(text);
    assert.equal(s.get('audit_runs_finished{automation="auto-0"}'), 10000);
    assert.equal(s.get('audit_step_healed_rate{automation="auto-1"}'), 1);
    assert.equal(s.get('audit_step_healed_rate{automation="auto-2"}'), 0);
  });
});
