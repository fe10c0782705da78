// A bot's runs reach the audit server: enrollment, upload, an outage during several runs
// (the outbox grows, nothing is lost), the backlog draining with no duplicates, and a
// record edited in the server's database being found by chain verification.
// The command lines run in one CLI worker process (test/helpers/cli-worker.ts: start-up paid once);
// the real executable for the upload that fails during the outage (exit code and message).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { ADMIN, freshPostgres, testServer } from '../../server/test-support.js';
import type { SqlClient } from '../../server/db.js';
import { cliEnv, cliWorker, EXAMPLES, runCli, tempDir } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

async function listen(db: SqlClient, port = 0): Promise<{ app: FastifyInstance; url: string; port: number }> {
  const app = await testServer(db);
  const address = await app.listen({ host: '127.0.0.1', port });
  const url = new URL(address);
  return { app, url: address, port: Number(url.port) };
}

async function adminCall(url: string, method: string, route: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('audit sync against a real PostgreSQL-backed audit server', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  before(async () => {
    database = await freshPostgres();
  });
  after(async () => {
    await database.drop();
  });

  it('uploads every run event, survives an outage without loss or duplicates, and detects tampering', async () => {
    const home = tempDir('sync');
    const env = cliEnv(home);
    const item = path.join(EXAMPLES, 'review-claim-item.json');
    const runBot = async (n: number): Promise<void> => {
      const result = await rpa(['run', item, '--input', `claimNumber=CLM-2004-00010${n}`, '--input', 'amount=100'], env);
      assert.equal(result.code, 0, result.stderr);
    };
    await runBot(1); // before enrollment: waits in the outbox

    let server = await listen(database.db);
    const token = await adminCall(server.url, 'POST', '/v1/enrollment-tokens', {});
    assert.equal(token.status, 201, JSON.stringify(token.body));
    const enrolled = await rpa(['enroll', server.url, String(token.body['enrollmentToken'])], env);
    assert.equal(enrolled.code, 0, enrolled.stderr);
    const reuse = await rpa(['enroll', server.url, String(token.body['enrollmentToken']), '--force'], cliEnv(tempDir('other')));
    assert.notEqual(reuse.code, 0, 'an enrollment token works once');

    await runBot(2);
    const first = await rpa(['sync', 'now'], env);
    assert.equal(first.code, 0, first.stderr);
    const status1 = JSON.parse((await rpa(['sync', 'status', '--json'], env)).stdout) as { records: number; pending: number; deviceId: string };
    assert.equal(status1.pending, 0);
    assert.ok(status1.records > 10);

    // Outage: the server goes away for three runs.
    await server.app.close();
    for (const n of [3, 4, 5]) await runBot(n);
    const failed = await runCli(['sync', 'now'], env);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /unreachable/);
    const status2 = JSON.parse((await rpa(['sync', 'status', '--json'], env)).stdout) as { records: number; pending: number; lastError: string | null };
    assert.ok(status2.pending > 0 && status2.records > status1.records);
    assert.match(status2.lastError ?? '', /unreachable/, 'sync status tells why the records are still pending');
    assert.match((await rpa(['sync', 'status'], env)).stdout, /last error: audit server .* unreachable/);

    server = await listen(database.db, server.port);
    const drained = await rpa(['sync', 'now'], env);
    assert.equal(drained.code, 0, drained.stderr);
    const again = await rpa(['sync', 'now'], env);
    assert.match(again.stdout, /uploaded 0 record/);
    const status3 = JSON.parse((await rpa(['sync', 'status', '--json'], env)).stdout) as { pending: number; lastError: string | null };
    assert.deepEqual([status3.pending, status3.lastError], [0, null], 'a successful sync clears the error');

    const client = new pg.Client({ connectionString: process.env['AUDIT_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test' });
    await client.connect();
    try {
      const counts = await client.query(`SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d, max(seq)::int AS m FROM ${database.schema}.audit_records WHERE device_id = $1`, [status1.deviceId]);
      assert.deepEqual(counts.rows[0], { n: status2.records, d: status2.records, m: status2.records }, 'every record once, none missing');
      const runs = await client.query(`SELECT count(DISTINCT run_id)::int AS runs FROM ${database.schema}.audit_records WHERE device_id = $1`, [status1.deviceId]);
      assert.equal((runs.rows[0] as { runs: number }).runs, 5);

      const verified = await adminCall(server.url, 'GET', `/v1/devices/${status1.deviceId}/verify`);
      assert.equal(verified.body['ok'], true, JSON.stringify(verified.body));

      // Someone edits a record in the database directly.
      await client.query(`UPDATE ${database.schema}.audit_records SET payload = jsonb_set(payload, '{message}', '"edited"') WHERE device_id = $1 AND seq = 7`, [status1.deviceId]);
      const tampered = await adminCall(server.url, 'GET', `/v1/devices/${status1.deviceId}/verify`);
      assert.equal(tampered.body['ok'], false);
      assert.equal((tampered.body['firstBroken'] as { seq: number }).seq, 7);
    } finally {
      await client.end();
      await server.app.close();
    }
  });
});
