// The audit server dies in the middle of uploads: a real `rpa agent` uploading a large backlog
// to a real server process (node dist/server/main.js on a fresh PostgreSQL schema) that is
// SIGKILLed ten times while batches are in flight. The agent must live through every kill, and
// once the server stays up every record is there exactly once and the chain verifies. Then
// `rpa sync now` against a server killed mid-upload: one line on stderr, no stack, exit 1.
// The server, the agent and each `rpa sync now` under a kill are real processes (what happens to
// a process is the point); the `rpa sync status` reads and the last drain run in one CLI worker
// (test/helpers/cli-worker.ts), start-up paid once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { resolveHome, type RpaHome } from '../../engine/home.js';
import { FakeRun } from '../../engine/store/fake-run.js';
import { openDatabase } from '../../engine/store/database.js';
import { RunStore } from '../../engine/store/run-store.js';
import { AuditOutbox } from '../../engine/sync/outbox.js';
import { enroll } from '../../engine/sync/sync-client.js';
import { ADMIN, freshPostgres, PG_URL } from '../../server/test-support.js';
import { cliEnv, cliWorker, RPA_JS, runCli, tempDir } from '../helpers/env.js';
import { until } from '../helpers/until.js';

const worker = cliWorker();
after(() => worker.close());

const SERVER_JS = fileURLToPath(new URL('../../server/main.js', import.meta.url));
const AGENT_KILLS = 10;
const SYNC_NOW_KILLS = 3;

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));

