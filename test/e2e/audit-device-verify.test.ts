// The device's side of the audit trail, through the real CLI against a real PostgreSQL-backed
// audit server: it keeps the server's signed receipts, rpa sync verify proves the server still
// holds what it acknowledged (and names the record when it does not), a server that lost
// acknowledged records is caught when the device syncs again, and a revoked device is refused
// with the reason shown by rpa sync status.
// The command lines run in one CLI worker process (test/helpers/cli-worker.ts: start-up paid once);
// the real executable for the refused sync of a revoked device.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ServerKey } from '../../server/server-key.js';
import { ADMIN, freshPostgres, testServer } from '../../server/test-support.js';
import { cliEnv, cliWorker, EXAMPLES, runCli, tempDir } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

interface VerifyOutput {
  ok: boolean;
  receipts: number;
  compared: number;
  receiptedSeq: number;
  serverAckSeq: number;
  problems: Array<{ seq: number; reason: string }>;
  incidents: Array<{ seq: number | null; message: string }>;
}
interface StatusOutput {
  records: number;
  uploaded: number;
  receipted: number;
  deviceId: string;
  lastError: string | null;
  incidents: Array<{ seq: number | null; message: string }>;
}

describe('rpa sync verify: the device proves what the audit server holds', { timeout: 240_000 }, () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    database = await freshPostgres();
    app = await testServer(database.db);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app?.close();
    await database?.drop();
  });

  const admin = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${url}${route}`, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('keeps receipts, verifies, catches a changed record and lost records, and shows a revocation', async () => {
    const home = tempDir('device-verify');
    const env = cliEnv(home);
    const item = path.join(EXAMPLES, 'review-claim-item.json');
    const runBot = async (n: number) => assert.equal((await rpa(['run', item, '--input', `claimNumber=CLM-2004-00020${n}`, '--input', 'amount=100'], env)).code, 0);
    const status = async () => JSON.parse((await rpa(['sync', 'status', '--json'], env)).stdout) as StatusOutput;
    const verify = async () => {
      const result = await rpa(['sync', 'verify', '--json'], env);
      return { code: result.code, out: JSON.parse(result.stdout || '{}') as VerifyOutput, stderr: result.stderr };
    };

    const token = await admin('POST', '/v1/enrollment-tokens', {});
    assert.equal((await rpa(['enroll', url, String(token.body['enrollmentToken'])], env)).code, 0);
    await runBot(1);
    assert.equal((await rpa(['sync', 'now'], env)).code, 0);
    const firstSync = (await status()).records;
    await runBot(2);
    assert.equal((await rpa(['sync', 'now'], env)).code, 0);

    const synced = await status();
    assert.equal(synced.uploaded, synced.records);
    assert.equal(synced.receipted, synced.records, 'every uploaded record is covered by a signed receipt');
    assert.deepEqual(synced.incidents, []);
    const total = synced.records;

    const intact = await verify();
    assert.equal(intact.code, 0, intact.stderr);
    assert.equal(intact.out.ok, true);
    assert.equal(intact.out.receipts, 2);
    assert.equal(intact.out.compared, total);
    assert.match((await rpa(['sync', 'verify'], env)).stdout, new RegExp(`^ok: .* holds every record it acknowledged to this device \\(2 signed receipts up to record ${total}; ${total} record hashes compared\\)`));

    // A record rewritten on the server: the device names it.
    const schema = database.schema;
    const original = (await database.db.query<{ hash: string }>(`SELECT hash FROM ${schema}.audit_records WHERE device_id = $1 AND seq = 5`, [synced.deviceId])).rows[0]!.hash;
    await database.db.query(`UPDATE ${schema}.audit_records SET hash = $2 WHERE device_id = $1 AND seq = 5`, [synced.deviceId, 'c'.repeat(64)]);
    const changed = await verify();
    assert.equal(changed.code, 3);
    assert.equal(changed.out.ok, false);
    assert.equal(changed.out.problems[0]!.seq, 5);
    assert.match(changed.out.problems[0]!.reason, /record 5 on the server differs/);
    await database.db.query(`UPDATE ${schema}.audit_records SET hash = $2 WHERE device_id = $1 AND seq = 5`, [synced.deviceId, original]);

    // The server loses its tail — the second upload: records, batch row, run — and rolls back its
    // acknowledgement, as a restore from an older backup of its tables would.
    const keep = firstSync;
    const kept = (await database.db.query<{ hash: string }>(`SELECT hash FROM ${schema}.audit_records WHERE device_id = $1 AND seq = $2`, [synced.deviceId, keep])).rows[0]!.hash;
    await database.db.query(`DELETE FROM ${schema}.audit_records WHERE device_id = $1 AND seq > $2`, [synced.deviceId, keep]);
    await database.db.query(`DELETE FROM ${schema}.audit_batches WHERE device_id = $1 AND last_seq > $2`, [synced.deviceId, keep]);
    await database.db.query(`DELETE FROM ${schema}.runs WHERE device_id = $1 AND first_seq > $2`, [synced.deviceId, keep]);
    await database.db.query(`UPDATE ${schema}.devices SET ack_seq = $2, ack_hash = $3 WHERE id = $1`, [synced.deviceId, keep, kept]);
    const lost = await verify();
    assert.equal(lost.out.ok, false);
    assert.equal(lost.out.serverAckSeq, keep);
    assert.equal(lost.out.problems[0]!.seq, keep + 1);
    assert.match(lost.out.problems[0]!.reason, new RegExp(`acknowledged records up to ${total} .* now says it holds records up to ${keep}`));

    // The next sync uploads them again, and says what happened instead of staying silent.
    assert.equal((await rpa(['sync', 'now'], env)).code, 0);
    const after = await status();
    assert.equal(after.uploaded, total);
    assert.equal(after.incidents.length, 1);
    assert.equal(after.incidents[0]!.seq, keep + 1);
    assert.match(after.incidents[0]!.message, new RegExp(`the audit server lost records ${keep + 1}-${total} it had acknowledged`));
    assert.match((await rpa(['sync', 'status'], env)).stdout, /incident .*lost records/);
    const restored = await verify();
    assert.deepEqual(restored.out.problems, [], 'the server holds everything again');
    assert.equal(restored.out.ok, false, 'but the incident stays on record');
    // The server's own verify holds everything again, and its log shows the loss too.
    const serverSide = await admin('GET', `/v1/devices/${synced.deviceId}/verify`);
    assert.equal(serverSide.body['ok'], true, JSON.stringify(serverSide.body));
    const serverIncidents = serverSide.body['incidents'] as Array<{ seq: number; reason: string }>;
    assert.equal(serverIncidents[0]!.seq, keep + 1);
    assert.match(serverIncidents[0]!.reason, new RegExp(`records ${keep + 1}-${total}, receipted by entry \\d+ .* were placed again .* the server had lost them`));

    // Revoked: refused, and rpa sync status says why.
    const revoked = await admin('POST', `/v1/devices/${synced.deviceId}/revoke`, { reason: 'decommissioned' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    await runBot(3);
    const refused = await runCli(['sync', 'now'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /device_revoked/);
    const final = await status();
    assert.match(final.lastError ?? '', /\(403\): device_revoked: device .* was revoked on .* \(decommissioned\)/);
    assert.match((await rpa(['sync', 'status'], env)).stdout, /last error: .*revoked/);
  });

  it('refuses receipts signed by another key than the one pinned at enrollment, and keeps the incident', async () => {
    const home = tempDir('device-verify-key');
    const env = cliEnv(home);
    const item = path.join(EXAMPLES, 'review-claim-item.json');
    const token = await admin('POST', '/v1/enrollment-tokens', {});
    assert.equal((await rpa(['enroll', url, String(token.body['enrollmentToken'])], env)).code, 0);
    assert.equal((await rpa(['run', item, '--input', 'claimNumber=CLM-2004-000301', '--input', 'amount=100'], env)).code, 0);
    // The server comes back with another signing key (its key file was lost or replaced).
    const port = new URL(url).port;
    await app.close();
    app = await testServer(database.db, { serverKey: ServerKey.generate() });
    url = await app.listen({ host: '127.0.0.1', port: Number(port) });
    const refused = await rpa(['sync', 'now'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /receipt for records 1-\d+ is not signed by the pinned server key/);
    const status = JSON.parse((await rpa(['sync', 'status', '--json'], env)).stdout) as StatusOutput;
    assert.equal(status.receipted, 0);
    assert.match(status.incidents[0]!.message, /not signed by the pinned server key/);
    const verified = await rpa(['sync', 'verify', '--json'], env);
    assert.equal(verified.code, 3);
  });
});
