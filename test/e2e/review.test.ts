// The human review round trip with real processes: a run pauses for a review, survives a
// kill -9, is resolved from a new process and resumes where it stopped (inside a forEach),
// finishing with the corrected values; approve and reject; an automation changed meanwhile;
// corrections exported as labelled examples. The model is the OpenAI-compatible test server.
// The run that is killed and the agent are real `rpa` processes; the other command lines run in
// one CLI worker process (test/helpers/cli-worker.ts: what they print and return, start-up paid once).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extraction, OpenAiTestServer } from '../support/openai-test-server.js';
import { cliEnv, cliWorker, jsonLines, RPA_JS, REPO_ROOT, tempDir, writeAutomation } from '../helpers/env.js';
import { until } from '../helpers/until.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

const KEY = 'sk-review-e2e-51c0ffee9d';

function automation(out: string): unknown {
  return {
    format: 1,
    id: 'review-e2e',
    name: 'Review round trip',
    version: '1.0.0',
    outputs: ['rows'],
    steps: [
      { kind: 'flow.set', var: 'rows', value: [] },
      {
        kind: 'flow.forEach',
        items: ['Invoice INV-1 total 100.00', 'Invoice INV-2 total 123.45 (smudged)'],
        as: 'text',
        steps: [
          {
            kind: 'ai.extract',
            provider: 'test',
            document: '{{vars.text}}',
            fields: [
              { name: 'invoiceNumber', type: 'string', required: true },
              { name: 'amount', type: 'money', required: true },
            ],
            review: { threshold: 0.8 },
            into: 'invoice',
          },
          { kind: 'flow.set', var: 'rows', value: '{{vars.invoice}}', append: true },
        ],
      },
      { kind: 'file.writeCsv', file: out, rows: '{{vars.rows}}', columns: ['invoiceNumber', 'amount'] },
    ],
  };
}

const sure = extraction({ invoiceNumber: { value: 'INV-1', confidence: 0.97 }, amount: { value: 100, confidence: 0.95 } });
const unsure = extraction({ invoiceNumber: { value: 'INV-2', confidence: 0.96 }, amount: { value: 128.45, confidence: 0.41 } });

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

