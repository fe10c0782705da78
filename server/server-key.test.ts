// The server's signing key: created once (mode 0600) and reused; a damaged file is refused with
// what to do; and a database from before the server kept a log is sealed into it when the key is
// created, after which verify holds it to that state.
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { GENESIS_HASH } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { sealExistingHistory } from './seal-history.js';
import { loadOrCreateServerKey } from './server-key.js';
import { LogHead } from './log-head.js';
import { ADMIN, call, FakeDevice, freshPostgres, TEST_SERVER_KEY, testServer } from './test-support.js';

describe('server key file', () => {
  it('is created once with mode 0600, then reused; a damaged one is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'server-key-'));
    const file = join(dir, 'nested', 'server-key.pem');
    const first = loadOrCreateServerKey(file);
    assert.equal(first.created, true);
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = loadOrCreateServerKey(file);
    assert.equal(again.created, false);
    assert.equal(again.key.publicKeyPem, first.key.publicKeyPem);
    writeFileSync(file, 'not a key');
    assert.throws(() => loadOrCreateServerKey(file), /cannot use the audit server key .*restore it from the backup/);
  });
});

describe('log head file', () => {
  it('remembers the newest committed entry across restarts, never going back', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'log-head-')), 'server-log-head.json');
    const head = new LogHead(file);
    assert.equal(head.remembered(), undefined);
    head.note({ n: 5, hash: 'a'.repeat(64), deviceId: 'd1' });
    head.note({ n: 3, hash: 'b'.repeat(64), deviceId: 'd2' });
    head.flush();
    assert.deepEqual(new LogHead(file).remembered(), { n: 5, hash: 'a'.repeat(64), deviceId: 'd1' });
    writeFileSync(file, '{broken');
    assert.equal(new LogHead(file).remembered(), undefined, 'an unreadable file remembers nothing (it is rewritten)');
  });
});

describe('sealing a database that predates the server log (PostgreSQL)', { timeout: 60_000 }, () => {
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  it('seals keys and batches once; verify is then ok, and holds the database to it', async () => {
    const device = await new FakeDevice().enroll(app);
    assert.equal((await device.ingest(app, device.run('r1', 'passed'))).status, 200);
    assert.equal((await device.ingest(app, device.run('r2', 'failed'))).status, 200);
    // As an older server left it: no log at all.
    await db.query('DELETE FROM server_log');
    await db.query('UPDATE server_log_head SET n = 0, hash = $1', [GENESIS_HASH]);
    // The upgraded server: a new process that remembers no log entry yet (log-head.ts).
    const upgraded = await testServer(db);
    after(() => upgraded.close());
    const verify = async () => (await call(upgraded, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN)).body;
    assert.equal((await verify()).ok, false, 'no enrollment, no receipts: not provable');

    assert.deepEqual(await sealExistingHistory(db, TEST_SERVER_KEY), { devices: 1, receipts: 2, anchors: 0 });
    assert.deepEqual(await sealExistingHistory(db, TEST_SERVER_KEY), { devices: 0, receipts: 0, anchors: 0 }, 'sealing twice adds nothing');
    const sealed = await verify();
    assert.equal(sealed.ok, true, JSON.stringify(sealed));
    assert.equal(sealed['receipts'], 2);

    await db.query(`UPDATE audit_records SET hash = $2 WHERE device_id = $1 AND seq = 6`, [device.deviceId, 'a'.repeat(64)]);
    assert.equal((await verify()).firstBroken.seq, 6);
  });
});
