// Revoking a device against real PostgreSQL: admin only, recorded (who, when, why), its token is
// refused afterwards with a clear message, its key cannot be enrolled again, and what it sent
// before stays verifiable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer, untilIngestWaitsForDeviceRow } from './test-support.js';

describe('POST /v1/devices/:id/revoke (PostgreSQL)', { timeout: 60_000 }, () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let auditor: string;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
    auditor = (await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor', label: 'audit team' })).body.token;
  });
  after(async () => {
    await app.close();
    await drop();
  });

  it('is for admins only', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await call(app, 'POST', `/v1/devices/${device.deviceId}/revoke`)).status, 401);
    assert.equal((await call(app, 'POST', `/v1/devices/${device.deviceId}/revoke`, auditor, {})).status, 403);
    assert.equal((await call(app, 'POST', `/v1/devices/${device.deviceId}/revoke`, device.token, {})).status, 403);
    assert.equal((await call(app, 'POST', '/v1/devices/nobody/revoke', ADMIN, {})).status, 404);
    // A NUL in the id is the request's fault, said by the schema — not a value PostgreSQL refused.
    const nul = await call(app, 'POST', '/v1/devices/a%00b/revoke', ADMIN, {});
    assert.equal(nul.status, 400);
    assert.equal(nul.body.error, 'invalid_request', nul.text);
    assert.equal((await call(app, 'POST', `/v1/devices/${device.deviceId}/revoke`, ADMIN, { reason: 'x', extra: 1 })).status, 400);
    assert.equal((await device.ingest(app, device.run('still-allowed', 'passed'))).status, 200);
  });

  it('records who revoked the device, when and why; refuses its token and key afterwards; keeps its records verifiable', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, device.run('before', 'passed'))).status, 200);

    const revoked = await call(app, 'POST', `/v1/devices/${device.deviceId}/revoke`, ADMIN, { reason: 'laptop stolen' });
    assert.equal(revoked.status, 200, revoked.text);
    assert.match(String(revoked.body['revokedBy']), /^admin "configured" \(token [0-9a-f]{12}\)$/);
    assert.ok(Math.abs(Date.parse(String(revoked.body['revokedAt'])) - Date.now()) < 60_000);
    assert.equal(revoked.body['reason'], 'laptop stolen');
    assert.equal(revoked.body['ackSeq'], 4);

    const again = await call(app, 'POST', `/v1/devices/${device.deviceId}/revoke`, ADMIN, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'already_revoked');

    // Its token: ingest and ack are refused, saying why.
    const refused = await device.ingest(app, device.run('after', 'passed'));
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error, 'device_revoked');
    assert.match(refused.body.message, new RegExp(`device ${device.deviceId} was revoked on .* by admin "configured" .*\\(laptop stolen\\).*Records it sent before stay stored`));
    const ack = await call(app, 'GET', `/v1/devices/${device.deviceId}/ack`, device.token);
    assert.equal(ack.status, 403);
    assert.equal(ack.body.error, 'device_revoked');
    assert.equal((await call(app, 'GET', `/v1/devices/${device.deviceId}/receipts`, device.token)).status, 403);

    // Its key: never enrolled again, under any id.
    const enrollment = (await call(app, 'POST', '/v1/enrollment-tokens', ADMIN, {})).body.enrollmentToken;
    const reenrolled = await call(app, 'POST', '/v1/devices', undefined, { enrollmentToken: enrollment, name: 'again', publicKey: device.keys.publicKeyPem, deviceId: `${device.deviceId}-2` });
    assert.equal(reenrolled.status, 403, reenrolled.text);
    assert.equal(reenrolled.body.error, 'key_revoked');

    // Nothing of the refused batch was stored; what came before is listed and verifiable.
    const stored = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_records WHERE device_id = $1', [device.deviceId]);
    assert.equal(Number(stored.rows[0]!.n), 4);
    const listed = (await call(app, 'GET', '/v1/devices', auditor)).body.devices.find((d) => d.id === device.deviceId) as unknown as Record<string, unknown>;
    assert.equal(listed['revokedReason'], 'laptop stolen');
    assert.equal(listed['revokedAt'], revoked.body['revokedAt']);
    assert.match(String(listed['revokedBy']), /^admin "configured"/);
    const verdict = await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, auditor);
    assert.equal(verdict.body.ok, true, verdict.text);
    assert.equal(verdict.body.checked, 4);
  });

  it('refuses a batch that was on its way when the device was revoked', async () => {
    const device = await new FakeDevice().enroll(app);
    const records = device.run('racing', 'passed');
    // The revocation holds the device row while the batch is checked and placed: the batch waits
    // for it, then finds the device revoked.
    let sending: ReturnType<FakeDevice['ingest']> | undefined;
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE devices SET revoked_at = now(), revoked_by = 'test' WHERE id = $1`, [device.deviceId]);
      sending = device.ingest(app, records);
      // The batch passes authorisation (the revocation is not committed yet) and waits for the row.
      await untilIngestWaitsForDeviceRow(db);
    });
    const answer = await sending!;
    assert.equal(answer.status, 403, answer.text);
    assert.equal(answer.body.error, 'device_revoked');
    const stored = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_records WHERE device_id = $1', [device.deviceId]);
    assert.equal(Number(stored.rows[0]!.n), 0);
  });
});
