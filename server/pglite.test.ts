// Smoke test of the embedded PGlite backend: same migrations, enroll, ingest, verify, reopen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createPgliteClient } from './db.js';
import { ADMIN, call, FakeDevice, testServer } from './test-support.js';

describe('PGlite backend', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-pglite-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('enrolls, ingests, queries and verifies, and keeps the data across restarts', async () => {
    const device = new FakeDevice();
    {
      const db = await createPgliteClient(dir);
      const app = await testServer(db);
      await device.enroll(app);
      assert.equal((await device.ingest(app, device.run('r1', 'passed'))).body.ackSeq, 4);
      const gap = device.run('r2', 'failed');
      assert.equal((await device.ingest(app, gap.slice(1))).body.expectedSeq, 5);
      assert.equal((await device.ingest(app, gap)).body.ackSeq, 8);
      assert.equal((await device.ingest(app, gap)).body.duplicates, 4);
      const runs = await call(app, 'GET', '/v1/runs?status=failed', ADMIN);
      assert.deepEqual(runs.body.runs.map((r: { runId: string }) => r.runId), ['r2']);
      await app.close();
      await db.close();
    }
    const db = await createPgliteClient(dir);
    const app = await testServer(db);
    try {
      assert.deepEqual((await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN)).body, { deviceId: device.deviceId, ok: true, checked: 8, signedBatches: 2, receipts: 2, anchorSeq: 0 });
      await db.query(`UPDATE audit_records SET payload = '{}' WHERE seq = 2`);
      assert.equal((await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN)).body.firstBroken.seq, 2);
      const exported = await app.inject({ method: 'GET', url: '/v1/export?format=ndjson', headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(exported.body.trim().split('\n').length, 8);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
