// Runs the test files named on its command line in the order given, as `node --test` would run
// them otherwise. Node 20's `node --test a b c` sorts its files by path before it starts them;
// its run() API keeps the order, which is what scripts/test.mjs needs to start the longest files
// first. scripts/test.mjs starts this module with the `node --test` options as Node options
// (`node --test-concurrency=2 --test-timeout=600000 --test-force-exit scripts/test-files.mjs …`):
// each test file's process inherits them from here, as from `node --test`, so a test's timeout
// and the forced exit apply inside every file just the same. Here they set what the CLI sets:
// how many files at once, the time limit of each, the reporters, and exit code 1 when a test that
// is not a todo fails.
import { createWriteStream, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from 'node:test';
import * as builtinReporters from 'node:test/reporters';
import { pathToFileURL } from 'node:url';
import { failureSummary } from './test-summary.mjs';

/** Every value of a Node option given to this process (`--name=value` or `--name value`). */
function optionValues(name) {
  const values = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith(`${name}=`)) values.push(argv[i].slice(name.length + 1));
    else if (argv[i] === name && i + 1 < argv.length) values.push(argv[++i]);
  }
  return values;
}
const hasOption = (name) => process.execArgv.includes(name);

// Arguments: --test-name-pattern=… and --test-only (which tests run inside each file; run() hands
// them to every file's process), then the files.
const args = process.argv.slice(2);
const testNamePatterns = args.filter((arg) => arg.startsWith('--test-name-pattern=')).map((arg) => arg.slice('--test-name-pattern='.length));
const only = args.includes('--test-only');
const files = args.filter((arg) => !arg.startsWith('--'));
const concurrencyText = optionValues('--test-concurrency').at(-1);
const timeoutText = optionValues('--test-timeout').at(-1);
const concurrency = concurrencyText === undefined ? Math.max(os.availableParallelism() - 1, 1) : Number(concurrencyText);
const timeout = timeoutText === undefined || Number(timeoutText) === 0 ? Infinity : Number(timeoutText);
for (const [what, value] of [['--test-concurrency', concurrency], ['--test-timeout', timeout]]) {
  if (!(value > 0)) throw new Error(`${what} must be a positive number, got ${what === '--test-concurrency' ? concurrencyText : timeoutText}`);
}

/** --test-reporter / --test-reporter-destination as `node --test` takes them; spec on a terminal, tap otherwise. */
async function reporters() {
  const names = optionValues('--test-reporter');
  const destinations = optionValues('--test-reporter-destination');
  if (names.length === 0) names.push(process.stdout.isTTY ? 'spec' : 'tap');
  if (destinations.length === 0 && names.length === 1) destinations.push('stdout');
  if (names.length !== destinations.length) throw new Error('each --test-reporter needs its --test-reporter-destination');
  return Promise.all(
    names.map(async (name, i) => {
      let reporter = builtinReporters[name];
      if (reporter === undefined) {
        const module = await import(name.startsWith('.') || path.isAbsolute(name) ? pathToFileURL(path.resolve(name)).href : name);
        reporter = module.default ?? module;
      }
      // As Node decides: a class (spec, a Transform) is constructed; tap, dot and junit are async generator functions.
      const transform = reporter?.prototype && Object.getOwnPropertyDescriptor(reporter.prototype, 'constructor') ? new reporter() : reporter;
      const destination = destinations[i];
      const out = destination === 'stdout' ? process.stdout : destination === 'stderr' ? process.stderr : createWriteStream(destination);
      return { transform, out };
    }),
  );
}

const outputs = await reporters();
const stream = run({ files, concurrency, timeout, forceExit: hasOption('--test-force-exit'), only, ...(testNamePatterns.length ? { testNamePatterns } : {}) });
// Every failed test, listed again once all output is written: CI shows only the tail of a long
// run's output, and a failure in the middle of 1,300 passing tests is otherwise lost there.
const failures = [];
stream.on('test:fail', (data) => {
  if (data.todo !== undefined && data.todo !== false) return;
  process.exitCode = 1;
  if (data.details?.type === 'suite') return;
  failures.push(data);
});
process.on('exit', () => {
  if (failures.length > 0) writeSync(process.stdout.fd, failureSummary(failures));
});
for (const { transform, out } of outputs) stream.compose(transform).pipe(out);
