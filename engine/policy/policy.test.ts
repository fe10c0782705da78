import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { assertAuditServerAllowed, assertRecorderAllowed, assertSchedulesAllowed, effectiveModels, effectiveSettings, packageRequirements } from './effective.js';
import { publicKeyId } from '../package/keys.js';
import { defaultPolicyFile, loadPolicy, parsePolicy, PolicyInvalidError, PolicyViolationError, requirePolicy, type PolicyState } from './policy.js';

const publisher = generateKeyPairSync('ed25519');
const PEM = publisher.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const DER64 = publisher.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');

const full = {
  version: 1,
  owner: 'Finance IT',
  auditServer: { url: 'https://audit.example.com', enrollmentToken: 'enroll-0123456789abcdef' },
  automations: { requireSigned: true, trustedPublishers: [{ name: 'Automation CoE', publicKey: PEM }] },
  models: { allowedEndpoints: ['https://llm.internal.example.com/v1'] },
  recorder: { enabled: false },
  schedules: { allowed: false },
  updates: { feedUrl: 'https://audit.example.com/updates/', rolloutPercent: 25 },
};

function ok(json: unknown): Extract<PolicyState, { status: 'ok' }> {
  const state = parsePolicy(JSON.stringify(json), '/etc/rpa-studio/policy.json');
  assert.equal(state.status, 'ok', state.status === 'invalid' ? state.error.message : '');
  return state;
}

function problems(json: unknown): string {
  const state = parsePolicy(typeof json === 'string' ? json : JSON.stringify(json), '/p.json');
  assert.equal(state.status, 'invalid');
  return (state).error.message;
}