describe('human review round trip (rpa run / reviews / review)', () => {
  let server: OpenAiTestServer;
  let home: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    server = await OpenAiTestServer.start({ apiKey: KEY, model: 'gpt-test', fields: ['invoiceNumber', 'amount'] });
  });
  after(() => server.close());

  const setup = async (): Promise<string> => {
    home = tempDir('review');
    env = cliEnv(home);
    writeFileSync(
      path.join(home, 'settings.json'),
      JSON.stringify({ models: { providers: [{ name: 'test', kind: 'openai', baseUrl: server.url, model: 'gpt-test', apiKeySecret: 'MODELKEY', prices: { 'gpt-test': { inputPer1M: 1, outputPer1M: 4 } } }] } }),
    );
    const set = await rpa(['secret', 'set', 'MODELKEY'], env, REPO_ROOT, KEY);
    assert.equal(set.code, 0, set.stderr);
    server.requests.length = 0;
    return writeAutomation(home, 'bot.json', automation(path.join(home, 'out.csv')));
  };

  const openReviews = async (): Promise<Array<Record<string, unknown>>> => {
    const listed = await rpa(['reviews', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    return jsonLines(listed.stdout);
  };

  it('pauses, survives kill -9, resumes inside the loop with the correction, exports it', async () => {
    const file = await setup();
    server.enqueue(sure, unsure);
    // --wait-review keeps the process waiting (the run is durably paused meanwhile).
    const child = spawn(process.execPath, [RPA_JS, 'run', file, '--wait-review'], { cwd: REPO_ROOT, env, stdio: 'ignore' });
    let reviews = await until('a review task', async () => {
      const open = await openReviews();
      return open.length > 0 && open;
    }, 120_000);
    assert.equal(reviews.length, 1, 'a review task appears');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    // A new process sees the paused run and its task.
    reviews = await openReviews();
    assert.equal(reviews.length, 1);
    const task = reviews[0]!;
    assert.equal(task['step'], '2[2].1');
    const fields = task['fields'] as Array<{ name: string; value: unknown; confidence: number; problems: string[] }>;
    assert.deepEqual(fields.map((f) => [f.name, f.value, f.confidence]), [['invoiceNumber', 'INV-2', 0.96], ['amount', 128.45, 0.41]]);
    assert.match(fields[1]!.problems.join(), /below 0.8/);
    const runs = jsonLines((await rpa(['runs', '--json'], env)).stdout);
    assert.equal(runs[0]!['status'], 'paused');

    const bad = await rpa(['review', String(task['id']), '--set', 'amount=lots'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--set amount=lots: expected a money/);
    const unknown = await rpa(['review', String(task['id']), '--set', 'vendor=x'], env);
    assert.match(unknown.stderr, /has no field "vendor"; its fields are invoiceNumber, amount/);

    const resolved = await rpa(['review', String(task['id']).slice(0, 10), '--set', 'amount=123.45', '--by', 'dana'], env);
    assert.equal(resolved.code, 0, resolved.stdout + resolved.stderr);
    assert.match(resolved.stdout, /corrected by dana/);
    assert.equal(readFileSync(path.join(home, 'out.csv'), 'utf8').trim(), 'invoiceNumber,amount\nINV-1,100\nINV-2,123.45');
    assert.equal(server.requests.length, 2, 'resuming does not ask the model again');
    assert.deepEqual(server.problems, []);
    assert.deepEqual(await openReviews(), []);

    const again = await rpa(['review', String(task['id']), '--approve'], env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already corrected by dana/);

    const exported = path.join(home, 'examples.jsonl');
    assert.equal((await rpa(['reviews', 'export', '--jsonl', exported], env)).code, 0);
    const [example] = jsonLines(readFileSync(exported, 'utf8'));
    assert.deepEqual(example!['corrected'], { invoiceNumber: 'INV-2', amount: 123.45 });
    assert.deepEqual(example!['modelOutput'], { invoiceNumber: 'INV-2', amount: 128.45 });
    assert.equal(example!['reviewer'], 'dana');
    assert.match(String((example!['document'] as { sha256: string }).sha256), /^[0-9a-f]{64}$/);

    // The whole record: model calls with cost, the pause, the resume; the key nowhere.
    const show = await rpa(['show', String(task['runId']), '--json'], env);
    const detail = JSON.parse(show.stdout) as { status: string };
    assert.equal(detail.status, 'passed');
    for (const stored of [...filesUnder(home).filter((f) => !f.endsWith('vault.key'))]) {
      assert.ok(!readFileSync(stored).includes(KEY), `API key found in ${stored}`);
    }
  });

  it('rpa run without --wait-review exits 5 and tells how to resolve; approve resumes with the model values', async () => {
    const file = await setup();
    server.enqueue(sure, unsure);
    const run = await rpa(['run', file], env);
    assert.equal(run.code, 5, run.stderr);
    const [task] = await openReviews();
    assert.match(run.stderr, new RegExp(`rpa review ${String(task!['id'])} --approve`));
    const approved = await rpa(['review', String(task!['id']), '--approve', '--json'], env);
    assert.equal(approved.code, 0, approved.stderr);
    const events = jsonLines(approved.stdout);
    assert.equal(events[0]!['type'], 'run.resumed');
    assert.ok(!events.some((e) => e['type'] === 'step.started' && e['path'] === '2[2].1'), 'the paused step is not started again');
    assert.ok(events.some((e) => e['type'] === 'step.succeeded' && e['path'] === '2[2].1'));
    assert.equal(readFileSync(path.join(home, 'out.csv'), 'utf8').trim(), 'invoiceNumber,amount\nINV-1,100\nINV-2,128.45');

    // rpa show prints the run's model calls: provider, model, prompt versions, attempts,
    // tokens, cost, latency, status, and the run's total model cost.
    const shown = await rpa(['show', String(task!['runId'])], env);
    assert.equal(shown.code, 0, shown.stderr);
    const section = shown.stdout.slice(shown.stdout.indexOf('Model calls'));
    assert.match(section, /^Model calls {2}2 calls, \$0\.00304 in all/m);
    const rows = section.split('\n').filter((line) => /^\s+2\[\d\]\.1 /.test(line));
    assert.equal(rows.length, 2, section);
    for (const row of rows) assert.match(row, /test\s+gpt-test\s+extract@2\s+1 attempt\s+1200 in \/ 80 out\s+\$0\.00152\s+\d+(?:\.\d+)? m?s\s+succeeded/);
  });

  it('the agent resumes a run whose review was resolved with --no-resume', async () => {
    const file = await setup();
    server.enqueue(sure, unsure);
    assert.equal((await rpa(['run', file], env)).code, 5);
    const [task] = await openReviews();
    const agent = spawn(process.execPath, [RPA_JS, 'agent'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    agent.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    agent.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      const resolved = await rpa(['review', String(task!['id']), '--set', 'amount=123.45', '--no-resume'], env);
      assert.equal(resolved.code, 0, resolved.stderr);
      assert.match(resolved.stdout, /stays paused until the agent resumes it/);
      await until('the agent resuming the run to its end', async () => String(jsonLines((await rpa(['runs', '--json'], env)).stdout)[0]!['status']) === 'passed', { timeoutMs: 120_000, everyMs: 200, detail: () => log });
      assert.match(log, /resumed after its review: passed/);
      assert.equal(readFileSync(path.join(home, 'out.csv'), 'utf8').trim(), 'invoiceNumber,amount\nINV-1,100\nINV-2,123.45');
    } finally {
      agent.kill('SIGTERM');
      await new Promise((resolve) => agent.once('exit', resolve));
    }
  });

  it('a rejected review fails the run with the reason; a changed automation refuses to resume', async () => {
    const file = await setup();
    server.enqueue(sure, unsure);
    assert.equal((await rpa(['run', file], env)).code, 5);
    const [task] = await openReviews();
    const rejected = await rpa(['review', String(task!['id']), '--reject', 'not our vendor', '--by', 'sam'], env);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stdout, /rejected by sam: not our vendor/);

    server.enqueue(sure, unsure);
    assert.equal((await rpa(['run', file], env)).code, 5);
    const [second] = await openReviews();
    writeFileSync(file, readFileSync(file, 'utf8').replace('Review round trip', 'Review round trip v2'));
    const refused = await rpa(['review', String(second!['id']), '--approve'], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /changed since run .* paused .*Restore the version/);
    assert.equal((await openReviews()).length, 1, 'the review stays open');
    const ended = await rpa(['review', String(second!['id']), '--reject', 'automation changed'], env);
    assert.equal(ended.code, 1);
    assert.equal(jsonLines((await rpa(['runs', '--json'], env)).stdout)[0]!['status'], 'failed');
  });
});
