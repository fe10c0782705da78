// Hostile and unlucky input through the real `rpa`: automations nested thousands deep, a wrong
// vault key, and a data folder other users must not be able to read.
// The command lines run in one CLI worker process (test/helpers/cli-worker.ts: start-up paid once);
// the real executable for the run in a new RPA_HOME whose file modes are checked.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { cliEnv, cliWorker, jsonLines, runCli, tempDir, writeAutomation } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

const posix = process.platform !== 'win32';
const mode = (file: string): number => statSync(file).mode & 0o777;

/** One log step inside `levels` flow.if steps, written as text (JSON.stringify overflows at 3,000). */
function nestedIfs(levels: number): string {
  const open = '{"kind":"flow.if","condition":{"left":1,"op":"equals","right":1},"then":['.repeat(levels);
  return `{"format":1,"id":"deep","name":"Deep","version":"1.0.0","steps":[${open}{"kind":"log","message":"innermost"}${']}'.repeat(levels)}]}`;
}

describe('automations nested too deep', () => {
  it('3,000 nested flow.if: rpa validate and rpa run exit 2 with the JSON path and what to do; 64 levels still run', { timeout: 60_000 }, async () => {
    const dir = tempDir('deep');
    const env = cliEnv(path.join(dir, 'home'));
    const deep = writeAutomation(dir, 'deep.json', nestedIfs(3000));
    for (const command of ['validate', 'run']) {
      const result = await rpa([command, deep], env);
      assert.equal(result.code, 2, `rpa ${command}: ${result.stderr}`);
      assert.doesNotMatch(result.stdout + result.stderr, /Maximum call stack/);
      assert.match(result.stdout + result.stderr, /deep\.json: steps\[0\](\.then\[0\]){64}: this step is nested 65 levels deep .*at most 64 levels are allowed\. Flatten the conditions, or move the inner steps into their own automation and run it with flow\.call/);
    }
    const deepest = writeAutomation(dir, 'deepest-allowed.json', nestedIfs(63));
    const ran = await rpa(['run', deepest, '--json'], env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.ok(jsonLines(ran.stdout).some((event) => event['type'] === 'log' && event['message'] === 'innermost'), 'the innermost step ran');
  });
});

describe('a wrong vault key', () => {
  it('exits 2 with what is wrong and what to do, for rpa run and rpa secret', { timeout: 60_000 }, async () => {
    const dir = tempDir('vault-key');
    const home = path.join(dir, 'home');
    const key = randomBytes(32).toString('base64');
    const set = await rpa(['secret', 'set', 'portalToken'], cliEnv(home, { RPA_VAULT_KEY: key }), undefined, 'the-token-value\n');
    assert.equal(set.code, 0, set.stderr);
    const bot = writeAutomation(dir, 'bot.json', { format: 1, id: 'vault.bot', name: 'Vault bot', version: '1.0.0', secrets: ['portalToken'], steps: [{ kind: 'log', message: 'token {{secrets.portalToken}}' }] });
    assert.equal((await rpa(['run', bot], cliEnv(home, { RPA_VAULT_KEY: key }))).code, 0, 'the right key works');

    const other = await rpa(['run', bot], cliEnv(home, { RPA_VAULT_KEY: randomBytes(32).toString('base64') }));
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, /cannot decrypt secret "portalToken": the vault key differs from the one it was written with \(in use: RPA_VAULT_KEY\); supply the original key, or store the secret again with: rpa secret set portalToken/);

    const malformed = await rpa(['run', bot], cliEnv(home, { RPA_VAULT_KEY: 'not-a-key' }));
    assert.equal(malformed.code, 2, malformed.stderr);
    assert.match(malformed.stderr, /RPA_VAULT_KEY must hold a vault key: the base64 of 32 random bytes/);
    const secret = await rpa(['secret', 'set', 'other'], cliEnv(home, { RPA_VAULT_KEY: 'not-a-key' }), undefined, 'value\n');
    assert.equal(secret.code, 2, secret.stderr);
    assert.match(secret.stderr, /RPA_VAULT_KEY must hold a vault key/);
    assert.doesNotMatch(other.stderr + malformed.stderr, /the-token-value/);
  });
});

describe('the data folder is private', { skip: !posix }, () => {
  it('a new RPA_HOME is 0700, runs.db and its -wal/-shm 0600, artifact folders 0700 and files 0600', { timeout: 90_000 }, async () => {
    const dir = tempDir('private');
    const home = path.join(dir, 'home');
    const bot = writeAutomation(dir, 'shot.json', {
      format: 1,
      id: 'private.shot',
      name: 'Screenshot',
      version: '1.0.0',
      steps: [
        { kind: 'browser.open', url: 'data:text/html,<h1>account 4711</h1>' },
        { kind: 'browser.screenshot', fileName: 'page.png' },
      ],
    });
    const ran = await runCli(['run', bot, '--json'], cliEnv(home));
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(mode(home), 0o700);
    // rpa's last connection removed -wal and -shm; any process that opens the store makes them
    // again, with the store's mode.
    const store = new Database(path.join(home, 'runs.db'), { readonly: true });
    try {
      store.prepare('SELECT count(*) FROM runs').get();
      for (const suffix of ['', '-wal', '-shm']) assert.equal(mode(path.join(home, `runs.db${suffix}`)), 0o600, `runs.db${suffix}`);
    } finally {
      store.close();
    }
    const artifacts = path.join(home, 'artifacts');
    assert.equal(mode(artifacts), 0o700);
    const runDirs = readdirSync(artifacts);
    assert.equal(runDirs.length, 1);
    assert.equal(mode(path.join(artifacts, runDirs[0]!)), 0o700);
    const files = readdirSync(path.join(artifacts, runDirs[0]!));
    assert.ok(files.some((file) => file.endsWith('page.png')), files.join());
    for (const file of files) assert.equal(mode(path.join(artifacts, runDirs[0]!, file)), 0o600, file);
  });

  it('an existing home and store left readable by others are tightened', { timeout: 60_000 }, async () => {
    const dir = tempDir('private-old');
    const home = path.join(dir, 'home');
    const store = path.join(home, 'runs.db');
    assert.equal((await rpa(['runs'], cliEnv(home))).code, 0);
    // What an older rpa left: a 0755 folder and a 0644 store, whose -wal and -shm (created while
    // another process has it open) follow the store's mode.
    chmodSync(home, 0o755);
    chmodSync(store, 0o644);
    const open = new Database(store);
    try {
      open.prepare('SELECT count(*) FROM runs').get();
      for (const suffix of ['-wal', '-shm']) assert.equal(mode(`${store}${suffix}`), 0o644, `precondition: runs.db${suffix} is readable by others`);
      assert.equal((await rpa(['runs'], cliEnv(home))).code, 0);
      assert.equal(mode(home), 0o700);
      for (const suffix of ['', '-wal', '-shm']) assert.equal(mode(`${store}${suffix}`), 0o600, `runs.db${suffix}`);
    } finally {
      open.close();
    }
  });
});
