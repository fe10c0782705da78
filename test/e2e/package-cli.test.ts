// `rpa keygen`, `rpa pack`, `rpa sign`, `rpa verify`: what a publisher and an IT admin type,
// with the exit codes (0 ok, 2 usage or invalid automation, 3 package not acceptable). The command
// lines run in one CLI worker process (test/helpers/cli-worker.ts: start-up paid once); the real
// executable for a tampered package's exit 3.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readArchive, writeArchive } from '../../engine/package/archive.js';
import { cliEnv, cliWorker, EXAMPLES, runCli, tempDir } from '../helpers/env.js';

const worker = cliWorker();
after(() => worker.close());
const rpa = worker.run;

/** A publisher's workspace: a folder with an example automation, the login it calls and its CSV. */
function workspace(): { root: string; dir: string; env: NodeJS.ProcessEnv } {
  const root = tempDir('pkgcli');
  const dir = path.join(root, 'claims');
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  copyFileSync(path.join(EXAMPLES, 'claim-statuses.json'), path.join(dir, 'automation.json'));
  copyFileSync(path.join(EXAMPLES, 'login.json'), path.join(dir, 'login.json'));
  copyFileSync(path.join(EXAMPLES, 'data', 'claims-to-check.csv'), path.join(dir, 'data', 'claims-to-check.csv'));
  return { root, dir, env: cliEnv(path.join(root, 'home')) };
}

