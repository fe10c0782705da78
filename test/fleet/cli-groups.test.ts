// `rpa queue group|grant|revoke --server`: an admin manages the control server's device groups
// and queue grants from the command line, and a device in a granted group then works the queue.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RemoteWorkQueue } from '../../engine/queue/index.js';
import { cliEnv, jsonLines, runCli, tempDir } from '../helpers/env.js';
import { api, createQueue, enrollDevice, startFleetServers } from '../helpers/fleet-servers.js';

describe('rpa queue group, grant, revoke (control server)', { timeout: 240_000 }, () => {
  let fleet: Awaited<ReturnType<typeof startFleetServers>>;
  let url: string;
  let home: string;
  let robot: { deviceId: string; token: string };
  let other: { deviceId: string; token: string };
  const admin = (...args: string[]) => runCli(['queue', ...args], cliEnv(home, { RPA_SERVER_TOKEN: fleet.admin }));

  before(async () => {
    fleet = await startFleetServers(1);
    url = fleet.urls[0]!;
    home = tempDir('fleet-groups');
    await createQueue(url, fleet.admin, 'invoices', { backoffBaseMs: 0 });
    robot = await enrollDevice(url, fleet.admin, 'invoice robot 1');
    other = await enrollDevice(url, fleet.admin, 'invoice robot 2');
  });
  after(async () => fleet?.close());

  it('creates a group, adds devices, grants it a queue: its devices work the queue; revoke and remove take it back', async () => {
    const created = await admin('group', 'create', 'invoice-robots', '--server', url);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^created device group invoice-robots on http:/m);
    const added = await admin('group', 'add', 'invoice-robots', robot.deviceId, other.deviceId, '--server', url);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`in it now: .*${robot.deviceId}`));
    const granted = await admin('grant', 'invoices', '--group', 'invoice-robots', '--server', url);
    assert.equal(granted.code, 0, granted.stderr);
    assert.match(granted.stdout, /granted queue invoices to device group invoice-robots/);

    const listed = await admin('group', 'list', '--server', url, '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(jsonLines(listed.stdout), [{ name: 'invoice-robots', devices: [robot.deviceId, other.deviceId].sort(), queues: ['invoices'] }]);
    assert.match((await admin('group', 'list', '--server', url)).stdout, /invoice-robots\n {2}devices {2}.*\n {2}queues {3}invoices/);

    // The device works the queue through its group.
    const asRobot = new RemoteWorkQueue({ serverUrl: url, token: robot.token });
    await asRobot.add('invoices', { invoice: 'A-1' });
    const leased = await asRobot.leaseMany('invoices', 'w', 60_000, 1);
    assert.equal(leased.length, 1);
    await asRobot.complete(leased[0]!.id, leased[0]!.leaseToken);

    // Out of the group: refused. The other device, still in it, is not.
    const removed = await admin('group', 'remove', 'invoice-robots', robot.deviceId, '--server', url);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, new RegExp(`removed ${robot.deviceId} from device group invoice-robots; in it now: ${other.deviceId}`));
    await assert.rejects(asRobot.leaseMany('invoices', 'w', 60_000, 1), /403/);
    const asOther = new RemoteWorkQueue({ serverUrl: url, token: other.token });
    await asOther.add('invoices', { invoice: 'A-2' });

    // A grant of the device itself, then the group's grant revoked: the group's device is refused.
    assert.equal((await admin('grant', 'invoices', '--device', robot.deviceId, '--server', url)).code, 0);
    assert.equal((await asRobot.leaseMany('invoices', 'w', 60_000, 1)).length, 1);
    const revoked = await admin('revoke', 'invoices', '--group', 'invoice-robots', '--server', url);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /revoked queue invoices from device group invoice-robots/);
    await assert.rejects(asOther.leaseMany('invoices', 'w', 60_000, 1), /403/);
    assert.equal((await admin('revoke', 'invoices', '--device', robot.deviceId, '--server', url)).code, 0);
    await assert.rejects(asRobot.leaseMany('invoices', 'w', 60_000, 1), /403/);
    const summary = await api(url, 'GET', '/v1/device-groups', fleet.admin);
    assert.deepEqual(summary.body['groups'], [{ name: 'invoice-robots', devices: [other.deviceId], queues: [] }]);
  });

  it('says what is wrong: no --server, a device token, an unknown group or action, --device and --group together; --help', async () => {
    const noServer = await admin('group', 'list');
    assert.equal(noServer.code, 2);
    assert.match(noServer.stderr, /device groups and grants live on the control server: add --server URL/);

    const asDevice = await runCli(['queue', 'group', 'create', 'mine', '--server', url], cliEnv(home, { RPA_SERVER_TOKEN: robot.token }));
    assert.notEqual(asDevice.code, 0);
    assert.match(asDevice.stderr, /403/);
    assert.equal((await api(url, 'GET', '/v1/device-groups', fleet.admin)).body['groups'] instanceof Array, true);

    const noGroup = await admin('group', 'add', 'no-such-group', robot.deviceId, '--server', url);
    assert.notEqual(noGroup.code, 0);
    assert.match(noGroup.stderr, /no device group no-such-group/);
    const noDevice = await admin('group', 'add', 'invoice-robots', '--server', url);
    assert.equal(noDevice.code, 2);
    assert.match(noDevice.stderr, /expected a group name and at least one device id/);
    const unknown = await admin('group', 'rename', 'x', '--server', url);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown action "rename"/);
    const both = await admin('grant', 'invoices', '--device', robot.deviceId, '--group', 'invoice-robots', '--server', url);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give --device DEVICE_ID or --group GROUP \(one of them\)/);
    const twice = await admin('group', 'create', 'invoice-robots', '--server', url);
    assert.notEqual(twice.code, 0);
    assert.match(twice.stderr, /already exists/);

    for (const help of [['--help'], ['group', '--help'], ['help']]) {
      const shown = await runCli(['queue', ...help], cliEnv(home));
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /rpa queue group add GROUP DEVICE_ID\.\.\. --server URL/);
      assert.match(shown.stdout, /rpa queue grant QUEUE \(--device DEVICE_ID \| --group GROUP\) --server URL/);
    }
  });
});
