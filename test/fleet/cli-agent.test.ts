// A central queue from the robot's side: `rpa queue … --server`, an automation's queue.add with
// server, and `rpa agent` working a queue that agent.json puts on the server — the same bot file
// as for a local queue.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RemoteWorkQueue } from '../../engine/queue/index.js';
import { cliEnv, jsonLines, RPA_JS, runCli, tempDir } from '../helpers/env.js';
import { api, createQueue, grant, startFleetServers } from '../helpers/fleet-servers.js';
import { until } from '../helpers/until.js';

describe('central queues from the robot: rpa queue --server, queue.add with server, rpa agent', { timeout: 300_000 }, () => {
  let fleet: Awaited<ReturnType<typeof startFleetServers>>;
  let url: string;
  let home: string;
  let deviceId: string;

  before(async () => {
    fleet = await startFleetServers(1);
    url = fleet.urls[0]!;
    home = tempDir('fleet-robot');
    const enrollment = await api(url, 'POST', '/v1/enrollment-tokens', fleet.admin, {});
    const enrolled = await runCli(['enroll', url, String(enrollment.body['enrollmentToken'])], cliEnv(home));
    assert.equal(enrolled.code, 0, enrolled.stderr);
    deviceId = (JSON.parse(readFileSync(path.join(home, 'sync.json'), 'utf8')) as { deviceId: string }).deviceId;
    await createQueue(url, fleet.admin, 'tickets', { backoffBaseMs: 0 });
    await grant(url, fleet.admin, 'tickets', deviceId);
  });
  after(async () => fleet?.close());

  it('rpa queue add/list/show --server: the central queue, once per key; a machine not enrolled there is told so', async () => {
    const rpa = (...args: string[]) => runCli(['queue', ...args], cliEnv(home));
    const added = await rpa('add', 'tickets', '--server', url, '--data', '{"ticket":"T-1"}', '--key', 'T-1');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^added item \d+ to tickets$/m);
    const again = await rpa('add', 'tickets', '--server', url, '--data', '{"ticket":"other"}', '--key', 'T-1');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /with key T-1 is already in tickets \(new\): not added again/);
    const listed = await rpa('list', 'tickets', `--server=${url}`, '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const items = jsonLines(listed.stdout);
    assert.deepEqual(items.map((i) => i['payload']), [{ ticket: 'T-1' }]);
    const overview = await rpa('list', '--server', url);
    assert.match(overview.stdout, /queues on http:.*\n {2}tickets\s+1 new/);
    const shown = await rpa('show', String(items[0]!['id']), '--server', url);
    assert.match(shown.stdout, /→ new\s+attempt 0\s+\(device:/);
    // The local queue is untouched.
    assert.match((await rpa('list', 'tickets')).stdout, /no items in queue tickets/);

    const stranger = tempDir('fleet-stranger');
    const refused = await runCli(['queue', 'list', '--server', url], cliEnv(stranger));
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /not enrolled with http:\/\/127\.0\.0\.1:\d+: a central queue needs the device token/);
    const auditor = String((await api(url, 'POST', '/v1/tokens', fleet.admin, { role: 'auditor' })).body['token']);
    const asAuditor = await runCli(['queue', 'list', 'tickets', '--server', url], cliEnv(stranger, { RPA_SERVER_TOKEN: auditor }));
    assert.equal(asAuditor.code, 0, asAuditor.stderr);
    const adding = await runCli(['queue', 'add', 'tickets', '--server', url], cliEnv(stranger, { RPA_SERVER_TOKEN: auditor }));
    assert.notEqual(adding.code, 0);
    assert.match(adding.stderr, /403/);
  });

  it('an automation adds to the central queue (queue.add with server) and rpa agent works it from agent.json', async () => {
    const dir = tempDir('fleet-bots');
    const enqueue = path.join(dir, 'enqueue.json');
    writeFileSync(
      enqueue,
      JSON.stringify({
        format: 1,
        id: 'test.enqueue-central',
        name: 'enqueue',
        version: '1.0.0',
        steps: [
          { kind: 'queue.add', queue: 'tickets', server: url, data: { ticket: 'T-2' }, idempotencyKey: 'T-2' },
          { kind: 'queue.add', queue: 'tickets', server: url, data: { ticket: 'T-3' }, idempotencyKey: 'T-3' },
        ],
      }),
    );
    const ran = await runCli(['run', enqueue, '--json'], cliEnv(home));
    assert.equal(ran.code, 0, ran.stderr + ran.stdout);
    const worker = path.join(dir, 'work-ticket.json');
    writeFileSync(
      worker,
      JSON.stringify({
        format: 1,
        id: 'test.work-ticket',
        name: 'work one ticket',
        version: '1.0.0',
        inputs: [{ name: 'ticket', type: 'string', required: true }],
        outputs: ['handled'],
        steps: [{ kind: 'flow.set', var: 'handled', value: 'handled {{inputs.ticket}}' }],
      }),
    );
    writeFileSync(path.join(home, 'agent.json'), JSON.stringify({ queues: [{ queue: 'tickets', server: url, automation: worker, pollMs: 100, leaseMs: 5000 }], shutdownGraceMs: 10_000 }));
    const agent = spawn(process.execPath, [RPA_JS, 'agent'], { env: cliEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    agent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    agent.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const admin = new RemoteWorkQueue({ serverUrl: url, token: fleet.admin });
    try {
      await until(`3 tickets done (agent said: ${output.slice(-2000)})`, async () => (await admin.stats('tickets')).done === 3, 120_000);
    } finally {
      agent.kill('SIGTERM');
      await new Promise((resolve) => (agent.exitCode !== null ? resolve(undefined) : agent.once('exit', resolve)));
    }
    const done = await admin.list({ queue: 'tickets', state: 'done' });
    assert.deepEqual(done.map((i) => (i.output as { outputs: { handled: string } }).outputs.handled).sort(), ['handled T-1', 'handled T-2', 'handled T-3']);
    const history = await admin.history(done[0]!.id);
    assert.ok(history.some((h) => h.to === 'in_progress' && h.actor === `device:${deviceId}`), 'the lease is recorded against the robot');
  });
});