describe('machine policy', () => {
  it('lives at each operating system standard location', () => {
    assert.equal(defaultPolicyFile({}, 'linux'), '/etc/rpa-studio/policy.json');
    assert.equal(defaultPolicyFile({}, 'darwin'), '/Library/Application Support/RPA Studio/policy.json');
    assert.equal(defaultPolicyFile({ ProgramData: 'D:\\ProgramData' }, 'win32'), 'D:\\ProgramData\\RPA Studio\\policy.json');
  });

  it('reads a full policy and fills defaults', () => {
    const { policy } = ok(full);
    assert.equal(policy.updates?.channel, 'latest');
    assert.equal(policy.updates?.enabled, true);
    assert.equal(policy.automations?.trustedPublishers[0]?.name, 'Automation CoE');
    // The key may also be given as base64 DER.
    ok({ version: 1, automations: { requireSigned: true, trustedPublishers: [{ name: 'x', publicKey: DER64 }] } });
  });

  it('names every problem of an invalid policy', () => {
    assert.match(problems('{ not json'), /not valid JSON/);
    assert.match(problems({ version: 2 }), /version: expected "version": 1/);
    assert.match(problems({ version: 1, recorder: { enabled: 'no' } }), /recorder\.enabled/);
    assert.match(problems({ version: 1, unknownKey: true }), /unknownKey|Unrecognized/);
    assert.match(problems({ version: 1, automations: { requireSigned: true, trustedPublishers: [] } }), /requireSigned needs at least one trusted publisher/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    assert.match(problems({ version: 1, automations: { requireSigned: true, trustedPublishers: [{ name: 'x', publicKey: rsa }] } }), /Ed25519/);
    assert.match(problems({ version: 1, updates: { feedUrl: 'ftp://x/', rolloutPercent: 101 } }), /http\(s\) URL[\s\S]*rolloutPercent/);
    assert.match(problems({ version: 1, auditServer: { url: 'https://a.example', enrollmentToken: 'short' } }), /at least 16/);
  });

  it('loads from the environment override; a missing override file is invalid (fail closed), a missing default is none', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-policy-'));
    try {
      const file = path.join(dir, 'policy.json');
      assert.equal(loadPolicy({ RPA_POLICY_FILE: file }).status, 'invalid');
      assert.throws(() => requirePolicy(loadPolicy({ RPA_POLICY_FILE: file })), PolicyInvalidError);
      writeFileSync(file, JSON.stringify(full));
      const state = loadPolicy({ RPA_POLICY_FILE: file });
      assert.equal(state.status, 'ok');
      assert.equal(requirePolicy(state)?.owner, 'Finance IT');
      writeFileSync(file, '{"version":1,"schedules":{"allowed":"sometimes"}}');
      assert.throws(() => requirePolicy(loadPolicy({ RPA_POLICY_FILE: file })), /no bot may run until IT fixes it: schedules\.allowed/);
      // No override, no file at the OS location (this test machine has none): unmanaged.
      if (loadPolicy({}, 'linux').file === '/etc/rpa-studio/policy.json') assert.notEqual(loadPolicy({}, 'linux').status, 'invalid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the policy wins over user settings, and the view says where each value comes from', () => {
    const user = { settings: { models: { providers: [], allowedEndpoints: ['http://127.0.0.1:9999'] }, browser: { headless: false } }, enrolledServer: 'https://other.example.com' };
    const managed = effectiveSettings(ok(full), user);
    const get = (key: string) => managed.settings.find((s) => s.key === key)!;
    assert.deepEqual(get('models.allowedEndpoints'), { key: 'models.allowedEndpoints', label: 'Model endpoints allowed', value: ['https://llm.internal.example.com/v1'], source: 'policy' });
    assert.equal(get('auditServer.url').value, 'https://audit.example.com');
    assert.equal(get('auditServer.url').source, 'policy');
    assert.equal(get('recorder.enabled').value, false);
    assert.equal(get('automations.trustedPublishers').value.toString(), `Automation CoE (${publicKeyId(PEM)})`);
    assert.equal(get('browser.headless').source, 'user');
    assert.equal(managed.policy.owner, 'Finance IT');
    // The enrollment token is a credential: it is not part of the view.
    assert.doesNotMatch(JSON.stringify(managed), /enroll-0123456789abcdef/);

    const unmanaged = effectiveSettings({ status: 'none', file: '/etc/rpa-studio/policy.json' }, user);
    const uget = (key: string) => unmanaged.settings.find((s) => s.key === key)!;
    assert.deepEqual(uget('models.allowedEndpoints').value, ['http://127.0.0.1:9999']);
    assert.equal(uget('models.allowedEndpoints').source, 'user');
    assert.equal(uget('auditServer.url').value, 'https://other.example.com');
    assert.equal(uget('recorder.enabled').source, 'default');

    // The models settings the runner uses carry the policy's list, not the user's.
    assert.deepEqual(effectiveModels(user.settings.models, ok(full).policy)?.allowedEndpoints, ['https://llm.internal.example.com/v1']);
    assert.deepEqual(effectiveModels(user.settings.models, undefined)?.allowedEndpoints, ['http://127.0.0.1:9999']);
    assert.deepEqual(effectiveModels(undefined, ok({ version: 1, models: { allowedEndpoints: [] } }).policy), { providers: [], allowedEndpoints: [] });
  });

  it('enforces recorder, schedules, audit server and signatures', () => {
    const managed = ok(full);
    assert.throws(() => assertRecorderAllowed(managed), PolicyViolationError);
    assert.throws(() => assertSchedulesAllowed(managed), /schedules are not allowed/);
    assert.doesNotThrow(() => assertAuditServerAllowed(managed, 'https://audit.example.com/'));
    assert.throws(() => assertAuditServerAllowed(managed, 'https://evil.example.com'), /not allowed/);
    assert.deepEqual(packageRequirements(managed.policy), { requireSignature: true, trusted: managed.policy.automations!.trustedPublishers });
    assert.deepEqual(packageRequirements(undefined), { requireSignature: false });

    const none: PolicyState = { status: 'none', file: 'x' };
    assert.doesNotThrow(() => assertRecorderAllowed(none));
    assert.doesNotThrow(() => assertSchedulesAllowed(none));
    const invalid = parsePolicy('[]', '/p.json');
    assert.throws(() => assertRecorderAllowed(invalid), PolicyInvalidError);
    assert.throws(() => assertSchedulesAllowed(invalid), PolicyInvalidError);
  });
});
