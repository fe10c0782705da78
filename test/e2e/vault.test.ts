// The credentials vault from the outside: `rpa secret` and a run that uses a vaulted
// secret, after which its value must be nowhere on disk, in the events or in `rpa show`. The
// command lines run in one CLI worker process (test/helpers/cli-worker.ts: start-up paid once);
// the real executable for the first value set through a stdin pipe.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { Engine } from '../../engine/api.js';
import type { RunEvent } from '../../engine/events.js';
import { resolveHome } from '../../engine/home.js';
import { envSecretProvider } from '../../engine/secrets.js';
import { Vault, vaultSecretProvider } from '../../engine/vault/vault.js';
import { readHidden, type HiddenInput } from '../../cli/commands/secret.js';
import { cliEnv, cliWorker, RPA_JS, tempDir, writeAutomation, type CliResult } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;
/** In the worker, with `stdin` piped to the command. */
const rpaWithStdin = (args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<CliResult> => worker.run(args, env, undefined, stdin);

const VALUE = 'Vau1t-s3cret-value-for-e2e';

function runCliWithStdin(args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RPA_JS, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('rpa secret', () => {
  it('set reads stdin, list shows names only, remove deletes', async () => {
    const env = cliEnv(tempDir('vault'));
    const set = await runCliWithStdin(['secret', 'set', 'portalToken'], env, `${VALUE}\n`);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout.trim(), `stored secret "portalToken" in the vault (vault key: key file ${path.join(env['RPA_HOME']!, 'vault.key')})`);
    assert.match(set.stderr, /^note: the vault key is kept in .*vault\.key \(mode 0600\), not in an OS keychain: RPA_VAULT_KEYCHAIN=off$/m);
    const replaced = await rpaWithStdin(['secret', 'set', 'portalToken'], env, `${VALUE}\n`);
    assert.match(replaced.stdout, /replaced secret "portalToken"/);

    const list = await rpa(['secret', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^NAME +UPDATED\nportalToken +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/);
    const json = await rpa(['secret', 'list', '--json'], env);
    assert.deepEqual(Object.keys(JSON.parse(json.stdout) as object), ['name', 'updatedAt']);
    for (const out of [set, replaced, list, json]) assert.ok(!(out.stdout + out.stderr).includes(VALUE));

    // Exactly one trailing newline was stripped: the value is what was typed.
    const home = resolveHome(env);
    const vault = Vault.open(home, env);
    assert.equal(vault.get('portalToken'), VALUE);
    vault.close();

    const removed = await rpa(['secret', 'remove', 'portalToken'], env);
    assert.equal(removed.code, 0, removed.stderr);
    const again = await rpa(['secret', 'remove', 'portalToken'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no secret "portalToken" in the vault/);
    assert.match((await rpa(['secret', 'list'], env)).stdout, /no secrets in the vault/);
  });

  it('refuses a value on the command line, without echoing it (exit 2)', async () => {
    const env = cliEnv(tempDir('vault'));
    const result = await rpaWithStdin(['secret', 'set', 'portalToken', VALUE], env, 'from-stdin\n');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /refusing to take a secret value from the command line/);
    assert.ok(!result.stderr.includes(VALUE) && !result.stdout.includes(VALUE));
    assert.match((await rpa(['secret', 'list'], env)).stdout, /no secrets/, 'nothing stored');
  });

  it('usage errors exit 2: no name, bad name, empty stdin, unknown verb', async () => {
    const env = cliEnv(tempDir('vault'));
    for (const args of [['secret'], ['secret', 'set'], ['secret', 'set', '9lives'], ['secret', 'set', 'ok'], ['secret', 'frobnicate'], ['secret', 'list', 'extra']]) {
      const result = await rpa(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^rpa secret: /);
    }
    assert.match((await rpa(['secret', 'set', 'ok'], env)).stderr, /no value given for secret "ok"/);
  });

  it('a too-open key file is refused with the chmod to run', { skip: process.platform === 'win32' }, async () => {
    const dir = tempDir('vault');
    const env = cliEnv(dir);
    assert.equal((await rpaWithStdin(['secret', 'set', 'a'], env, 'value-a')).code, 0);
    const keyFile = path.join(dir, 'vault.key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const { chmodSync } = await import('node:fs');
    chmodSync(keyFile, 0o604);
    const result = await rpaWithStdin(['secret', 'set', 'b'], env, 'value-b');
    assert.equal(result.code, 2, 'nothing done: a setup problem, exit 2 like the other vault key problems');
    assert.ok(result.stderr.includes(`chmod 600 ${keyFile}`), result.stderr);
  });
});

describe('readHidden', () => {
  type FakeTty = PassThrough & HiddenInput & { modes: boolean[] };
  function fakeTty(): FakeTty {
    const stream = new PassThrough() as FakeTty;
    stream.modes = [];
    stream.setRawMode = (mode: boolean) => stream.modes.push(mode);
    return stream;
  }

  it('reads a line without echoing it, honouring backspace; Ctrl-C cancels', async () => {
    const input = fakeTty();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const pending = readHidden('Value: ', input, output);
    input.write('hunter22');
    input.write('\u007fX\r');
    assert.equal(await pending, 'hunter2X');
    assert.equal(shown, 'Value: \n');
    assert.deepEqual(input.modes, [true, false]);

    const cancelled = readHidden('Value: ', input, output);
    input.write('abc\u0003');
    assert.equal(await cancelled, undefined);
  });
});

describe('vault end to end', () => {
  it('a vaulted secret used by log, flow.set and flow.fail leaks nowhere', async () => {
    const home = tempDir('vault-e2e');
    const env = cliEnv(home);
    const stored = await rpaWithStdin(['secret', 'set', 'portalToken'], env, VALUE);
    assert.equal(stored.code, 0, stored.stderr);

    const work = tempDir('vault-work');
    const file = writeAutomation(work, 'uses-secret.json', {
      format: 1,
      id: 'vault.e2e',
      name: 'vault e2e',
      version: '1.0.0',
      secrets: ['portalToken'],
      outputs: ['copy'],
      steps: [
        { kind: 'log', message: 'the token is {{secrets.portalToken}}' },
        { kind: 'flow.set', var: 'copy', value: 'wrapped[{{secrets.portalToken}}]' },
        { kind: 'log', message: 'copy is {{vars.copy}}' },
        { kind: 'flow.fail', message: 'failing with {{secrets.portalToken}} and {{vars.copy}}' },
      ],
    });

    const vault = Vault.open(resolveHome(env), env);
    const engine = Engine.open({ env, secrets: vaultSecretProvider(vault, envSecretProvider(env)) });
    const events: RunEvent[] = [];
    let storedEvents: RunEvent[];
    let result;
    try {
      result = await engine.run({ file }, (event) => events.push(event));
      storedEvents = engine.events(result.runId);
    } finally {
      engine.close();
      vault.close();
    }
    assert.equal(result.status, 'failed');
    assert.equal(result.error?.name, 'BusinessError');

    const shown = await rpa(['show', result.runId], env);
    assert.equal(shown.code, 0, shown.stderr);
    const shownJson = await rpa(['show', result.runId, '--json'], env);
    const text = [JSON.stringify(events), JSON.stringify(storedEvents), JSON.stringify(result), shown.stdout, shown.stderr, shownJson.stdout, stored.stdout, stored.stderr].join('\n');
    assert.match(text, /the token is ••••••/, 'the log step ran and was masked');
    assert.match(text, /failing with ••••••/);
    assert.ok(!text.includes(VALUE), 'secret leaked into events, result or rpa show');

    const files = filesUnder(home);
    assert.ok(files.some((f) => f.endsWith('runs.db')) && files.some((f) => f.endsWith('vault.key')));
    for (const f of [...files, ...filesUnder(work)]) {
      assert.ok(!readFileSync(f).includes(VALUE), `secret found in ${f}`);
      assert.ok(!readFileSync(f).includes(Buffer.from(VALUE, 'utf16le')), `secret found (UTF-16) in ${f}`);
    }
  });
});
