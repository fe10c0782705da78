// The database restarted under a working fleet: robots keep draining one central queue through
// two server processes while the PostgreSQL under them is shut down cleanly, then crashed (stop
// -m immediate: recovery from the WAL). The cluster is the test's own (test/helpers/private-
// postgres.ts), never the machine's shared one. Afterwards every item is done exactly once —
// nothing lost, nothing completed twice — and both server processes are still up and answering.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { QueueServerError, RemoteWorkQueue, type Completion } from '../../engine/queue/index.js';
import { api, createQueue, enrollDevice, grant, startFleetServers } from '../helpers/fleet-servers.js';
import { privatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';

const QUEUE = 'restart-db';
const TOTAL = 1500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('central queues while PostgreSQL restarts (the test\'s own cluster)', { timeout: 300_000 }, () => {
  let cluster: PrivatePostgres | undefined;
  let fleet: Awaited<ReturnType<typeof startFleetServers>> | undefined;

  before(async () => {
    cluster = await privatePostgres();
    if (cluster) fleet = await startFleetServers(2, {}, [], undefined, cluster.url);
  });
  after(async () => {
    await fleet?.close().catch(() => undefined);
    cluster?.destroy();
  });

  it('robots and servers ride out a clean restart and a crash of the database: every item done once, none lost, both servers still answering', async (t) => {
    if (!cluster || !fleet) return t.skip('no PostgreSQL binaries under /usr/lib/postgresql');
    const [a, b] = fleet.urls as [string, string];
    await createQueue(a, fleet.admin, QUEUE, { backoffBaseMs: 0, maxRetries: 50 });
    const admin = new RemoteWorkQueue({ serverUrl: a, token: fleet.admin });
    for (let i = 0; i < TOTAL; i += 500) await admin.addMany(QUEUE, Array.from({ length: 500 }, (_, j) => ({ payload: { ref: `doc-${i + j}` }, idempotencyKey: `doc-${i + j}` })));

    const counters = { completed: 0, errors: 0, lostOnRetry: 0 };
    // A robot as rpa agent's queue worker behaves: it settles what it worked and leases the next
    // batch in one call; when the server cannot answer (500 while the database is away, or no
    // connection) it keeps its worked batch and tries again.
    const robot = async (serverUrl: string, token: string, name: string): Promise<void> => {
      const wq = new RemoteWorkQueue({ serverUrl, token, timeoutMs: 10_000 });
      let worked: Completion[] = [];
      for (;;) {
        try {
          const { settled, leased } = await wq.completeAndLease(worked, QUEUE, name, 3000, 5);
          for (const entry of settled) {
            if (entry.ok) counters.completed++;
            else counters.lostOnRetry++;
          }
          worked = [];
          if (leased.length === 0) {
            if ((await wq.stats(QUEUE)).done >= TOTAL) return;
            await sleep(100);
            continue;
          }
          await sleep(20); // the work
          worked = leased.map((item) => ({ id: item.id, leaseToken: item.leaseToken, output: { by: name } }));
        } catch (error) {
          if (!(error instanceof QueueServerError)) throw error;
          counters.errors++;
          await sleep(200);
        }
      }
    };
    const devices = await Promise.all([0, 1, 2].map((i) => enrollDevice(a, fleet!.admin, `robot ${i}`)));
    for (const device of devices) await grant(b, fleet.admin, QUEUE, device.deviceId);
    const robots = devices.map((device, i) => robot(i % 2 ? b : a, device.token, `robot-${i}`));

    const waitCompleted = async (n: number) => {
      const until = Date.now() + 120_000;
      while (counters.completed < n) {
        if (Date.now() > until) throw new Error(`stuck at ${counters.completed} completed (${counters.errors} errors)`);
        await sleep(20);
      }
    };
    await waitCompleted(200);
    const errorsBefore = counters.errors;
    cluster.stop('fast');
    await sleep(1500);
    cluster.start();
    const doneAtFirstRestart = counters.completed;
    await waitCompleted(doneAtFirstRestart + 300);
    const errorsAfterFirst = counters.errors;
    cluster.stop('immediate');
    await sleep(1500);
    cluster.start();
    const doneAtCrash = counters.completed;
    await Promise.all(robots);

    assert.ok(doneAtFirstRestart < TOTAL && doneAtCrash < TOTAL, `both outages came mid-run (${doneAtFirstRestart}, ${doneAtCrash} of ${TOTAL} done)`);
    assert.ok(errorsAfterFirst > errorsBefore, 'the robots felt the clean restart');
    assert.ok(counters.errors > errorsAfterFirst, 'the robots felt the crash');

    const db = new pg.Client({ connectionString: cluster.url, options: `-c search_path=${fleet.schema}` });
    await db.connect();
    try {
      const twice = (await db.query(`SELECT item_id FROM queue_item_events WHERE to_state = 'done' GROUP BY item_id HAVING count(*) > 1`)).rows;
      assert.deepEqual(twice, [], 'no item completed twice');
      const states = (await db.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM queue_items GROUP BY state')).rows;
      assert.deepEqual(states.map((row) => [row.state, Number(row.n)]), [['done', TOTAL]], 'every item done, none lost');
      const doneEvents = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM queue_item_events WHERE to_state = 'done'`)).rows[0]!.n);
      assert.equal(doneEvents, TOTAL);
      // Each item's history still reads as its attempts: every lease ended once, by done or by the server's sweep.
      const open = (await db.query(`SELECT item_id FROM queue_item_events GROUP BY item_id HAVING count(*) FILTER (WHERE to_state = 'in_progress') <> count(*) FILTER (WHERE from_state = 'in_progress')`)).rows;
      assert.deepEqual(open, [], 'no attempt left open in the history');
    } finally {
      await db.end();
    }
    for (const server of fleet.servers) assert.equal(server.child.exitCode, null, `a server process exited:\n${server.output()}`);
    for (const url of fleet.urls) assert.equal((await api(url, 'GET', `/v1/queues/${QUEUE}`, fleet.admin)).status, 200);
  });
});
