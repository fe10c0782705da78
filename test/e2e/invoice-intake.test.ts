// The invoice intake example end to end, with real processes, real Chromium and the demo
// system: `rpa run` reads the bundled invoices, pauses (exit 5) for the one whose due date is
// before its invoice date, and enters nothing before the review is resolved; the review is
// answered from new processes (also after the waiting process was killed with SIGKILL) and
// the run resumes and enters the accepted invoices, which the demo system then holds.
// The command lines run in one CLI worker process (test/helpers/cli-worker.ts: start-up paid once);
// the real executable for the run that pauses (exit 5) and the one killed with SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startDemoSystem, type ApInvoice, type DemoSystem } from '../../assets/demo-system/server.js';
import { cliEnv, cliWorker, EXAMPLES, jsonLines, REPO_ROOT, RPA_JS, runCli, tempDir } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

const EXAMPLE = path.join(EXAMPLES, 'invoice-intake.json');
const FOLDER = path.join(EXAMPLES, 'invoices');
const UNCERTAIN = 'invoice-101-classic.pdf';
const CORRECT_DUE_DATE = '2024-02-07';

interface Expected {
  file: string;
  vendor: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  total: number;
}

/** What is printed on each bundled invoice (its ground-truth file), in file order. */
const bundled: Expected[] = readdirSync(FOLDER)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => {
    const { file, truth } = JSON.parse(readFileSync(path.join(FOLDER, name), 'utf8')) as { file: string; truth: Omit<Expected, 'file'> };
    return { file, vendor: truth.vendor, invoiceNumber: truth.invoiceNumber, invoiceDate: truth.invoiceDate, dueDate: truth.dueDate, total: truth.total };
  });

const stored = (invoices: ApInvoice[]) => invoices.map(({ enteredAt: _, ...rest }) => rest);

