// `rpa queue`: what a user types and reads, end to end through the CLI — its commands in one
// CLI worker process (test/helpers/cli-worker.ts: start-up paid once, not 27 times), and the
// real executable for an exit code.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SqliteWorkQueue } from '../../engine/queue/sqlite-work-queue.js';
import { cliEnv, cliWorker, jsonLines, runCli, tempDir } from '../../test/helpers/env.js';

const cli = cliWorker();
after(() => cli.close());
const rpa = (home: string, ...args: string[]) => cli.run(['queue', ...args], cliEnv(home));

describe('rpa queue', () => {
  it('adds an item once per idempotency key, lists it and shows it', async () => {
    const home = tempDir('queue');
    const added = await rpa(home, 'add', 'invoices', '--data', '{"invoice":"A-1","amount":12.5}', '--key', 'A-1', '--max-retries', '5');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout.trim(), 'added item 1 to invoices');
    const again = await rpa(home, 'add', 'invoices', '--data', '{"invoice":"A-1"}', '--key', 'A-1');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), 'item 1 with key A-1 is already in invoices (new): not added again');

    const listed = await rpa(home, 'list', 'invoices', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const items = jsonLines(listed.stdout);
    assert.equal(items.length, 1);
    assert.deepEqual(items[0]?.['payload'], { invoice: 'A-1', amount: 12.5 });
    assert.equal(items[0]?.['maxRetries'], 5);
    assert.equal(items[0]?.['idempotencyKey'], 'A-1');

    const table = await rpa(home, 'list', 'invoices');
    assert.match(table.stdout, /^\s+1 {2}invoices\s+new\s+0 /m);
    assert.match(table.stdout, /invoices: 1 new, 0 in_progress, 0 done, 0 failed, 0 retrying, 0 dead/);
    assert.match((await rpa(home, 'list', '--state', 'done')).stdout, /no done items/);

    const shown = await rpa(home, 'show', '1');
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /item 1 in queue invoices/);
    assert.match(shown.stdout, /state {7}new/);
    assert.match(shown.stdout, /"invoice": "A-1"/);
    assert.match(shown.stdout, /history\n.*— {11}→ new/);
  });

  it('adds one item per CSV row, keyed by the --key column', async () => {
    const home = tempDir('queue');
    const csv = path.join(home, 'claims.csv');
    writeFileSync(csv, 'claim,amount\nC-1,10\nC-2,20\nC-3,30\n');
    const first = await rpa(home, 'add', 'claims', '--csv', csv, '--key', 'claim');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'added 3 items to claims');
    writeFileSync(csv, 'claim,amount\nC-3,30\nC-4,40\n');
    const second = await rpa(home, 'add', 'claims', '--csv', csv, '--key', 'claim', '--json');
    assert.deepEqual(jsonLines(second.stdout).map((l) => [l['id'], l['duplicate']]), [[3, true], [4, false]]);
    const items = jsonLines((await rpa(home, 'list', 'claims', '--json')).stdout);
    assert.deepEqual(items.map((i) => i['payload']), ['C-1', 'C-2', 'C-3', 'C-4'].map((claim, n) => ({ claim, amount: String((n + 1) * 10) })));

    const wrongColumn = await rpa(home, 'add', 'claims', '--csv', csv, '--key', 'nope');
    assert.equal(wrongColumn.code, 2);
    assert.match(wrongColumn.stderr, /has no column "nope" \(columns: claim, amount\)/);
  });

  it('shows the history and last error of a failed item, and retry brings it back', async () => {
    const home = tempDir('queue');
    assert.equal((await rpa(home, 'add', 'q', '--data', '{"n":1}')).code, 0);
    const wq = SqliteWorkQueue.open(path.join(home, 'runs.db'));
    const item = (await wq.lease('q', 'robot-7', 60_000))!;
    await wq.fail(item.id, item.leaseToken, { kind: 'business', error: { name: 'BusinessError', message: 'claim already paid' } });
    await wq.close();

    const shown = await rpa(home, 'show', String(item.id));
    assert.match(shown.stdout, /state {7}failed/);
    assert.match(shown.stdout, /last error {2}business BusinessError: claim already paid/);
    assert.match(shown.stdout, /new {9}→ in_progress {2}attempt 1 {2}by robot-7/);
    assert.match(shown.stdout, /in_progress → failed {7}attempt 1 {2}by robot-7 {2}— business BusinessError: claim already paid/);

    const retried = await rpa(home, 'retry', String(item.id));
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stdout, /item 1 in q is new again/);
    const json = JSON.parse((await rpa(home, 'show', '1', '--json')).stdout) as { state: string; attempts: number; history: Array<{ to: string }> };
    assert.equal(json.state, 'new');
    assert.equal(json.attempts, 0);
    assert.deepEqual(json.history.map((h) => h.to), ['new', 'in_progress', 'failed', 'new']);

    const notRetriable = await rpa(home, 'retry', '1');
    assert.equal(notRetriable.code, 1);
    assert.match(notRetriable.stderr, /queue item 1 is new: only failed or dead items can be retried/);
  });

  it('exits 2 with a clear message on bad JSON, an unknown state and other usage errors; 1 for an unknown item', async () => {
    const home = tempDir('queue');
    const cases: Array<[string[], RegExp]> = [
      [['add', 'q', '--data', '{bad'], /--data is not valid JSON/],
      [['list', '--state', 'finished'], /unknown state "finished": expected one of new, in_progress, done, failed, retrying, dead/],
      [['add', 'q', '--max-retries', 'many'], /--max-retries expects a whole number ≥ 0, got many/],
      [['add', 'q', '--data', '1', '--csv', 'x.csv'], /give --data or --csv, not both/],
      [['add', 'q', '--csv', path.join(home, 'missing.csv')], /cannot read \(ENOENT\)/],
      [['show', 'abc'], /item id expects a whole number/],
      [['frobnicate'], /unknown sub-command "frobnicate"/],
      [['list', '--colour'], /unknown option --colour/],
    ];
    for (const [args, message] of cases) {
      const result = await rpa(home, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    // The same through the real executable: main()'s code is the process's exit code.
    const real = await runCli(['queue', 'list', '--colour'], cliEnv(home));
    assert.equal(real.code, 2, real.stderr);
    assert.match(real.stderr, /unknown option --colour/);
    const missing = await rpa(home, 'show', '42');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no item 42 in .*runs\.db/);
  });
});
