// A failed run's screenshot from the robot to the auditor, end to end: `rpa run` in real
// Chromium types a secret into a field and fails; `rpa sync now` sends the run's records and,
// when the machine policy allows it (failureScreenshots.upload), the failure screenshot to a
// real audit server process on PostgreSQL. What arrives is the masked picture (the secret field
// painted over), byte for byte the file on the robot, with the SHA-256 sealed in the run's
// artifact record. Policy off: nothing leaves and the record says so. An upload the server
// fails is sent again at the next sync.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { PNG } from 'pngjs';
import { screenshotPath } from '../../audit/index.js';
import { cliEnv, runCli, tempDir, writeAutomation } from '../helpers/env.js';
import { api, enrollRobotWithCli, PG_URL, startFleetServers } from '../helpers/fleet-servers.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}`;
const SECRET = 'ZEBRA-QUARTZ-LIME-9';

// The secret field and a plain one at fixed places, so the picture can be checked pixel by pixel.
const FORM = `<!doctype html><html><body style="margin:0;background:#fff">
<input id="token" style="position:absolute;left:40px;top:40px;width:400px;height:60px;font:32px monospace;border:0;background:#fff;color:#000">
<input id="name" style="position:absolute;left:40px;top:160px;width:400px;height:60px;font:32px monospace;border:0;background:#fff;color:#000">
</body></html>`;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function pixel(png: Buffer, x: number, y: number): [number, number, number] {
  const image = PNG.sync.read(png);
  const i = (y * image.width + x) * 4;
  return [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
}

describe('failure screenshots from the robot to the audit server', { skip, timeout: 300_000 }, () => {
  let fleet: Awaited<ReturnType<typeof startFleetServers>>;
  let url: string;
  let home: string;
  let policyFile: string;
  let auditor: string;
  let deviceId: string;

  const setPolicy = (upload: boolean) => writeFileSync(policyFile, JSON.stringify({ version: 1, failureScreenshots: { upload } }));
  const env = () => cliEnv(home, { RPA_POLICY_FILE: policyFile, RPA_SECRET_TOKEN: SECRET });
  const rpa = (...args: string[]) => runCli(args, env());
  /** The server's database, for what a broken or tampered server does. */
  const sql = async (text: string) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };

  before(async () => {
    fleet = await startFleetServers(1);
    url = fleet.urls[0]!;
    home = tempDir('failure-shots');
    policyFile = path.join(home, 'policy.json');
    setPolicy(true);
    ({ deviceId, auditor } = await enrollRobotWithCli(url, fleet.admin, home, rpa));
  });
  after(async () => fleet?.close());

  it('sends the masked failure screenshot after its records when the policy allows it, keeps it when not, and retries a failed upload', async () => {
    const file = writeAutomation(home, 'form.json', {
      format: 1,
      id: 'shots.form',
      name: 'Form with a secret',
      version: '1.0.0',
      secrets: ['token'],
      steps: [
        { kind: 'browser.open', url: `data:text/html,${encodeURIComponent(FORM)}` },
        { kind: 'browser.fill', target: { candidates: [{ css: '#token' }] }, value: '{{secrets.token}}' },
        { kind: 'browser.fill', target: { candidates: [{ css: '#name' }] }, value: 'FALCON HARBOR' },
        { kind: 'browser.click', timeoutMs: 500, target: { description: 'the Save button', candidates: [{ css: '#save' }] } },
      ],
    });
    // Run 1 while the policy lets failure screenshots go; run 2 after IT turned it off.
    const first = await rpa('run', file, '--json');
    assert.notEqual(first.code, 0, 'the run fails');
    setPolicy(false);
    const second = await rpa('run', file, '--json');
    assert.notEqual(second.code, 0, 'the run fails');
    const runIds = [first, second].map((r) => String((JSON.parse(r.stdout.trim().split('\n').pop()!) as { runId?: string; id?: string }).runId ?? ''));
    assert.ok(runIds.every((id) => id.startsWith('run_') || id.length > 10), `run ids from --json: ${first.stdout.slice(-300)}`);

    // Policy off at sync time: the records go, no picture leaves the machine.
    let synced = await rpa('sync', 'now');
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /failure screenshots: 0 uploaded, 1 waiting/);
    let status = await rpa('sync', 'status');
    assert.match(status.stdout, /failure screenshots: 0 uploaded, 1 waiting \(the machine policy keeps them here: failureScreenshots\.upload is off\)/);
    const artifactOf = async (runId: string) => {
      const records = (await api(url, 'GET', `/v1/runs/${runId}/records`, auditor)).body['records'] as Array<{ seq: number; type: string; payload: Record<string, unknown> }>;
      const artifact = records.find((r) => r.type === 'artifact' && r.payload['artifactKind'] === 'screenshot');
      assert.ok(artifact, `run ${runId} has a screenshot record`);
      return artifact;
    };
    const uploaded = await artifactOf(runIds[0]!);
    const kept = await artifactOf(runIds[1]!);
    assert.equal(uploaded.payload['failureScreenshot'], 'upload');
    assert.equal(kept.payload['failureScreenshot'], 'kept', 'the record says it stays on the robot');
    assert.match(String(uploaded.payload['sha256']), /^[0-9a-f]{64}$/);
    assert.deepEqual((await api(url, 'GET', `/v1/runs/${runIds[0]}/screenshots`, auditor)).body['screenshots'], []);

    // Policy on, but the server fails the upload (its table is away): the picture waits.
    setPolicy(true);
    await sql(`ALTER TABLE "${fleet.schema}".run_screenshots RENAME TO run_screenshots_away`);
    synced = await rpa('sync', 'now');
    await sql(`ALTER TABLE "${fleet.schema}".run_screenshots_away RENAME TO run_screenshots`);
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /failure screenshots: 0 uploaded, 1 waiting; screenshot of record \d+ not sent: audit server answered 500/);

    // The next sync sends it.
    synced = await rpa('sync', 'now');
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /failure screenshots: 1 uploaded, 0 waiting/);
    status = await rpa('sync', 'status');
    assert.match(status.stdout, /failure screenshots: 1 uploaded\b/);
    assert.doesNotMatch(status.stdout, /waiting/);

    const listed = (await api(url, 'GET', `/v1/runs/${runIds[0]}/screenshots`, auditor)).body['screenshots'] as Array<{ seq: number; intact: boolean; sha256: string }>;
    assert.deepEqual(listed.map((s) => [s.seq, s.intact, s.sha256]), [[uploaded.seq, true, uploaded.payload['sha256']]]);
    assert.deepEqual((await api(url, 'GET', `/v1/runs/${runIds[1]}/screenshots`, auditor)).body['screenshots'], [], 'the kept one never left');
    const response = await fetch(`${url}${screenshotPath(deviceId, uploaded.seq)}`, { headers: { authorization: `Bearer ${auditor}` } });
    assert.equal(response.status, 200);
    const onServer = Buffer.from(await response.arrayBuffer());
    const local = readFileSync(String(uploaded.payload['file']));
    assert.ok(onServer.equals(local), 'the server has the bytes of the file on the robot');
    assert.equal(sha256(onServer), uploaded.payload['sha256'], 'and they are the ones the sealed record names');
    // The secret field is painted over (Playwright's mask, magenta), the plain one is not.
    assert.deepEqual(pixel(onServer, 240, 70), [255, 0, 255], 'the secret field is masked in the uploaded picture');
    assert.notDeepEqual(pixel(onServer, 240, 190), [255, 0, 255], 'the plain field is not masked');
    assert.equal((await fetch(`${url}${screenshotPath(deviceId, uploaded.seq)}`)).status, 401, 'an anonymous reader is refused');
  });
});
