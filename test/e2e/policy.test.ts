// The machine policy end to end through `rpa`: signed packages only, trusted publishers,
// an invalid policy failing closed, recorder and schedules turned off, policy over user
// settings — and every run record keeping the package hash and signer. The command lines run in
// one CLI worker process (test/helpers/cli-worker.ts: start-up paid once); the real executable for
// a tampered package's refusal (exit 3).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { extraction, OpenAiTestServer } from '../support/openai-test-server.js';
import { cliEnv, cliWorker, REPO_ROOT, runCli, tempDir, writeAutomation } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

const doc = {
  format: 1,
  id: 'policy.demo',
  name: 'Policy demo',
  version: '1.2.0',
  steps: [
    { kind: 'log', message: 'hello from a package' },
    { kind: 'flow.set', var: 'total', value: 42 },
  ],
  outputs: ['total'],
};

interface Fixture {
  dir: string;
  json: string;
  pkg: string;
  publisher: string;
  stranger: string;
  signedByStranger: string;
  unsigned: string;
}

let fx: Fixture;

function writePolicy(dir: string, name: string, policy: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2));
  return file;
}

function runsOf(home: string): Array<Record<string, unknown>> {
  const file = path.join(home, 'runs.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT id, status, automation_id, package_sha256, package_signer FROM runs').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

before(async () => {
  const dir = tempDir('policy');
  const src = path.join(dir, 'bot');
  mkdirSync(src);
  writeAutomation(src, 'automation.json', doc);
  writeFileSync(path.join(src, 'sample.csv'), 'invoice,total\nA-1,42\n');
  const env = cliEnv(path.join(dir, 'home-build'));
  const must = async (args: string[]): Promise<string> => {
    const result = await rpa(args, env, dir);
    assert.equal(result.code, 0, `rpa ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  await must(['keygen', '--out', path.join(dir, 'coe')]);
  await must(['keygen', '--out', path.join(dir, 'stranger')]);
  const unsigned = path.join(dir, 'unsigned.rpapkg');
  await must(['pack', src, '--out', unsigned]);
  const pkg = path.join(dir, 'bot.rpapkg');
  await must(['pack', src, '--out', pkg]);
  await must(['sign', pkg, '--key', path.join(dir, 'coe'), '--signer', 'Automation CoE']);
  const signedByStranger = path.join(dir, 'stranger.rpapkg');
  await must(['pack', src, '--out', signedByStranger]);
  await must(['sign', signedByStranger, '--key', path.join(dir, 'stranger')]);
  fx = {
    dir,
    json: path.join(src, 'automation.json'),
    pkg,
    publisher: readFileSync(path.join(dir, 'coe.pub'), 'utf8'),
    stranger: readFileSync(path.join(dir, 'stranger.pub'), 'utf8'),
    signedByStranger,
    unsigned,
  };
});

describe('machine policy through rpa', () => {
  it('with no policy, plain files and packages both run; the package run keeps its hash', async () => {
    const home = tempDir('policy-none');
    const env = cliEnv(home);
    assert.equal((await rpa(['run', fx.json], env)).code, 0);
    const result = await rpa(['run', fx.pkg, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const runs = runsOf(home);
    assert.equal(runs.length, 2);
    const fromPackage = runs.find((r) => r['package_sha256']);
    assert.ok(fromPackage, 'the package run records its hash');
    assert.match(String(fromPackage['package_sha256']), /^[0-9a-f]{64}$/);
    // A schedule can run a package: it keeps the package's path, not the unpacked copy.
    const added = await rpa(['schedule', 'add', fx.pkg, '--cron', '0 9 * * 1-5'], env);
    assert.equal(added.code, 0, added.stderr);
    const listed = await rpa(['schedule', 'list'], env);
    assert.ok(listed.stdout.includes(fx.pkg), listed.stdout);
  });

  it('requireSigned: a trusted package runs and its record keeps hash and signer; plain files, unsigned and untrusted packages are refused before anything runs', async () => {
    const home = tempDir('policy-signed');
    const policy = writePolicy(fx.dir, 'signed.json', { version: 1, automations: { requireSigned: true, trustedPublishers: [{ name: 'Automation CoE', publicKey: fx.publisher }] } });
    const env = cliEnv(home, { RPA_POLICY_FILE: policy });

    const plain = await rpa(['run', fx.json], env);
    assert.equal(plain.code, 4, plain.stderr);
    assert.match(plain.stderr, /only runs signed automation packages.*plain automation file/);

    const unsigned = await rpa(['run', fx.unsigned], env);
    assert.equal(unsigned.code, 3, unsigned.stderr);
    assert.match(unsigned.stderr, /not signed|unsigned/i);

    const untrusted = await rpa(['run', fx.signedByStranger], env);
    assert.equal(untrusted.code, 3, untrusted.stderr);
    assert.match(untrusted.stderr, /trust/i);
    assert.equal(runsOf(home).length, 0, 'refused runs leave no run record');

    const ok = await rpa(['run', fx.pkg, '--json'], env);
    assert.equal(ok.code, 0, ok.stderr);
    const runs = runsOf(home);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!['status'], 'passed');
    assert.match(String(runs[0]!['package_sha256']), /^[0-9a-f]{64}$/);
    const signer = JSON.parse(String(runs[0]!['package_signer'])) as { keyId: string; trustedAs?: string };
    assert.equal(signer.trustedAs, 'Automation CoE');
    assert.match(signer.keyId, /^[0-9a-f]{16}$/);

    // rpa show tells which signed bytes ran; the audit record of run.started carries it too.
    const show = await rpa(['show', String(runs[0]!['id'])], env);
    assert.match(show.stdout, new RegExp(`package +sha256 ${String(runs[0]!['package_sha256'])} +signed by Automation CoE \\(key ${signer.keyId}\\)`));
    const db = new Database(path.join(home, 'runs.db'), { readonly: true });
    const audit = db.prepare("SELECT record_json FROM audit_outbox WHERE record_json LIKE '%run.started%'").all() as Array<{ record_json: string }>;
    db.close();
    assert.equal(audit.length, 1);
    assert.match(audit[0]!.record_json, new RegExp(String(runs[0]!['package_sha256'])));
  });

  it('a tampered package is refused even without a policy', async () => {
    const home = tempDir('policy-tamper');
    const bytes = readFileSync(fx.pkg);
    const at = bytes.indexOf(Buffer.from('hello from a package'));
    assert.ok(at > 0);
    bytes[at] = 'j'.charCodeAt(0);
    const tampered = path.join(fx.dir, 'tampered.rpapkg');
    writeFileSync(tampered, bytes);
    const result = await runCli(['run', tampered], cliEnv(home));
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /automation\.json/);
    assert.equal(runsOf(home).length, 0);
  });

  it('an invalid policy fails closed: no run, no recording, no schedule, each says why', async () => {
    const home = tempDir('policy-invalid');
    const policy = writePolicy(fx.dir, 'invalid.json', { version: 1, recorder: { enabled: 'maybe' } });
    const env = cliEnv(home, { RPA_POLICY_FILE: policy });
    const run = await rpa(['run', fx.json], env);
    assert.equal(run.code, 4);
    assert.match(run.stderr, /invalid\.json is invalid, so no bot may run until IT fixes it: recorder\.enabled/);
    assert.equal(runsOf(home).length, 0);
    const record = await rpa(['record', '--out', path.join(home, 'x.json')], env);
    assert.equal(record.code, 4);
    assert.match(record.stderr, /no bot may run/);
    const schedule = await rpa(['schedule', 'add', fx.json, '--cron', '0 9 * * *'], env);
    assert.equal(schedule.code, 4);
    const show = await rpa(['policy'], env);
    assert.equal(show.code, 4);
    assert.match(show.stdout, /INVALID/);
    // A policy file named by the override that does not exist is invalid too.
    const missing = await rpa(['run', fx.json], cliEnv(home, { RPA_POLICY_FILE: path.join(fx.dir, 'nope.json') }));
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /does not exist/);
  });

  it('recorder off and schedules not allowed are enforced; the policy wins over user settings', async () => {
    const home = tempDir('policy-controls');
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ models: { providers: [], allowedEndpoints: ['http://127.0.0.1:9/v1'] } }));
    const policy = writePolicy(fx.dir, 'controls.json', { version: 1, owner: 'Finance IT', recorder: { enabled: false }, schedules: { allowed: false }, models: { allowedEndpoints: ['https://llm.internal.example.com/v1'] } });
    const env = cliEnv(home, { RPA_POLICY_FILE: policy });
    const record = await rpa(['record', '--desktop', '--out', path.join(home, 'x.json')], env);
    assert.equal(record.code, 4);
    assert.match(record.stderr, /recorder is turned off on this machine by its policy/);
    const schedule = await rpa(['schedule', 'add', fx.json, '--cron', '0 9 * * *'], env);
    assert.equal(schedule.code, 4);
    assert.match(schedule.stderr, /schedules are not allowed/);
    // Plain files still run by hand: the policy does not require signatures.
    assert.equal((await rpa(['run', fx.json], env)).code, 0);

    const shown = await rpa(['policy', '--json'], env);
    assert.equal(shown.code, 0, shown.stderr);
    const view = JSON.parse(shown.stdout) as { policy: { status: string; owner: string }; settings: Array<{ key: string; value: unknown; source: string }> };
    assert.equal(view.policy.status, 'ok');
    assert.equal(view.policy.owner, 'Finance IT');
    const endpoints = view.settings.find((s) => s.key === 'models.allowedEndpoints')!;
    assert.deepEqual(endpoints, { key: 'models.allowedEndpoints', label: 'Model endpoints allowed', value: ['https://llm.internal.example.com/v1'], source: 'policy' });

    const check = await rpa(['policy', 'check', policy], env);
    assert.equal(check.code, 0);
    const bad = await rpa(['policy', 'check', writePolicy(fx.dir, 'bad.json', '{"version":1,"schedules":{}}')], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /schedules\.allowed/);
  });

  it('rpa enroll to a server other than the policy names is refused', async () => {
    const home = tempDir('policy-enroll');
    const policy = writePolicy(fx.dir, 'audit.json', { version: 1, auditServer: { url: 'https://audit.example.com' } });
    const result = await rpa(['enroll', 'http://127.0.0.1:1/', 'token-0123456789abcdef'], cliEnv(home, { RPA_POLICY_FILE: policy }));
    assert.equal(result.code, 4);
    assert.match(result.stderr, /sends run logs to https:\/\/audit\.example\.com; enrolling with http:\/\/127\.0\.0\.1:1\/ is not allowed/);
  });

  it('model calls go only to endpoints the policy allows, whatever the user settings say; nothing is sent elsewhere', async () => {
    const server = await OpenAiTestServer.start({ apiKey: 'sk-policy-test-0042', model: 'gpt-test', fields: ['invoiceNumber'] });
    try {
      const home = tempDir('policy-models');
      // The user allows the test server; the policy allows only the company's endpoint.
      writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ models: { providers: [{ name: 'test', kind: 'openai', baseUrl: server.url, model: 'gpt-test', apiKeySecret: 'MODELKEY' }], allowedEndpoints: [server.url] } }));
      const extract = { format: 1, id: 'policy.model', name: 'Model call', version: '1.0.0', outputs: ['invoice'], steps: [{ kind: 'ai.extract', provider: 'test', document: 'Invoice INV-7 total 10.00', fields: [{ name: 'invoiceNumber', type: 'string', required: true }], into: 'invoice' }] };
      const bot = writeAutomation(home, 'model.json', extract);
      const allowed = writePolicy(fx.dir, 'models-open.json', { version: 1, models: { allowedEndpoints: [server.url] } });
      const closed = writePolicy(fx.dir, 'models-closed.json', { version: 1, models: { allowedEndpoints: ['https://llm.internal.example.com/v1'] } });
      assert.equal((await rpa(['secret', 'set', 'MODELKEY'], cliEnv(home), REPO_ROOT, 'sk-policy-test-0042')).code, 0);

      const refused = await rpa(['run', bot], cliEnv(home, { RPA_POLICY_FILE: closed }));
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stdout + refused.stderr, /not in models\.allowedEndpoints \(https:\/\/llm\.internal\.example\.com\/v1\); nothing was sent/);
      assert.equal(server.requests.length, 0, 'no request reached the endpoint the policy does not allow');

      server.enqueue(extraction({ invoiceNumber: { value: 'INV-7', confidence: 0.99 } }));
      const ok = await rpa(['run', bot], cliEnv(home, { RPA_POLICY_FILE: allowed }));
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });
});