/** A real audit server process on a fixed port and schema; kill() is SIGKILL, nothing graceful. */
class ServerProcess {
  child: ChildProcess | undefined;
  output = '';
  // The server's key and log head live here across its restarts, never in the working folder
  // (where a later run of the test would find another database's log head).
  private readonly dataDir = tempDir('audit-kill-data');
  constructor(
    private readonly port: number,
    private readonly schema: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const databaseUrl = new URL(PG_URL);
    databaseUrl.searchParams.set('options', `-c search_path=${this.schema}`);
    const child = spawn(process.execPath, [SERVER_JS], {
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl.toString(), AUDIT_DATA_DIR: this.dataDir, AUDIT_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.output = '';
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await until('the audit server listening', () => {
      if (child.exitCode !== null) throw new Error(`the audit server exited: ${this.output}`);
      return this.output.includes('Audit server listening');
    }, { everyMs: 20 });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await exited(child);
    this.child = undefined;
  }
}

/** A free port: listen on 0, read it, close. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * runs × 50 records in the home's outbox, as a bot's runs would leave them, in one transaction
 * (a run store commits each event on its own: 40,000 of them took half a minute).
 */
function writeBacklog(home: RpaHome, runs: number, prefix: string): number {
  const db = openDatabase(home.storeFile);
  try {
    const outbox = new AuditOutbox(db);
    db.transaction(() => {
      for (let r = 0; r < runs; r++) {
        const run = new FakeRun(`${prefix}-${r}`);
        outbox.append(run.started());
        for (let i = 0; i < 48; i++) outbox.append(run.next({ type: 'log', level: 'info', message: `line ${i} of run ${r}: ${'x'.repeat(200)}` }));
        outbox.append(run.finished());
      }
    })();
    return outbox.counts().total;
  } finally {
    db.close();
  }
}

describe('the audit server killed mid-upload', () => {
  let database: Awaited<ReturnType<typeof freshPostgres>>;
  let client: pg.Client;
  let server: ServerProcess;
  before(async () => {
    database = await freshPostgres();
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    server = new ServerProcess(await freePort(), database.schema);
  });
  after(async () => {
    await server.kill();
    await client.end();
    await database.drop();
  });

  const ackOf = async (deviceId: string): Promise<number> => {
    const rows = await client.query(`SELECT ack_seq::int AS ack FROM ${database.schema}.devices WHERE id = $1`, [deviceId]);
    return (rows.rows[0] as { ack: number } | undefined)?.ack ?? 0;
  };
  const storedCounts = async (deviceId: string) =>
    (await client.query(`SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d, min(seq)::int AS lo, max(seq)::int AS hi FROM ${database.schema}.audit_records WHERE device_id = $1`, [deviceId])).rows[0] as Record<string, number>;
  const verify = async (deviceId: string) => {
    const response = await fetch(`${server.url}/v1/devices/${deviceId}/verify`, { headers: { authorization: `Bearer ${ADMIN}` } });
    return (await response.json()) as Record<string, unknown>;
  };
  const enrollHome = async (home: RpaHome) => {
    const token = await fetch(`${server.url}/v1/enrollment-tokens`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{}' });
    const store = RunStore.open(home.storeFile);
    try {
      return await enroll(home, store.outbox, server.url, String(((await token.json()) as Record<string, unknown>)['enrollmentToken']));
    } finally {
      store.close();
    }
  };
  /** Waits for the server to take some records since `since`, with more still to come, then kills it: an upload is in flight. */
  const killMidUpload = async (deviceId: string, total: number, gaveUp: () => string | undefined = () => undefined): Promise<number> => {
    const since = await ackOf(deviceId);
    const at = await until('an upload in progress', async () => {
      const why = gaveUp();
      if (why) throw new Error(why);
      const ack = await ackOf(deviceId);
      return ack > since && ack < total ? ack : false;
    }, { everyMs: 20 });
    await server.kill();
    return at;
  };

  it(`rpa agent survives ${AGENT_KILLS} kills of the audit server mid-upload and every record arrives once`, { timeout: 240_000 }, async (t) => {
    // Where the time goes (a run that hits its limit on a loaded machine shows how far it got).
    const begun = Date.now();
    const note = (what: string): void => t.diagnostic(`${((Date.now() - begun) / 1000).toFixed(1)} s: ${what}`);
    await server.start();
    note('server up');
    const home = resolveHome({ RPA_HOME: tempDir('kill-agent') });
    // 20,000 records, 40 batches: ten kills took 5,500 of them on a loaded machine (each kill comes
    // once the server has taken a batch since it was back), so every kill still comes mid-upload
    // with room to spare; 40,000 spent ~30 s more writing and draining the rest.
    const total = writeBacklog(home, 400, 'agent');
    note(`backlog of ${total} written`);
    const config = await enrollHome(home);
    const agent = spawn(process.execPath, [RPA_JS, 'agent'], { env: cliEnv(home.dir, { RPA_SYNC_MAX_BACKOFF_MS: '400' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    agent.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    agent.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const killedAt: number[] = [];
      for (let kill = 1; kill <= AGENT_KILLS; kill++) {
        killedAt.push(await killMidUpload(config.deviceId, total));
        note(`kill ${kill} at ack ${killedAt[kill - 1]}`);
        // The agent notices (its in-flight batches fail) and must still be there.
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(agent.exitCode, null, `the agent died after kill ${kill} (at ack ${killedAt[kill - 1]}):\n${output}`);
        assert.equal(agent.signalCode, null, `the agent was ended by ${agent.signalCode}:\n${output}`);
        await server.start();
        note(`server up again`);
      }
      assert.equal(killedAt.length, AGENT_KILLS);
      assert.ok(killedAt.every((ack) => ack > 0 && ack < total), `every kill came mid-upload: ${killedAt.join(', ')}`);

      // Back for good: the agent drains the rest on its own.
      await until('the backlog uploaded', async () => (await ackOf(config.deviceId)) === total, { timeoutMs: 120_000, everyMs: 200 });
      note('every record uploaded');
      assert.deepEqual(await storedCounts(config.deviceId), { n: total, d: total, lo: 1, hi: total }, 'every record exactly once');
      const verified = await verify(config.deviceId);
      assert.equal(verified['ok'], true, JSON.stringify(verified));
      assert.equal(verified['checked'], total);
      assert.doesNotMatch(output, /unhandled|\n\s+at /i, 'no unhandled rejection, no stack trace in the agent log');
      assert.match(output, /audit sync failed; the outbox keeps growing until the server is back: audit server .* (unreachable|went away)/);
      const status = JSON.parse((await worker.run(['sync', 'status', '--json'], cliEnv(home.dir))).stdout) as { pending: number; refused: unknown };
      assert.equal(status.pending, 0);
      assert.equal(status.refused, null);
    } finally {
      agent.kill('SIGTERM');
      const code = await exited(agent);
      assert.equal(code, 0, `the agent stops cleanly on SIGTERM:\n${output}`);
    }
  });

  it(`rpa sync now against a server killed mid-upload says so in one line and exits 1 (${SYNC_NOW_KILLS} kills)`, { timeout: 180_000 }, async () => {
    if (!server.child) await server.start();
    const home = resolveHome({ RPA_HOME: tempDir('kill-sync-now') });
    // 12,000 records, 24 batches: each kill comes once the server has taken a batch from this
    // rpa sync now, so three kills need a few batches of them.
    const total = writeBacklog(home, 240, 'now');
    const config = await enrollHome(home);
    for (let kill = 1; kill <= SYNC_NOW_KILLS; kill++) {
      let finished: Awaited<ReturnType<typeof runCli>> | undefined;
      const sync = runCli(['sync', 'now'], cliEnv(home.dir)).then((result) => (finished = result));
      await killMidUpload(config.deviceId, total, () => (finished ? `rpa sync now ended before a kill: ${JSON.stringify(finished)}` : undefined));
      const result = await sync;
      assert.equal(result.code, 1, `exit 1 after kill ${kill}:\n${result.stderr}`);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line, no stack trace:\n${result.stderr}`);
      assert.match(lines[0]!, /^rpa sync: audit server http:\/\/127\.0\.0\.1:\d+ (unreachable|went away while answering)/);
      const status = JSON.parse((await worker.run(['sync', 'status', '--json'], cliEnv(home.dir))).stdout) as { lastError: string; pending: number };
      assert.match(status.lastError, /audit server/);
      assert.ok(status.pending > 0);
      await server.start();
    }
    const drained = await worker.run(['sync', 'now'], cliEnv(home.dir));
    assert.equal(drained.code, 0, drained.stderr);
    assert.deepEqual(await storedCounts(config.deviceId), { n: total, d: total, lo: 1, hi: total });
    assert.equal((await verify(config.deviceId))['ok'], true);
  });
});
