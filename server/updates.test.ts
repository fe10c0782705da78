// The update feed route against real PostgreSQL and a real folder: only authenticated callers,
// only plain file names from AUDIT_UPDATES_DIR, the exact bytes, and 404 without a feed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

const LATEST_YML = 'version: 1.2.0\nfiles:\n  - url: RPA-Studio-1.2.0-win-x64.exe\n    sha512: abc\n    size: 4096\npath: RPA-Studio-1.2.0-win-x64.exe\nsha512: abc\nreleaseDate: 2025-01-01T00:00:00.000Z\n';

describe('update feed (GET /updates/:file)', () => {
  let db: SqlClient;
  let drop: () => Promise<void>;
  let app: FastifyInstance;
  let unconfigured: FastifyInstance;
  let dir: string;
  let device: FakeDevice;
  let auditor: string;
  const installer = randomBytes(70_000);

  before(async () => {
    ({ db, drop } = await freshPostgres());
    const base = mkdtempSync(path.join(os.tmpdir(), 'rpa-updates-'));
    dir = path.join(base, 'feed');
    mkdirSync(dir);
    mkdirSync(path.join(dir, 'subfolder'));
    writeFileSync(path.join(dir, 'latest.yml'), LATEST_YML);
    writeFileSync(path.join(dir, 'RPA-Studio-1.2.0-win-x64.exe'), installer);
    // A file beside the feed folder that traversal would reach.
    writeFileSync(path.join(base, 'secret.txt'), 'not for devices');
    app = await testServer(db, { updatesDir: dir });
    unconfigured = await testServer(db);
    device = await new FakeDevice().enroll(app);
    auditor = (await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor' })).body.token;
  });
  after(async () => {
    await app.close();
    await unconfigured.close();
    await drop();
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('answers 401 without a token or with an unknown one', async () => {
    const anonymous = await call(app, 'GET', '/updates/latest.yml');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error, 'unauthorized');
    assert.doesNotMatch(anonymous.text, /version: 1\.2\.0/);
    assert.equal((await call(app, 'GET', '/updates/latest.yml', 'dev_not-a-real-token')).status, 401);
    assert.equal((await call(unconfigured, 'GET', '/updates/latest.yml')).status, 401);
  });

  it('serves latest.yml byte for byte as text/yaml to a device token', async () => {
    const reply = await call(app, 'GET', '/updates/latest.yml', device.token);
    assert.equal(reply.status, 200);
    assert.equal(reply.text, LATEST_YML);
    assert.match(String(reply.headers['content-type']), /^text\/yaml/);
  });

  it('serves installers as octet-stream, identical bytes, to devices, admins and auditors', async () => {
    for (const token of [device.token, ADMIN, auditor]) {
      const response = await app.inject({ method: 'GET', url: '/updates/RPA-Studio-1.2.0-win-x64.exe', headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/octet-stream');
      assert.ok(response.rawPayload.equals(installer), 'the installer bytes');
    }
  });

  it('answers 400 to anything but a plain file name', async () => {
    for (const name of ['..%2Fsecret.txt', '..%2F..%2Fetc%2Fpasswd', '...', 'a%5Cb.yml', 'latest%20copy.yml', '%2Fetc%2Fpasswd']) {
      const reply = await call(app, 'GET', `/updates/${name}`, device.token);
      assert.equal(reply.status, 400, `${name}: ${reply.text}`);
      assert.equal(reply.body.error, 'invalid_file_name');
      assert.doesNotMatch(reply.text, /not for devices/);
    }
  });

  it('answers 404 for an unknown file, a folder, and when no feed is configured', async () => {
    const missing = await call(app, 'GET', '/updates/latest-mac.yml', device.token);
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /no update file latest-mac\.yml/);
    assert.equal((await call(app, 'GET', '/updates/subfolder', device.token)).status, 404);
    const off = await call(unconfigured, 'GET', '/updates/latest.yml', device.token);
    assert.equal(off.status, 404);
    assert.match(off.body.message, /no update feed configured/);
  });
});
