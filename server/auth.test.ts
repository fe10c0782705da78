// Enrollment and roles against real PostgreSQL: who may call what, and tokens kept as hashes only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { generateDeviceKeys } from '../audit/index.js';
import { hashToken } from './auth.js';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

describe('enrollment and roles (PostgreSQL)', () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let auditor: string;

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
    const created = await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor', label: 'tests' });
    assert.equal(created.status, 201, created.text);
    auditor = created.body.token;
  });
  after(async () => {
    await app.close();
    await drop();
  });

  it('enrolls a device with a one-time token and stores only hashes', async () => {
    const enrollment = await call(app, 'POST', '/v1/enrollment-tokens', ADMIN, { ttlMinutes: 5 });
    assert.equal(enrollment.status, 201);
    const keys = generateDeviceKeys();
    const registered = await call(app, 'POST', '/v1/devices', undefined, { enrollmentToken: enrollment.body.enrollmentToken, name: 'PC-1', publicKey: keys.publicKeyPem });
    assert.equal(registered.status, 201, registered.text);
    assert.match(registered.body.deviceId, /^dev_/);
    const reused = await call(app, 'POST', '/v1/devices', undefined, { enrollmentToken: enrollment.body.enrollmentToken, name: 'PC-2', publicKey: keys.publicKeyPem });
    assert.equal(reused.status, 401);
    const dump = JSON.stringify((await db.query('SELECT * FROM devices')).rows) + JSON.stringify((await db.query('SELECT * FROM tokens')).rows) + JSON.stringify((await db.query('SELECT * FROM enrollment_tokens')).rows);
    for (const secret of [registered.body.deviceToken, enrollment.body.enrollmentToken, ADMIN, auditor]) {
      assert.ok(!dump.includes(secret), 'a token is stored in clear');
    }
    assert.ok(dump.includes(hashToken(registered.body.deviceToken)));
  });

  it('refuses expired, unknown and malformed enrollments', async () => {
    const enrollment = await call(app, 'POST', '/v1/enrollment-tokens', ADMIN, {});
    await db.query(`UPDATE enrollment_tokens SET expires_at = now() - interval '1 minute' WHERE hash = $1`, [hashToken(enrollment.body.enrollmentToken)]);
    const keys = generateDeviceKeys();
    assert.equal((await call(app, 'POST', '/v1/devices', undefined, { enrollmentToken: enrollment.body.enrollmentToken, name: 'x', publicKey: keys.publicKeyPem })).status, 401);
    assert.equal((await call(app, 'POST', '/v1/devices', undefined, { enrollmentToken: 'enr_nope', name: 'x', publicKey: keys.publicKeyPem })).status, 401);
    const fresh = await call(app, 'POST', '/v1/enrollment-tokens', ADMIN, {});
    const badKey = await call(app, 'POST', '/v1/devices', undefined, { enrollmentToken: fresh.body.enrollmentToken, name: 'x', publicKey: 'not a key' });
    assert.equal(badKey.status, 400);
    assert.match(badKey.body.message, /Ed25519/);
    const noName = await call(app, 'POST', '/v1/devices', undefined, { enrollmentToken: fresh.body.enrollmentToken, publicKey: keys.publicKeyPem });
    assert.equal(noName.status, 400);
    assert.match(noName.body.message, /name/);
    assert.equal((await call(app, 'POST', '/v1/enrollment-tokens', ADMIN, { ttlMinutes: -1 })).status, 400);
  });

  it('refuses to enroll a device id twice', async () => {
    const device = await new FakeDevice().enroll(app);
    const again = new FakeDevice();
    Object.assign(again, { deviceId: device.deviceId });
    await assert.rejects(again.enroll(app), /409/);
  });

  it('lets an auditor read but not enroll, mint tokens or ingest', async () => {
    assert.equal((await call(app, 'POST', '/v1/enrollment-tokens', auditor, {})).status, 403);
    assert.equal((await call(app, 'POST', '/v1/tokens', auditor, { role: 'admin' })).status, 403);
    const device = new FakeDevice();
    assert.equal((await call(app, 'POST', '/v1/ingest', auditor, device.sign(device.run('r', 'passed')))).status, 403);
    assert.equal((await call(app, 'GET', '/v1/runs', auditor)).status, 200);
    assert.equal((await call(app, 'GET', '/v1/devices', auditor)).status, 200);
  });

  it('lets a device append and read its own ack only', async () => {
    const a = await new FakeDevice().enroll(app);
    const b = await new FakeDevice().enroll(app);
    assert.equal((await call(app, 'GET', `/v1/devices/${a.deviceId}/ack`, a.token)).status, 200);
    assert.equal((await call(app, 'GET', `/v1/devices/${b.deviceId}/ack`, a.token)).status, 403);
    assert.equal((await call(app, 'GET', `/v1/devices/${a.deviceId}/ack`, ADMIN)).status, 403);
    for (const url of ['/v1/runs', '/v1/devices', `/v1/devices/${a.deviceId}/verify`, '/v1/export', '/v1/runs/x/records']) {
      assert.equal((await call(app, 'GET', url, a.token)).status, 403, url);
    }
    assert.equal((await call(app, 'POST', '/v1/enrollment-tokens', a.token, {})).status, 403);
  });

  it('answers 401 without a token or with an unknown one', async () => {
    for (const url of ['/v1/runs', '/v1/devices', '/v1/export']) {
      assert.equal((await call(app, 'GET', url)).status, 401, url);
      assert.equal((await call(app, 'GET', url, 'adm_wrong')).status, 401, url);
    }
    assert.equal((await call(app, 'POST', '/v1/enrollment-tokens', undefined, {})).status, 401);
  });

  it('validates query strings with a 400', async () => {
    const bad = await call(app, 'GET', '/v1/runs?limit=9999', auditor);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /limit/);
    assert.equal((await call(app, 'GET', '/v1/runs?bogus=1', auditor)).status, 400);
    assert.equal((await call(app, 'GET', '/v1/runs?from=yesterday', auditor)).status, 400);
    assert.equal((await call(app, 'GET', '/v1/runs?cursor=garbage', auditor)).status, 400);
    assert.equal((await call(app, 'GET', '/v1/export?format=xml', auditor)).status, 400);
  });

  it('serves /health to anyone and /metrics to loopback or the admin token', async () => {
    assert.deepEqual((await call(app, 'GET', '/health')).body, { ok: true });
    const metrics = await call(app, 'GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /# TYPE audit_ingest_batches_total counter/);
    assert.match(metrics.text, /audit_devices \d+/);
    assert.equal((await call(app, 'GET', '/metrics', auditor)).status, 403);
    const remote = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    assert.equal(remote.statusCode, 401);
    const remoteAdmin = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(remoteAdmin.statusCode, 200);
  });

  it('rate-limits per token', async () => {
    const limited = await testServer(db, { rateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(limited, 'GET', '/v1/devices', auditor)).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      assert.equal((await call(limited, 'GET', '/v1/devices', ADMIN)).status, 200, 'another token has its own budget');
    } finally {
      await limited.close();
    }
  });

  it('replaces a previously configured admin token', async () => {
    const rotated = await testServer(db, { adminToken: 'adm_rotated_token_0123456789' });
    try {
      assert.equal((await call(rotated, 'GET', '/v1/devices', 'adm_rotated_token_0123456789')).status, 200);
      assert.equal((await call(rotated, 'GET', '/v1/devices', ADMIN)).status, 401);
    } finally {
      await rotated.close();
    }
    await testServer(db).then((restored) => restored.close()); // puts ADMIN back for the other tests
  });
});
