// Failure screenshots on the audit server, on real PostgreSQL: a device sends the PNG of its own
// artifact record, checked against the SHA-256 sealed in that record; auditors read it back,
// re-checked; a picture changed in the database afterwards is reported, not shown. Every route
// refuses an anonymous caller, another device and the wrong role.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { PNG } from 'pngjs';
import { MAX_SCREENSHOT_BYTES, screenshotPath } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

/** A real PNG of w×h pixels of one colour. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) image.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(image);
}
/** The JSON answer of an inject() call. */
const bodyOf = (reply: { body: string }): { error: string; message: string; stored?: boolean } => {
  const parsed: unknown = JSON.parse(reply.body);
  return parsed as { error: string; message: string; stored?: boolean };
};
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('failure screenshots on the audit server (PostgreSQL)', { timeout: 120_000 }, () => {
  let db: SqlClient;
  let drop: () => Promise<void>;
  let app: FastifyInstance;
  let robot: FakeDevice;
  let other: FakeDevice;
  let auditor: string;
  const image = png(64, 40, [200, 30, 30]);
  let shotSeq = 0;
  let keptSeq = 0;
  let logSeq = 0;
  let unsentSeq = 0;
  type Verdict = { ok: boolean; firstBroken?: { seq: number; kind: string; reason: string; runId?: string }; screenshots?: { sealed: number; stored: number; intact: number; alteredCount: number; missingCount: number; altered: Array<{ seq: number }>; missing: Array<{ seq: number; runId: string }>; removed: Array<{ seq: number; runId: string; receivedAt: string }>; removedCount: number } };
  const verify = async (): Promise<Verdict> => {
    const reply = await call(app, 'GET', `/v1/devices/${robot.deviceId}/verify`, auditor);
    assert.equal(reply.status, 200, reply.text);
    return reply.body as unknown as Verdict;
  };
  const runId = 'run_01SHOTS000000000000000001';

  const put = (device: { deviceId: string }, seq: number, body: Buffer | string, token: string | undefined, type = 'image/png') =>
    app.inject({ method: 'PUT', url: screenshotPath(device.deviceId, seq), headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, payload: body });

  before(async () => {
    ({ db, drop } = await freshPostgres());
    app = await testServer(db, { rateLimit: false });
    robot = await new FakeDevice().enroll(app);
    other = await new FakeDevice().enroll(app);
    auditor = String((await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor' })).body['token']);
    const records = [
      robot.record('run.started', runId, { automation: { id: 'invoice-entry', name: 'Invoice entry', version: '1.2.0', sha256: 'a'.repeat(64) }, inputs: {}, headless: true, pid: 1, totalSteps: 1 }),
      robot.record('step.failed', runId, { path: 'steps[0]', kind: 'click', attempt: 1, durationMs: 5, willRetry: false, error: { name: 'TimeoutError', message: 'no Save button' } }),
      robot.record('artifact', runId, { path: 'steps[0]', artifactKind: 'screenshot', file: '/home/robot/.rpa/artifacts/r/steps_0_-failure.png', bytes: image.length, sha256: sha256(image), failureScreenshot: 'upload' }),
      robot.record('artifact', runId, { path: 'steps[0]', artifactKind: 'screenshot', file: '/home/robot/.rpa/artifacts/r/other.png', bytes: image.length, sha256: sha256(image), failureScreenshot: 'kept' }),
      robot.record('log', runId, { level: 'error', message: 'failed' }),
      // A second failure screenshot the robot may send; it never does in these tests.
      robot.record('artifact', runId, { path: '1', artifactKind: 'screenshot', file: '/home/robot/.rpa/artifacts/r/1-failure.png', bytes: image.length, sha256: sha256(png(8, 8, [1, 2, 3])), failureScreenshot: 'upload' }),
      robot.record('run.finished', runId, { status: 'failed', durationMs: 9, outputs: {}, vars: {} }),
    ];
    shotSeq = records[2]!.seq;
    keptSeq = records[3]!.seq;
    logSeq = records[4]!.seq;
    unsentSeq = records[5]!.seq;
    const ingested = await robot.ingest(app, records);
    assert.equal(ingested.status, 200, ingested.text);
  });

  after(async () => {
    await app?.close();
    await drop?.();
  });

  it('refuses an anonymous caller, another device and user tokens before taking the bytes', async () => {
    assert.equal((await put(robot, shotSeq, image, undefined)).statusCode, 401);
    const stranger = await put(robot, shotSeq, image, other.token);
    assert.equal(stranger.statusCode, 403);
    assert.match(stranger.body, /own records only/);
    assert.equal((await put(robot, shotSeq, image, auditor)).statusCode, 403);
    assert.equal((await put(robot, shotSeq, image, ADMIN)).statusCode, 403);
    assert.equal((await db.query('SELECT 1 FROM run_screenshots')).rows.length, 0, 'nothing stored');
  });

  it('refuses bytes that are not a PNG, not the hashed ones, too large, or for a record that is not an uploadable screenshot', async () => {
    const notPng = await put(robot, shotSeq, Buffer.from('GIF89a this is not a png, just some bytes to be long enough'), robot.token);
    assert.equal(notPng.statusCode, 422);
    assert.match(bodyOf(notPng).message, /not a PNG image: it does not start with the PNG signature/);
    const otherPng = png(64, 40, [0, 0, 0]);
    const mismatch = await put(robot, shotSeq, otherPng, robot.token);
    assert.equal(mismatch.statusCode, 422);
    assert.equal(bodyOf(mismatch).error, 'hash_mismatch');
    assert.match(bodyOf(mismatch).message, new RegExp(`SHA-256 ${sha256(otherPng)}, but the record sealed in the chain names ${sha256(image)}`));
    const wrongType = await put(robot, shotSeq, image, robot.token, 'image/jpeg');
    assert.equal(wrongType.statusCode, 415);
    const tooLarge = await put(robot, shotSeq, Buffer.concat([image, Buffer.alloc(MAX_SCREENSHOT_BYTES)]), robot.token);
    assert.equal(tooLarge.statusCode, 413);
    const kept = await put(robot, keptSeq, image, robot.token);
    assert.equal(kept.statusCode, 403);
    assert.match(bodyOf(kept).message, /does not say the machine policy let this screenshot leave the robot \(failureScreenshot: "kept"\)/);
    const log = await put(robot, logSeq, image, robot.token);
    assert.equal(log.statusCode, 422);
    assert.equal(bodyOf(log).error, 'not_a_screenshot');
    const early = await put(robot, logSeq + 50, image, robot.token);
    assert.equal(early.statusCode, 409);
    assert.equal(bodyOf(early).error, 'record_not_found');
    assert.equal((await db.query('SELECT 1 FROM run_screenshots')).rows.length, 0, 'nothing stored');
  });

  it('takes the screenshot its record names (once), and auditors read it back; others are refused', async () => {
    const first = await put(robot, shotSeq, image, robot.token);
    assert.equal(first.statusCode, 201, first.body);
    const again = await put(robot, shotSeq, image, robot.token);
    assert.equal(again.statusCode, 200, 'sent again: already kept');
    assert.equal(bodyOf(again).stored, false);

    const listed = await call(app, 'GET', `/v1/runs/${runId}/screenshots`, auditor);
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      (listed.body['screenshots'] as Array<Record<string, unknown>>).map(({ receivedAt: _r, ...rest }) => rest),
      [{ deviceId: robot.deviceId, seq: shotSeq, bytes: image.length, sha256: sha256(image), intact: true }],
    );
    const read = await app.inject({ method: 'GET', url: screenshotPath(robot.deviceId, shotSeq), headers: { authorization: `Bearer ${auditor}` } });
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers['content-type'], 'image/png');
    assert.ok(read.rawPayload.equals(image), 'the same bytes');
    assert.equal(read.headers['x-screenshot-sha256'], sha256(image));

    for (const [token, status] of [[undefined, 401], [robot.token, 403], [other.token, 403]] as const) {
      assert.equal((await call(app, 'GET', screenshotPath(robot.deviceId, shotSeq), token)).status, status, `read with ${token ? token.slice(0, 4) : 'no token'}`);
      assert.equal((await call(app, 'GET', `/v1/runs/${runId}/screenshots`, token)).status, status, `list with ${token ? token.slice(0, 4) : 'no token'}`);
    }
    assert.equal((await call(app, 'GET', screenshotPath(robot.deviceId, keptSeq), auditor)).status, 404);
  });

  it('Verify re-hashes the stored screenshot and lists the one not received, without calling the chain broken', async () => {
    const verdict = await verify();
    assert.equal(verdict.ok, true, JSON.stringify(verdict));
    assert.deepEqual(verdict.screenshots, { sealed: 2, stored: 1, intact: 1, altered: [], alteredCount: 0, missing: [{ seq: unsentSeq, runId }], missingCount: 1, removed: [], removedCount: 0 });
    // A device with no screenshot records: its verdict says nothing of screenshots.
    assert.equal((await call(app, 'GET', `/v1/devices/${other.deviceId}/verify`, auditor)).body['screenshots'], undefined);
  });

  it('reports a picture changed in the database after it was received instead of showing it', async () => {
    const altered = png(64, 40, [30, 200, 30]);
    await db.query('UPDATE run_screenshots SET png = $3 WHERE device_id = $1 AND record_seq = $2', [robot.deviceId, shotSeq, altered]);
    const read = await call(app, 'GET', screenshotPath(robot.deviceId, shotSeq), auditor);
    assert.equal(read.status, 409);
    assert.equal(read.body['error'], 'screenshot_altered');
    assert.match(String(read.body['message']), /changed after it was received and is not shown/);
    const listed = await call(app, 'GET', `/v1/runs/${runId}/screenshots`, auditor);
    assert.equal((listed.body['screenshots'] as Array<{ intact: boolean }>)[0]!.intact, false);
    // Changing the stored hash as well does not help: the record's sealed payload is what counts.
    await db.query('UPDATE run_screenshots SET sha256 = $3 WHERE device_id = $1 AND record_seq = $2', [robot.deviceId, shotSeq, sha256(altered)]);
    assert.equal((await call(app, 'GET', screenshotPath(robot.deviceId, shotSeq), auditor)).status, 409);
  });

  it('Verify reports the stored picture changed in the database, by its record, and one deleted as removed after it was received (not as never received)', async () => {
    // The picture is still the altered one of the test before (its stored hash changed too).
    const verdict = await verify();
    assert.equal(verdict.ok, false);
    assert.equal(verdict.firstBroken?.kind, 'screenshot');
    assert.equal(verdict.firstBroken?.seq, shotSeq);
    assert.equal(verdict.firstBroken?.runId, runId);
    assert.match(verdict.firstBroken?.reason ?? '', new RegExp(`stored failure screenshot of record ${shotSeq} .* has SHA-256 ${sha256(png(64, 40, [30, 200, 30]))}, but the record sealed in the chain names ${sha256(image)}: it was changed on the server`));
    assert.equal(verdict.screenshots?.alteredCount, 1);
    assert.deepEqual(verdict.screenshots?.altered.map((a) => a.seq), [shotSeq]);
    // Deleted from the database: the server's receipt of it stays, so it is listed as received and
    // removed since, and the one the robot never sent as not received (before migration 012 both
    // were "not on the server", told apart by nothing).
    const [receipt] = (await db.query<{ received_at: Date }>('SELECT received_at FROM run_screenshots WHERE device_id = $1 AND record_seq = $2', [robot.deviceId, shotSeq])).rows;
    await db.query('DELETE FROM run_screenshots WHERE device_id = $1 AND record_seq = $2', [robot.deviceId, shotSeq]);
    const after = await verify();
    assert.equal(after.ok, true);
    assert.deepEqual(after.screenshots?.missing, [{ seq: unsentSeq, runId }]);
    assert.equal(after.screenshots?.missingCount, 1);
    assert.deepEqual(after.screenshots?.removed, [{ seq: shotSeq, runId, receivedAt: receipt!.received_at.toISOString() }]);
    assert.equal(after.screenshots?.removedCount, 1);
    // The run's list says so too, and reading the picture says it was removed, not that it never came.
    const listed = await call(app, 'GET', `/v1/runs/${runId}/screenshots`, auditor);
    assert.deepEqual(listed.body['screenshots'], []);
    assert.deepEqual(listed.body['removed'], [{ deviceId: robot.deviceId, seq: shotSeq, bytes: image.length, sha256: sha256(image), receivedAt: receipt!.received_at.toISOString() }]);
    const read = await call(app, 'GET', screenshotPath(robot.deviceId, shotSeq), auditor);
    assert.equal(read.status, 404);
    assert.match(String(read.body['message']), new RegExp(`the screenshot of record ${shotSeq} of device ${robot.deviceId} was received ${receipt!.received_at.toISOString()} and later removed from this server`));
    const never = await call(app, 'GET', screenshotPath(robot.deviceId, unsentSeq), auditor);
    assert.match(String(never.body['message']), /it has not been received/);
    // Sent again by the robot (its queue still held it): stored again, no longer listed as removed.
    assert.equal((await put(robot, shotSeq, image, robot.token)).statusCode, 201);
    const again = await verify();
    assert.deepEqual({ stored: again.screenshots?.stored, intact: again.screenshots?.intact, removedCount: again.screenshots?.removedCount, missingCount: again.screenshots?.missingCount }, { stored: 1, intact: 1, removedCount: 0, missingCount: 1 });
  });

  it('refuses a PNG cut short even when its record seals exactly those bytes (the robot’s file was cut off), with a clear 422', async () => {
    const whole = png(200, 120, [10, 120, 240]);
    for (const [keep, expected] of [
      [whole.length - 12, /is not a PNG image: it ends without an IEND chunk: the image is cut short/],
      [Math.floor(whole.length / 2), /is not a PNG image: it is cut short: its IDAT chunk at byte 33 holds \d+ bytes, only \d+ follow/],
    ] as const) {
      const cut = whole.subarray(0, keep);
      const record = robot.record('artifact', runId, { path: '1', artifactKind: 'screenshot', file: '/home/robot/.rpa/artifacts/r/cut.png', bytes: cut.length, sha256: sha256(cut), failureScreenshot: 'upload' });
      assert.equal((await robot.ingest(app, [record])).status, 200);
      const refused = await put(robot, record.seq, cut, robot.token);
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(bodyOf(refused).error, 'not_png');
      assert.match(bodyOf(refused).message, new RegExp(`the screenshot of record ${record.seq} ${expected.source}`));
      assert.equal((await db.query('SELECT 1 FROM run_screenshots WHERE device_id = $1 AND record_seq = $2', [robot.deviceId, record.seq])).rows.length, 0, 'nothing stored');
    }
  });
});
