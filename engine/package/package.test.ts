// Automation packages: pack → sign → verify, and every way a package can be damaged,
// tampered with, unsigned or signed by someone untrusted — on real files and real zips.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { AutomationInvalidError, UsageError } from '../errors.js';
import { extractForRun, generateKeyPair, packDirectory, PackageInvalidError, publicKeyId, readPackage, signPackage, verifyPackage, type PackageProblem } from './index.js';

// Compiled tests run from <outDir>/engine/package/.
const EXAMPLES = fileURLToPath(new URL('../../../automations/examples/', import.meta.url));

function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `rpa-pkg-${prefix}-`));
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function smallPng(seed: number): Buffer {
  const png = new PNG({ width: 12, height: 8 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 31 + seed * 7) % 256;
  return PNG.sync.write(png);
}

/** A browser example (calls login.json, reads a CSV) with things that must not be packed. */
function browserFolder(): string {
  const root = tempDir('src');
  const dir = path.join(root, 'claims');
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  copyFileSync(path.join(EXAMPLES, 'claim-statuses.json'), path.join(dir, 'automation.json'));
  copyFileSync(path.join(EXAMPLES, 'login.json'), path.join(dir, 'login.json'));
  copyFileSync(path.join(EXAMPLES, 'data', 'claims-to-check.csv'), path.join(dir, 'data', 'claims-to-check.csv'));
  writeFileSync(path.join(dir, '.env'), 'SECRET=1\n');
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(path.join(dir, 'node_modules', 'x', 'index.js'), 'module.exports = 1;\n');
  writeFileSync(path.join(dir, 'old.rpapkg'), 'an old package');
  return dir;
}

const desktopDoc = (image: string) => ({
  format: 1,
  id: 'pkg.desktop',
  name: 'Save the legacy form',
  version: '2.1.0',
  // Nested inside flow.try: image targets are found at any depth.
  steps: [{ kind: 'flow.try', steps: [{ kind: 'desktop.click', target: { window: 'Legacy Claims', candidates: [{ text: 'Save' }, { image }] } }], catch: [] }],
});

/** A desktop automation with an image target in a sub-folder and a sample file. */
function desktopFolder(): string {
  const dir = path.join(tempDir('src'), 'desktop');
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  writeJson(path.join(dir, 'save-form.json'), desktopDoc('images/save.png'));
  writeFileSync(path.join(dir, 'images', 'save.png'), smallPng(1));
  mkdirSync(path.join(dir, 'fixtures'));
  writeFileSync(path.join(dir, 'fixtures', 'sample claim.txt'), 'Claim 4711: water damage, kitchen\n');
  return dir;
}

function keys(): { privatePem: string; publicPem: string; publicDer64: string } {
  const pair = generateKeyPairSync('ed25519');
  return {
    privatePem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicDer64: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** The packed files as stored, without any check. */
function verifyFilesUnchecked(file: string): Map<string, Uint8Array> {
  return new Map(Object.entries(entries(file)).filter(([name]) => name.startsWith('files/')).map(([name, bytes]) => [name.slice('files/'.length), bytes]));
}

function entries(file: string): Record<string, Uint8Array> {
  return unzipSync(readFileSync(file));
}

/** Rebuilds the zip after `change` edits its entries (as a forger with a zip tool would). */
function rewrite(file: string, change: (entries: Record<string, Uint8Array>) => void): void {
  const all = entries(file);
  change(all);
  writeFileSync(file, zipSync(all, { level: 0 }));
}

/** Flips one bit in the middle of `content` where it is stored in the package file. */
function flipStoredByte(file: string, content: Uint8Array): void {
  const buffer = readFileSync(file);
  const at = buffer.indexOf(content);
  assert.ok(at >= 0 && buffer.lastIndexOf(content) === at, 'content is stored once, uncompressed');
  buffer[at + Math.floor(content.length / 2)]! ^= 0x01;
  writeFileSync(file, buffer);
}

function throwsPackage(fn: () => unknown, code: PackageProblem, file: string, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof PackageInvalidError, `expected PackageInvalidError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.file, file, error.message);
    assert.match(error.message, message);
    return true;
  });
}

function signedCopy(): { file: string; key: ReturnType<typeof keys> } {
  const packed = packDirectory(desktopFolder());
  const key = keys();
  signPackage(packed.file, key.privatePem, { signer: 'Automation CoE' });
  return { file: packed.file, key };
}

describe('packDirectory', () => {
  it('packs the automation, what it calls and its data; leaves out dotfiles, node_modules and packages', () => {
    const dir = browserFolder();
    const packed = packDirectory(dir);
    assert.equal(packed.file, path.join(path.dirname(dir), 'acme.claim-statuses-1.0.0.rpapkg'));
    assert.deepEqual(packed.manifest.files.map((f) => f.path), ['automation.json', 'data/claims-to-check.csv', 'login.json']);
    assert.equal(packed.manifest.automation, 'automation.json');
    assert.equal(packed.manifest.id, 'acme.claim-statuses');
    assert.deepEqual(Object.keys(entries(packed.file)).sort(), ['files/automation.json', 'files/data/claims-to-check.csv', 'files/login.json', 'manifest.json']);
    const raw = readPackage(packed.file);
    assert.equal(raw.sha256, packed.sha256);
    assert.equal(raw.manifestBytes.toString(), `${JSON.stringify(JSON.parse(raw.manifestBytes.toString()))}\n`, 'manifest is compact JSON with one newline');
    assert.deepEqual(Object.keys(JSON.parse(raw.manifestBytes.toString()) as object), ['automation', 'createdAt', 'files', 'format', 'id', 'name', 'version']);
    assert.deepEqual(raw.files.get('login.json'), readFileSync(path.join(dir, 'login.json')));
  });

  it('finds the only automation among the top-level JSON files and takes --automation and --out', () => {
    const dir = desktopFolder();
    writeJson(path.join(dir, 'settings.json'), { not: 'an automation' });
    const packed = packDirectory(dir);
    assert.equal(packed.manifest.automation, 'save-form.json');
    assert.deepEqual(packed.manifest.files.map((f) => f.path), ['fixtures/sample claim.txt', 'images/save.png', 'save-form.json', 'settings.json']);
    const out = path.join(tempDir('out'), 'custom.rpapkg');
    assert.equal(packDirectory(dir, { automation: 'save-form.json', out }).file, out);
    assert.ok(existsSync(out));
  });

  it('asks which automation when the folder holds several', () => {
    const dir = browserFolder();
    // automation.json wins by convention, even beside login.json; without it, two automations are ambiguous.
    renameSync(path.join(dir, 'automation.json'), path.join(dir, 'statuses.json'));
    assert.throws(() => packDirectory(dir), (error: unknown) => error instanceof UsageError && /holds several automations \(login\.json, statuses\.json\); say which one with --automation/.test(error.message));
    assert.equal(packDirectory(dir, { automation: 'statuses.json' }).manifest.automation, 'statuses.json');
    assert.throws(() => packDirectory(dir, { automation: '../elsewhere.json' }), (error: unknown) => error instanceof UsageError && /must be a path inside/.test(error.message));
  });

  it('a malformed automation gives its validation errors and writes nothing', () => {
    const dir = desktopFolder();
    writeJson(path.join(dir, 'save-form.json'), { format: 1, id: 'pkg.bad', name: 'Bad', version: '1.0.0', steps: [{ kind: 'desktop.clik', target: { candidates: [{ image: 'images/save.png' }] } }] });
    assert.throws(() => packDirectory(dir), (error: unknown) => error instanceof AutomationInvalidError && /unknown step kind "desktop\.clik"/.test(error.message) && error.issues[0]?.file.endsWith('save-form.json') === true);
    assert.deepEqual(readdirSync(path.dirname(dir)).filter((f) => f.endsWith('.rpapkg') || f.endsWith('.tmp')), []);
  });

  it('a missing image target is an automation error; one outside the folder is a usage error naming it', () => {
    const dir = desktopFolder();
    writeJson(path.join(dir, 'save-form.json'), desktopDoc('images/absent.png'));
    assert.throws(() => packDirectory(dir), (error: unknown) => error instanceof AutomationInvalidError && /steps\[0\]\.steps\[0\]\.target\.candidates\[1\]\.image: image file not found/.test(error.message));

    writeFileSync(path.join(dir, '..', 'outside.png'), smallPng(2));
    writeJson(path.join(dir, 'save-form.json'), desktopDoc('../outside.png'));
    assert.throws(() => packDirectory(dir), (error: unknown) => error instanceof UsageError && /image target "\.\.\/outside\.png" at .*save-form\.json: steps\[0\]\.steps\[0\]\.target\.candidates\[1\]\.image is outside/.test(error.message));

    // A dotfile image exists but would not be packed.
    writeFileSync(path.join(dir, '.hidden.png'), smallPng(3));
    writeJson(path.join(dir, 'save-form.json'), desktopDoc('.hidden.png'));
    assert.throws(() => packDirectory(dir), (error: unknown) => error instanceof UsageError && /"\.hidden\.png" .* would not be packed/.test(error.message));
    assert.deepEqual(readdirSync(path.dirname(dir)).filter((f) => f.endsWith('.rpapkg')), []);
  });

  it('a called automation outside the folder is a usage error', () => {
    const dir = browserFolder();
    copyFileSync(path.join(dir, 'login.json'), path.join(dir, '..', 'login.json'));
    const doc = JSON.parse(readFileSync(path.join(dir, 'automation.json'), 'utf8')) as { steps: Array<{ kind: string; automation?: string }> };
    for (const step of doc.steps) if (step.kind === 'flow.call') step.automation = '../login.json';
    writeJson(path.join(dir, 'automation.json'), doc);
    assert.throws(() => packDirectory(dir), (error: unknown) => error instanceof UsageError && /login\.json \(an automation\) is outside/.test(error.message));
  });
});

describe('verifyPackage', () => {
  it('pack → sign → verify round trip, trusted by PEM and by base64 DER', () => {
    const dir = desktopFolder();
    const packed = packDirectory(dir);
    const unsigned = verifyPackage(packed.file);
    assert.equal(unsigned.signer, undefined);
    assert.equal(unsigned.sha256, packed.sha256);

    const key = keys();
    const { keyId } = signPackage(packed.file, key.privatePem, { signer: 'Automation CoE' });
    assert.equal(keyId, publicKeyId(key.publicPem));
    assert.equal(keyId, publicKeyId(key.publicDer64));
    assert.match(keyId, /^[0-9a-f]{16}$/);

    const byPem = verifyPackage(packed.file, { trusted: [{ name: 'CoE', publicKey: key.publicPem }], requireSignature: true });
    assert.deepEqual(byPem.signer, { keyId, name: 'Automation CoE', trustedAs: 'CoE' });
    assert.equal(byPem.sha256, packed.sha256, 'signing does not change the package hash');
    assert.deepEqual(byPem.files.get('images/save.png'), readFileSync(path.join(dir, 'images', 'save.png')));
    const byDer = verifyPackage(packed.file, { trusted: [{ name: 'other', publicKey: keys().publicPem }, { name: 'CoE (DER)', publicKey: key.publicDer64 }] });
    assert.equal(byDer.signer?.trustedAs, 'CoE (DER)');
    // Without a list the signature is still checked, the publisher is not.
    assert.deepEqual(verifyPackage(packed.file).signer, { keyId, name: 'Automation CoE' });
  });

  it('one flipped byte in any packed file is tampering, naming that file and both hashes', () => {
    const dir = desktopFolder();
    const packed = packDirectory(dir);
    signPackage(packed.file, keys().privatePem);
    const pristine = readFileSync(packed.file);
    for (const listed of packed.manifest.files) {
      writeFileSync(packed.file, pristine);
      flipStoredByte(packed.file, readFileSync(path.join(dir, ...listed.path.split('/'))));
      const actual = sha256(verifyFilesUnchecked(packed.file).get(listed.path)!);
      assert.notEqual(actual, listed.sha256);
      const message = `${listed.path} does not match the manifest: SHA-256 ${actual.slice(0, 12)}… (${listed.bytes} bytes), expected ${listed.sha256.slice(0, 12)}… (${listed.bytes} bytes)`;
      throwsPackage(() => verifyPackage(packed.file), 'tampered', listed.path, escapeRegExp(message));
    }
  });

  it('an edited manifest breaks the signature; a changed signature or keyId is tampering', () => {
    const { file, key } = signedCopy();
    const pristine = readFileSync(file);

    // A forger swaps the image and updates its hash in the manifest; only the signature catches it.
    rewrite(file, (all) => {
      const image = smallPng(9);
      all['files/images/save.png'] = image;
      const manifest = JSON.parse(Buffer.from(all['manifest.json']!).toString()) as { files: Array<{ path: string; sha256: string; bytes: number }> };
      const entry = manifest.files.find((f) => f.path === 'images/save.png')!;
      entry.sha256 = sha256(image);
      entry.bytes = image.length;
      all['manifest.json'] = Buffer.from(`${JSON.stringify(manifest)}\n`);
    });
    throwsPackage(() => verifyPackage(file), 'tampered', 'signature.json', /signature does not match the manifest/);

    // One byte of the manifest changed in place (the name), everything else as signed.
    writeFileSync(file, pristine);
    flipStoredByte(file, Buffer.from('"name":"Save the legacy form"'));
    throwsPackage(() => verifyPackage(file), 'tampered', 'signature.json', /signature does not match the manifest/);

    // The signature itself changed.
    writeFileSync(file, pristine);
    const signature = JSON.parse(Buffer.from(entries(file)['signature.json']!).toString()) as { signature: string; keyId: string; publicKey: string };
    const buffer = readFileSync(file);
    const at = buffer.indexOf(signature.signature);
    buffer[at] = buffer[at] === 0x41 ? 0x42 : 0x41; // 'A' ↔ 'B': still base64, different bytes
    writeFileSync(file, buffer);
    throwsPackage(() => verifyPackage(file), 'tampered', 'signature.json', /signature does not match the manifest/);

    // A keyId that is not the embedded key's.
    writeFileSync(file, pristine);
    rewrite(file, (all) => {
      all['signature.json'] = Buffer.from(JSON.stringify({ ...signature, keyId: '0123456789abcdef' }));
    });
    throwsPackage(() => verifyPackage(file), 'tampered', 'signature.json', /keyId 0123456789abcdef does not belong to the embedded public key/);

    // A valid signature by another key, with that key embedded: fine until trust is asked.
    writeFileSync(file, pristine);
    const intruder = keys();
    signPackage(file, intruder.privatePem, { signer: 'Mallory' });
    const intruderId = publicKeyId(intruder.publicPem);
    assert.equal(verifyPackage(file).signer?.keyId, intruderId);
    throwsPackage(() => verifyPackage(file, { trusted: [{ name: 'CoE', publicKey: key.publicPem }] }), 'untrusted', 'signature.json', new RegExp(`key ${intruderId}, which is not a trusted publisher \\(trusted: CoE \\(${publicKeyId(key.publicPem)}\\)\\); the package calls its signer "Mallory", which nothing proves`));
  });

  it('without signature.json: passes on integrity alone, unless a signature or a publisher is required', () => {
    const { file, key } = signedCopy();
    rewrite(file, (all) => {
      delete all['signature.json'];
    });
    assert.equal(verifyPackage(file).signer, undefined);
    throwsPackage(() => verifyPackage(file, { requireSignature: true }), 'unsigned', 'signature.json', /is not signed, and a signature is required/);
    throwsPackage(() => verifyPackage(file, { trusted: [{ name: 'CoE', publicKey: key.publicPem }] }), 'unsigned', 'signature.json', /not signed/);
  });

  it('a missing file or an extra file is tampering', () => {
    const { file } = signedCopy();
    const pristine = readFileSync(file);
    rewrite(file, (all) => {
      delete all['files/fixtures/sample claim.txt'];
    });
    throwsPackage(() => verifyPackage(file), 'tampered', 'fixtures/sample claim.txt', /listed in the manifest but missing from the package/);
    writeFileSync(file, pristine);
    rewrite(file, (all) => {
      all['files/images/extra.png'] = smallPng(4);
    });
    throwsPackage(() => verifyPackage(file), 'tampered', 'images/extra.png', /in the package but not listed in the manifest/);
    writeFileSync(file, pristine);
    rewrite(file, (all) => {
      all['run-me.sh'] = Buffer.from('#!/bin/sh\n');
    });
    throwsPackage(() => verifyPackage(file), 'tampered', 'run-me.sh', /unexpected entry "run-me\.sh" outside files\//);
  });

  it('path traversal in zip entries or in the manifest is refused as damaged', () => {
    const { file } = signedCopy();
    const pristine = readFileSync(file);
    for (const name of ['files/../../evil.sh', '/etc/evil', 'files\\..\\evil.bat', 'C:/evil']) {
      writeFileSync(file, pristine);
      rewrite(file, (all) => {
        all[name] = Buffer.from('x');
      });
      throwsPackage(() => verifyPackage(file), 'damaged', name, /refusing to read this package/);
    }
    for (const bad of ['../evil.sh', '/tmp/evil.sh', 'images\\save.png', 'images/./save.png']) {
      writeFileSync(file, pristine);
      rewrite(file, (all) => {
        const manifest = JSON.parse(Buffer.from(all['manifest.json']!).toString()) as { files: Array<{ path: string }> };
        manifest.files[0]!.path = bad;
        all['manifest.json'] = Buffer.from(JSON.stringify(manifest));
      });
      throwsPackage(() => verifyPackage(file), 'damaged', bad, /manifest\.json: files\[0\]\.path .* refusing to read/);
    }
  });

  it('not a zip, no manifest or an invalid manifest is damaged', () => {
    const { file } = signedCopy();
    const pristine = readFileSync(file);
    writeFileSync(file, 'PK but not really a zip');
    throwsPackage(() => verifyPackage(file), 'damaged', path.basename(file), /not a package/);
    writeFileSync(file, pristine.subarray(0, pristine.length - 30));
    throwsPackage(() => verifyPackage(file), 'damaged', path.basename(file), /not a package/);
    writeFileSync(file, pristine);
    rewrite(file, (all) => {
      delete all['manifest.json'];
    });
    throwsPackage(() => verifyPackage(file), 'damaged', 'manifest.json', /has no manifest\.json/);
    writeFileSync(file, pristine);
    rewrite(file, (all) => {
      all['manifest.json'] = Buffer.from('{"format": "rpa-package/1",');
    });
    throwsPackage(() => verifyPackage(file), 'damaged', 'manifest.json', /manifest\.json is not valid JSON/);
    writeFileSync(file, pristine);
    rewrite(file, (all) => {
      const manifest = JSON.parse(Buffer.from(all['manifest.json']!).toString()) as { files: Array<{ sha256: string }> };
      manifest.files[1]!.sha256 = 'not-a-hash';
      all['manifest.json'] = Buffer.from(JSON.stringify(manifest));
    });
    throwsPackage(() => verifyPackage(file), 'damaged', 'manifest.json', /manifest\.json: files\[1\]\.sha256: expected 64 lower-case hex digits/);
    assert.throws(() => verifyPackage(path.join(path.dirname(file), 'nope.rpapkg')), (error: unknown) => error instanceof UsageError && /package not found/.test(error.message));
  });
});

describe('signPackage', () => {
  it('refuses to sign a package whose contents were changed, and replaces an older signature', () => {
    const { file } = signedCopy();
    const pristine = readFileSync(file);
    flipStoredByte(file, Buffer.from('water damage'));
    throwsPackage(() => signPackage(file, keys().privatePem), 'tampered', 'fixtures/sample claim.txt', /does not match the manifest/);
    writeFileSync(file, pristine);
    const second = keys();
    const { keyId } = signPackage(file, second.privatePem, { signer: 'Second' });
    assert.deepEqual(verifyPackage(file, { trusted: [{ name: 'second', publicKey: second.publicPem }] }).signer, { keyId, name: 'Second', trustedAs: 'second' });
    assert.throws(() => signPackage(file, second.publicPem), (error: unknown) => error instanceof UsageError && /not a private key/.test(error.message));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    assert.throws(() => signPackage(file, rsa), (error: unknown) => error instanceof UsageError && /rsa key; packages are signed with Ed25519/.test(error.message));
  });
});

describe('generateKeyPair', () => {
  it('writes the private key with mode 0600 and the public key beside it; never overwrites', () => {
    const prefix = path.join(tempDir('keys'), 'sub', 'publisher');
    const pair = generateKeyPair(prefix);
    assert.equal(pair.privateKeyFile, prefix);
    assert.equal(pair.publicKeyFile, `${prefix}.pub`);
    if (process.platform !== 'win32') assert.equal(statSync(prefix).mode & 0o777, 0o600);
    assert.match(readFileSync(prefix, 'utf8'), /BEGIN PRIVATE KEY/);
    assert.equal(publicKeyId(readFileSync(`${prefix}.pub`, 'utf8')), pair.keyId);
    const before = readFileSync(prefix);
    assert.throws(() => generateKeyPair(prefix), (error: unknown) => error instanceof UsageError && /already exists; refusing to overwrite/.test(error.message));
    assert.deepEqual(readFileSync(prefix), before);
    // A stray public key with that name also stops it, before a private key is written.
    const other = path.join(path.dirname(prefix), 'other');
    writeFileSync(`${other}.pub`, 'x');
    assert.throws(() => generateKeyPair(other), UsageError);
    assert.equal(existsSync(other), false);
  });
});

describe('extractForRun', () => {
  it('unpacks into <cache>/<hash>/, reuses good cached files and rewrites changed ones', () => {
    const { file, key } = signedCopy();
    const cacheDir = tempDir('cache');
    const first = extractForRun(file, { cacheDir, requireSignature: true, trusted: [{ name: 'CoE', publicKey: key.publicDer64 }] });
    assert.equal(first.dir, path.join(cacheDir, first.sha256));
    assert.equal(first.automationFile, path.join(first.dir, 'save-form.json'));
    assert.equal(first.signer?.trustedAs, 'CoE');
    const image = path.join(first.dir, 'images', 'save.png');
    const sample = path.join(first.dir, 'fixtures', 'sample claim.txt');
    const original = readFileSync(sample);
    const imageInode = statSync(image).ino;
    const sampleInode = statSync(sample).ino;

    writeFileSync(sample, 'Claim 4711: approved, pay out 1,000,000\n');
    const second = extractForRun(file, { cacheDir });
    assert.equal(second.dir, first.dir);
    assert.deepEqual(readFileSync(sample), original, 'the changed cached file was rewritten from the package');
    assert.notEqual(statSync(sample).ino, sampleInode);
    assert.equal(statSync(image).ino, imageInode, 'an intact cached file is left as it is');
  });

  it('writes nothing for a package that does not verify', () => {
    const { file } = signedCopy();
    const cacheDir = tempDir('cache');
    throwsPackage(() => extractForRun(file, { cacheDir, trusted: [{ name: 'CoE', publicKey: keys().publicPem }] }), 'untrusted', 'signature.json', /not a trusted publisher/);
    assert.deepEqual(readdirSync(cacheDir), []);
  });
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function escapeRegExp(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}
