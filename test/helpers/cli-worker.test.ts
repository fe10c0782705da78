// The CLI worker (cli-worker.ts) answers like the real `rpa` for the commands the e2e tests send
// it: `rpa run` and `rpa review` too, and it is still there for the next command after the grace in
// which a real `rpa run` would leave; a command reads the stdin it was sent.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { EXIT_GRACE_MS } from '../../cli/commands/run.js';
import { cliEnv, cliWorker, jsonLines, runCli, tempDir, writeAutomation } from './env.js';

const worker = cliWorker();
after(() => worker.close());

describe('the CLI worker', { timeout: 120_000 }, () => {
  it('runs rpa run like the executable, and is still there after the run\'s exit grace', { timeout: 120_000 }, async () => {
    const home = tempDir('cli-worker');
    const env = cliEnv(home);
    writeAutomation(home, 'hello.json', { format: 1, id: 'worker.hello', name: 'Hello', version: '1.0.0', steps: [{ kind: 'log', message: 'hello' }] });
    const inWorker = await worker.run(['run', 'hello.json', '--json'], env, home);
    const real = await runCli(['run', 'hello.json', '--json'], env, home);
    for (const result of [inWorker, real]) {
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(jsonLines(result.stdout).map((event) => event['type']).at(-1), 'run.finished');
    }
    // A real `rpa run` leaves EXIT_GRACE_MS after its run if something still holds it; the worker
    // is held by its channel on purpose and must not leave (this waits out the grace: the point).
    await delay(EXIT_GRACE_MS * 2);
    const runs = await worker.run(['runs', '--json'], env, home);
    assert.equal(runs.code, 0, runs.stderr);
    assert.equal(jsonLines(runs.stdout).length, 2);
  });

  it('gives a command the stdin it was sent', { timeout: 60_000 }, async () => {
    const home = tempDir('cli-worker-stdin');
    const env = cliEnv(home, { RPA_VAULT_KEY: Buffer.alloc(32, 7).toString('base64') });
    const set = await worker.run(['secret', 'set', 'token'], env, home, 'from-stdin\n');
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /stored secret "token"/);
    const empty = await worker.run(['secret', 'set', 'other'], env, home);
    assert.equal(empty.code, 2, 'no stdin sent: nothing to read');
    assert.match(empty.stderr, /no value given for secret "other"/);
  });
});
