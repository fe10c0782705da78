import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultKeySource, envKeySource, fileKeySource, keyId } from './key.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-vault-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => path.join(dir, `home-${++counter}`);
const posix = process.platform !== 'win32';

describe('vault key sources', () => {
  it('creates the key file on first use, mode 0600, and reads the same key back', () => {
    const file = path.join(freshDir(), 'vault.key');
    const source = fileKeySource(file);
    assert.equal(source.load(false), undefined, 'no key file is created by a read');
    assert.equal(existsSync(file), false);
    const key = source.load(true);
    assert.equal(key?.length, 32);
    if (posix) assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(source.load(false), key);
    assert.deepEqual(fileKeySource(file).load(true), key, 'a second source does not replace the key');
  });

  it('refuses a key file that group or others can read, saying how to fix it', { skip: !posix }, () => {
    const file = path.join(freshDir(), 'vault.key');
    fileKeySource(file).load(true);
    chmodSync(file, 0o644);
    assert.throws(() => fileKeySource(file).load(false), (error: Error) => {
      assert.equal(error.name, 'VaultError');
      assert.match(error.message, /can be read by other users \(mode 0644\)/);
      assert.ok(error.message.includes(`chmod 600 ${file}`), error.message);
      return true;
    });
    chmodSync(file, 0o640);
    assert.throws(() => fileKeySource(file).load(false), /chmod 600/);
  });

  it('refuses a key file that does not hold a 32-byte base64 key', () => {
    const file = path.join(dir, 'short.key');
    writeFileSync(file, randomBytes(16).toString('base64'), { mode: 0o600 });
    assert.throws(() => fileKeySource(file).load(false), /must hold a vault key: the base64 of 32 random bytes/);
  });

  it('RPA_VAULT_KEY wins over the key file, and a malformed one is refused', () => {
    const home = freshDir();
    const key = randomBytes(32);
    const source = defaultKeySource(home, { RPA_VAULT_KEY: key.toString('base64') });
    assert.equal(source.description, 'RPA_VAULT_KEY');
    assert.deepEqual(source.load(true), key);
    assert.equal(existsSync(path.join(home, 'vault.key')), false, 'no key file when the env key is set');
    assert.equal(defaultKeySource(home, {}).description, `key file ${path.join(home, 'vault.key')}`);
    assert.throws(() => envKeySource({ RPA_VAULT_KEY: 'not-a-key' })?.load(true), /RPA_VAULT_KEY must hold a vault key/);
    assert.throws(() => envKeySource({ RPA_VAULT_KEY: randomBytes(31).toString('base64') })?.load(true), /base64 of 32/);
    assert.equal(envKeySource({ RPA_VAULT_KEY: '' }), undefined);
  });

  it('key ids tell keys apart without revealing them', () => {
    const key = randomBytes(32);
    assert.equal(keyId(key), keyId(Buffer.from(key)));
    assert.notEqual(keyId(key), keyId(randomBytes(32)));
    assert.ok(!keyId(key).includes(key.toString('hex').slice(0, 8)));
  });
});
