// A bot process killed mid-run (SIGKILL: no cleanup code runs) must leave a consistent
// store, and the next start must mark the run interrupted instead of running forever.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startDemoSystem, type DemoSystem } from '../../assets/demo-system/server.js';
import { ADMIN, freshPostgres, testServer } from '../../server/test-support.js';
import { cliEnv, EXAMPLES, jsonLines, RPA_JS, runCli, tempDir } from '../helpers/env.js';

describe('a run killed with SIGKILL', () => {
  let demo: DemoSystem;
  before(async () => {
    // The mainframe submit takes 20 s here: the kill lands while the bot waits on it.
    demo = await startDemoSystem({ port: 0, slowMs: 20_000 });
  });
  after(async () => {
    await demo.close();
  });

  it('is marked interrupted on the next start; completed steps stay recorded; nothing reads as finished', async () => {
    const home = tempDir('kill');
    const child = spawn(process.execPath, [RPA_JS, 'run', path.join(EXAMPLES, 'file-a-claim.json'), '--json', '--input', `baseUrl=${demo.url}`], {
      env: cliEnv(home),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let runId = '';
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { type: string; runId: string; path?: string };
        runId = event.runId;
        seen.push(`${event.type}:${event.path ?? ''}`);
        // Step 19 clicks "Submit claim"; the server then holds the request for 20 s.
        if (event.type === 'step.started' && event.path === '19') {
          setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 500);
        }
      });
      child.on('exit', () => resolve());
      setTimeout(() => reject(new Error(`never reached step 19; saw ${seen.join(' ')}`)), 60_000);
    });
    await new Promise((resolve) => child.once('close', resolve));
    assert.equal(child.signalCode, 'SIGKILL');
    assert.ok(runId);

    // Before anyone opens the store through rpa, the row still says running — and only that.
    const raw = new Database(path.join(home, 'runs.db'), { readonly: true });
    assert.equal((raw.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status, 'running');
    assert.equal((raw.pragma('integrity_check') as Array<{ integrity_check: string }>)[0]?.integrity_check, 'ok');
    raw.close();

    const listed = await runCli(['runs', '--json'], cliEnv(home));
    assert.equal(listed.code, 0, listed.stderr);
    const run = jsonLines(listed.stdout).find((r) => r['id'] === runId);
    assert.equal(run?.['status'], 'interrupted');
    assert.equal(run?.['stepsPassed'], 18);

    const shown = await runCli(['show', runId], cliEnv(home));
    assert.match(shown.stdout, /interrupted/);
    assert.match(shown.stdout, /✓ 18 /);
    assert.match(shown.stdout, /19 +click Submit claim button .*interrupted/);
    assert.match(shown.stdout, /may or may not have taken effect/);

    // A later run in the same home works normally and the old one stays interrupted.
    const again = await runCli(['runs', '--json'], cliEnv(home));
    assert.equal(jsonLines(again.stdout).find((r) => r['id'] === runId)?.['status'], 'interrupted');

    // The interruption is in the audit outbox as the run's end, exactly once, after its other records.
    const store = new Database(path.join(home, 'runs.db'), { readonly: true });
    const records = (store.prepare('SELECT record_json FROM audit_outbox ORDER BY seq').pluck().all() as string[])
      .map((json) => JSON.parse(json) as { type: string; runId: string; payload: { status?: string; error?: { name: string } } })
      .filter((record) => record.runId === runId);
    store.close();
    const ends = records.filter((record) => record.type === 'run.finished');
    assert.equal(ends.length, 1);
    assert.equal(records.at(-1), ends[0]);
    assert.equal(ends[0]!.payload.status, 'interrupted');
    assert.equal(ends[0]!.payload.error?.name, 'RunInterruptedError');

    // Synced to a real audit server, its run view says interrupted, not running.
    const database = await freshPostgres();
    const app = await testServer(database.db);
    try {
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
      const token = (await (await fetch(`${url}/v1/enrollment-tokens`, { method: 'POST', headers: admin, body: '{}' })).json()) as { enrollmentToken: string };
      assert.equal((await runCli(['enroll', url, token.enrollmentToken], cliEnv(home))).code, 0);
      const synced = await runCli(['sync', 'now'], cliEnv(home));
      assert.equal(synced.code, 0, synced.stderr);
      const listed = (await (await fetch(`${url}/v1/runs`, { headers: admin })).json()) as {
        runs: Array<{ runId: string; status: string; endedAt: string | null; automation: { id: string; version: string; name: string | null } | null }>;
      };
      const audited = listed.runs.find((r) => r.runId === runId);
      assert.equal(audited?.status, 'interrupted');
      assert.ok(audited?.endedAt, 'the server knows when it ended');
      // The upload carries the automation's name (in the signed run.started record): the console shows it, not only the id.
      assert.deepEqual(audited?.automation, { id: 'acme.file-a-claim', version: '1.0.0', name: 'File a claim' });
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