describe('rpa keygen / pack / sign / verify', () => {
  it('a publisher signs a package and a machine that trusts the key verifies it (exit 0)', async () => {
    const { root, env } = workspace();
    const keygen = await rpa(['keygen', '--out', 'keys/coe'], env, root);
    assert.equal(keygen.code, 0, keygen.stderr);
    const keyId = /key pair ([0-9a-f]{16})/.exec(keygen.stdout)?.[1];
    assert.ok(keyId, keygen.stdout);
    assert.equal(statSync(path.join(root, 'keys', 'coe')).mode & 0o777, 0o600);
    assert.ok(existsSync(path.join(root, 'keys', 'coe.pub')));

    const pack = await rpa(['pack', 'claims'], env, root);
    assert.equal(pack.code, 0, pack.stderr);
    const hash = /package hash\s+([0-9a-f]{64})/.exec(pack.stdout)?.[1];
    assert.ok(hash, pack.stdout);
    assert.match(pack.stdout, /acme\.claim-statuses-1\.0\.0\.rpapkg/);
    assert.match(pack.stdout, /files\s+3 \(/);
    const pkg = 'acme.claim-statuses-1.0.0.rpapkg';

    const sign = await rpa(['sign', pkg, '--key', 'keys/coe', '--signer', 'Automation CoE'], env, root);
    assert.equal(sign.code, 0, sign.stderr);
    assert.match(sign.stdout, new RegExp(`keyId\\s+${keyId}`));
    assert.doesNotMatch(sign.stdout + sign.stderr, /PRIVATE KEY|MC4CAQAwBQYDK2Vw/, 'the private key is never printed');

    const verify = await rpa(['verify', pkg, '--trust', 'keys/coe.pub'], env, root);
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, new RegExp(`package hash\\s+${hash}`));
    assert.match(verify.stdout, new RegExp(`signed by\\s+coe\\s+key ${keyId}\\s+trusted publisher`));
    assert.match(verify.stdout, /data\/claims-to-check\.csv/);

    const json = await rpa(['verify', pkg, '--trust', 'keys/coe.pub', '--json'], env, root);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as { ok: boolean; sha256: string; signer: { keyId: string; trustedAs: string }; files: Array<{ path: string }> };
    assert.equal(report.ok, true);
    assert.equal(report.sha256, hash);
    assert.deepEqual(report.signer, { keyId, trustedAs: 'coe', claimedName: 'Automation CoE' });
    assert.deepEqual(report.files.map((f) => f.path), ['automation.json', 'data/claims-to-check.csv', 'login.json']);
  });

  it('the signer name in signature.json (not signed) is never shown as who signed', async () => {
    const { root, env } = workspace();
    assert.equal((await rpa(['keygen', '--out', 'coe'], env, root)).code, 0);
    assert.equal((await rpa(['keygen', '--out', 'stranger'], env, root)).code, 0);
    assert.equal((await rpa(['pack', 'claims', '--out', 'claims.rpapkg'], env, root)).code, 0);
    assert.equal((await rpa(['sign', 'claims.rpapkg', '--key', 'coe', '--signer', 'Automation CoE'], env, root)).code, 0);
    // Someone renames the signer: the signature covers the manifest only, so it still verifies.
    const file = path.join(root, 'claims.rpapkg');
    const entries = readArchive(file);
    const signature = JSON.parse(entries.get('signature.json')!.toString('utf8')) as Record<string, unknown>;
    entries.set('signature.json', Buffer.from(JSON.stringify({ ...signature, signer: 'Evil' })));
    writeArchive(file, entries, new Date());

    const trusted = await rpa(['verify', 'claims.rpapkg', '--trust', 'coe.pub'], env, root);
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, /signed by\s+coe\s+key [0-9a-f]{16}\s+trusted publisher/);
    assert.doesNotMatch(trusted.stdout, /Evil/, 'only the trusted name is shown');
    const json = JSON.parse((await rpa(['verify', 'claims.rpapkg', '--trust', 'coe.pub', '--json'], env, root)).stdout) as { signer: Record<string, unknown> };
    assert.equal(json.signer['trustedAs'], 'coe');
    assert.equal(json.signer['claimedName'], 'Evil');
    assert.equal(json.signer['name'], undefined, 'no bare "name" beside trustedAs');

    const unchecked = await rpa(['verify', 'claims.rpapkg'], env, root);
    assert.equal(unchecked.code, 0, unchecked.stderr);
    assert.match(unchecked.stdout, /signed by\s+key [0-9a-f]{16}\s+publisher not checked/);
    assert.doesNotMatch(unchecked.stdout, /signed by\s+Evil/);
    assert.match(unchecked.stdout, /claims to be\s+"Evil"\s+\(self-declared in signature\.json, not covered by the signature\)/);

    const untrusted = await rpa(['verify', 'claims.rpapkg', '--trust', 'stranger.pub'], env, root);
    assert.equal(untrusted.code, 3);
    assert.match(untrusted.stderr, /which is not a trusted publisher \(trusted: stranger \([0-9a-f]{16}\)\); the package calls its signer "Evil", which nothing proves/);

    // rpa show of a run from this package names the key, not "Evil", as the signer.
    const ran = await rpa(['run', 'claims.rpapkg', '--json', '--input', 'baseUrl=http://127.0.0.1:9'], env, root);
    const runId = /"runId":"([^"]+)"/.exec(ran.stdout)?.[1];
    assert.ok(runId, ran.stdout + ran.stderr);
    const shown = await rpa(['show', runId], env, root);
    assert.match(shown.stdout, /signed by key [0-9a-f]{16}, publisher not checked \(the package calls its signer "Evil"; nothing proves that\)/);
    assert.doesNotMatch(shown.stdout, /signed by Evil/);
  });

  it('a changed file, an untrusted key or a missing signature exits 3 and says why', async () => {
    const { root, env } = workspace();
    assert.equal((await rpa(['keygen', '--out', 'coe'], env, root)).code, 0);
    assert.equal((await rpa(['keygen', '--out', 'stranger'], env, root)).code, 0);
    assert.equal((await rpa(['pack', 'claims', '--out', 'claims.rpapkg'], env, root)).code, 0);

    const unsigned = await rpa(['verify', 'claims.rpapkg', '--trust', 'coe.pub'], env, root);
    assert.equal(unsigned.code, 3);
    assert.match(unsigned.stderr, /^rpa verify: claims\.rpapkg: is not signed, and a signature is required/);
    const integrityOnly = await rpa(['verify', 'claims.rpapkg'], env, root);
    assert.equal(integrityOnly.code, 0, integrityOnly.stderr);
    assert.match(integrityOnly.stdout, /unsigned, integrity only/);
    assert.equal((await rpa(['verify', 'claims.rpapkg', '--require-signature'], env, root)).code, 3);

    assert.equal((await rpa(['sign', 'claims.rpapkg', '--key', 'stranger'], env, root)).code, 0);
    const untrusted = await rpa(['verify', 'claims.rpapkg', '--trust', 'coe.pub'], env, root);
    assert.equal(untrusted.code, 3);
    assert.match(untrusted.stderr, /^rpa verify: claims\.rpapkg: signed by key [0-9a-f]{16}, which is not a trusted publisher \(trusted: coe \([0-9a-f]{16}\)\)/);

    // One byte of the CSV changed inside the package.
    const file = path.join(root, 'claims.rpapkg');
    const buffer = readFileSync(file);
    const csv = readFileSync(path.join(root, 'claims', 'data', 'claims-to-check.csv'));
    const at = buffer.indexOf(csv);
    assert.ok(at > 0);
    buffer[at + 5]! ^= 0x01;
    writeFileSync(file, buffer);
    const tampered = await runCli(['verify', 'claims.rpapkg'], env, root);
    assert.equal(tampered.code, 3);
    assert.match(tampered.stderr, /^rpa verify: claims\.rpapkg: data\/claims-to-check\.csv does not match the manifest: SHA-256 [0-9a-f]{12}… \(\d+ bytes\), expected [0-9a-f]{12}…/);

    writeFileSync(file, 'not a zip');
    const damaged = await rpa(['verify', 'claims.rpapkg', '--json'], env, root);
    assert.equal(damaged.code, 3);
    assert.match(damaged.stderr, /rpa verify: claims\.rpapkg: not a package/);
    assert.equal(damaged.stdout, '');
  });

  it('usage mistakes and invalid automations exit 2 with a clear message', async () => {
    const { root, dir, env } = workspace();
    const noKey = await rpa(['sign', 'x.rpapkg', '--key', 'missing.key'], env, root);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /rpa sign: key file not found: missing\.key/);

    const noPackage = await rpa(['verify', 'nope.rpapkg'], env, root);
    assert.equal(noPackage.code, 2);
    assert.match(noPackage.stderr, /rpa verify: package not found: nope\.rpapkg/);

    assert.equal((await rpa(['keygen', '--out', 'k'], env, root)).code, 0);
    const again = await rpa(['keygen', '--out', 'k'], env, root);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists; refusing to overwrite/);
    assert.equal((await rpa(['keygen'], env, root)).code, 2);
    assert.equal((await rpa(['verify'], env, root)).code, 2);

    writeFileSync(path.join(dir, 'automation.json'), JSON.stringify({ format: 1, id: 'x', name: 'X', version: '1.0.0', steps: [{ kind: 'browser.clik' }] }));
    const invalid = await rpa(['pack', 'claims'], env, root);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /invalid automation:\n.*automation\.json: steps\[0\]\.kind: unknown step kind "browser\.clik"/);
    assert.deepEqual(readdirSync(root).filter((f) => f.endsWith('.rpapkg')), []);
  });
});