describe('invoice intake example (read, extract, review, enter)', { concurrency: false }, () => {
  let demo: DemoSystem;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let csv: string;

  before(async () => {
    demo = await startDemoSystem({ port: 0, slowMs: 0 });
    assert.deepEqual(bundled.map((b) => b.file), ['invoice-001-classic.pdf', 'invoice-003-compact.pdf', UNCERTAIN, 'invoice-102-compact.pdf']);
  });
  after(() => demo.close());
  beforeEach(() => {
    demo.reset();
    home = tempDir('invoice-intake');
    env = cliEnv(home);
    csv = path.join(home, 'summary.csv');
  });

  const runArgs = (): string[] => ['run', EXAMPLE, '--input', `baseUrl=${demo.url}`, '--input', `outFile=${csv}`];
  const openReviews = async (): Promise<Array<Record<string, unknown>>> => {
    const listed = await rpa(['reviews', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    return jsonLines(listed.stdout);
  };
  const lastRunStatus = async (): Promise<string> => String(jsonLines((await rpa(['runs', '--json'], env)).stdout)[0]!['status']);

  /** The review of the uncertain invoice: its fields, confidences and the failed date check. */
  const checkTask = (task: Record<string, unknown>): void => {
    assert.equal(task['title'], `Check invoice ${UNCERTAIN}`);
    assert.equal(task['automation'], 'acme.invoice-intake');
    const fields = task['fields'] as Array<{ name: string; value: unknown; confidence: number; problems: string[] }>;
    const printed = bundled.find((b) => b.file === UNCERTAIN)!;
    assert.deepEqual(
      fields.map((f) => [f.name, f.value]),
      [['vendor', printed.vendor], ['invoiceNumber', printed.invoiceNumber], ['invoiceDate', printed.invoiceDate], ['dueDate', printed.dueDate], ['total', printed.total]],
    );
    const due = fields.find((f) => f.name === 'dueDate')!;
    assert.ok(due.problems.some((p) => p.includes(`dueDate (${printed.dueDate}) must be after invoiceDate (${printed.invoiceDate})`)), due.problems.join('; '));
    for (const name of ['vendor', 'invoiceNumber', 'total']) {
      const field = fields.find((f) => f.name === name)!;
      assert.ok(field.confidence >= 0.8 && field.problems.length === 0, `${name} is certain: ${JSON.stringify(field)}`);
    }
  };

  it('pauses (exit 5) for the invoice with impossible dates; --set corrects it; all four are entered', async () => {
    const run = await runCli(runArgs(), env);
    assert.equal(run.code, 5, run.stdout.slice(-2000) + run.stderr);
    assert.deepEqual(demo.state.invoices, [], 'nothing is entered before the review is answered');
    const reviews = await openReviews();
    assert.equal(reviews.length, 1, 'only the uncertain invoice needs a person');
    const task = reviews[0]!;
    checkTask(task);
    assert.match(run.stderr, new RegExp(`rpa review ${String(task['id'])} --approve`));
    assert.equal(await lastRunStatus(), 'paused');

    const resolved = await rpa(['review', String(task['id']), '--set', `dueDate=${CORRECT_DUE_DATE}`, '--by', 'ap-clerk'], env);
    assert.equal(resolved.code, 0, resolved.stdout.slice(-3000) + resolved.stderr);
    assert.match(resolved.stdout, /corrected by ap-clerk/);
    assert.equal(await lastRunStatus(), 'passed');
    assert.deepEqual(await openReviews(), []);

    const expected = bundled.map((b) => (b.file === UNCERTAIN ? { ...b, dueDate: CORRECT_DUE_DATE } : b));
    assert.deepEqual(
      stored(demo.state.invoices),
      expected.map(({ file: _, ...fields }, i) => ({ document: `AP-2004-00000${i + 1}`, ...fields, currency: 'USD', enteredBy: 'clerk' })),
    );
    assert.equal(
      readFileSync(csv, 'utf8'),
      [
        'file,status,vendor,invoiceNumber,invoiceDate,dueDate,total,currency,apDocument,note',
        ...expected.map((e, i) => `${e.file},entered,${e.vendor},${e.invoiceNumber},${e.invoiceDate},${e.dueDate},${e.total},USD,AP-2004-00000${i + 1},`),
        '',
      ].join('\n'),
    );
  });

  it('--wait-review killed with SIGKILL: the pause survives; approved from a new process, the system itself refuses the bad dates', async () => {
    const child = spawn(process.execPath, [RPA_JS, ...runArgs(), '--wait-review'], { cwd: REPO_ROOT, env, stdio: 'ignore' });
    let reviews: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 600 && reviews.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      reviews = await openReviews();
    }
    assert.equal(reviews.length, 1, 'a review task appears while the process waits');
    assert.equal(child.exitCode, null, 'the process is still waiting for the review');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    assert.equal(await lastRunStatus(), 'paused');
    assert.deepEqual(demo.state.invoices, []);
    const [task] = await openReviews();
    checkTask(task!);

    // Approved unchanged: the bot enters it, and the claims system's own check turns it away.
    const approved = await rpa(['review', String(task!['id']), '--approve'], env);
    assert.equal(approved.code, 0, approved.stdout.slice(-3000) + approved.stderr);
    assert.equal(await lastRunStatus(), 'passed');
    const accepted = bundled.filter((b) => b.file !== UNCERTAIN);
    assert.deepEqual(stored(demo.state.invoices).map((i) => [i.document, i.invoiceNumber]), accepted.map((b, i) => [`AP-2004-00000${i + 1}`, b.invoiceNumber]));
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(rows.length, 5);
    const refused = rows.find((row) => row.startsWith(UNCERTAIN))!;
    assert.match(refused, /,refused,.*,Due date cannot be before the invoice date\.$/);
  });

  it('a rejected review sets that invoice aside; the others are entered', async () => {
    assert.equal((await rpa(runArgs(), env)).code, 5);
    const [task] = await openReviews();
    const rejected = await rpa(['review', String(task!['id']), '--reject', 'due date unclear, ask the vendor', '--by', 'sam'], env);
    assert.equal(rejected.code, 0, rejected.stdout.slice(-3000) + rejected.stderr);
    assert.deepEqual(stored(demo.state.invoices).map((i) => i.invoiceNumber), bundled.filter((b) => b.file !== UNCERTAIN).map((b) => b.invoiceNumber));
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    assert.ok(rows.includes(`${UNCERTAIN},rejected,,,,,,,,"rejected by sam: due date unclear, ask the vendor"`), rows.join('\n'));
    assert.equal(rows.filter((row) => row.includes(',entered,')).length, 3);
  });
});
