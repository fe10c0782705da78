import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { resolveHome, type RpaHome } from '../home.js';
import { envSecretProvider } from '../secrets.js';
import { Vault, vaultSecretProvider } from './vault.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-vault-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const freshHome = (): RpaHome => resolveHome({ RPA_HOME: path.join(dir, `home-${++counter}`) });
const VALUE = 'correct-horse-battery-staple-Ω';

type Raw = { name: string; nonce: Buffer; ciphertext: Buffer; auth_tag: Buffer; key_id: string };
function rawRows(home: RpaHome): Raw[] {
  const db = new BetterSqlite3(home.storeFile, { readonly: true });
  try {
    return db.prepare('SELECT name, nonce, ciphertext, auth_tag, key_id FROM vault_secrets ORDER BY name').all() as Raw[];
  } finally {
    db.close();
  }
}
function patch(home: RpaHome, sql: string, ...params: unknown[]): void {
  const db = new BetterSqlite3(home.storeFile);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}
function storeBytes(home: RpaHome): Buffer {
  return Buffer.concat(['', '-wal', '-shm', '-journal'].filter((s) => existsSync(home.storeFile + s)).map((s) => readFileSync(home.storeFile + s)));
}

describe('Vault', () => {
  it('round-trips values; list shows names and times only; remove deletes', () => {
    const home = freshHome();
    const vault = Vault.open(home, {});
    try {
      assert.equal(vault.get('portalPassword'), undefined);
      vault.set('portalPassword', VALUE);
      vault.set('apiToken', 'tok\nwith newline ');
      assert.equal(vault.get('portalPassword'), VALUE);
      assert.equal(vault.get('apiToken'), 'tok\nwith newline ');
      const list = vault.list();
      assert.deepEqual(list.map((e) => e.name), ['apiToken', 'portalPassword']);
      assert.ok(list.every((e) => Object.keys(e).join() === 'name,updatedAt' && !Number.isNaN(Date.parse(e.updatedAt))));
      vault.set('portalPassword', 'changed-value');
      assert.equal(vault.get('portalPassword'), 'changed-value');
      assert.equal(vault.remove('apiToken'), true);
      assert.equal(vault.remove('apiToken'), false);
      assert.equal(vault.get('apiToken'), undefined);
    } finally {
      vault.close();
    }
    const again = Vault.open(home, {});
    assert.equal(again.get('portalPassword'), 'changed-value', 'readable by a later process with the same key file');
    again.close();
  });

  it('validates names and refuses empty or one-character values', () => {
    const vault = Vault.open(freshHome(), {});
    try {
      for (const bad of ['', '1abc', 'a-b', 'a b', 'x.y', 'é']) assert.throws(() => vault.set(bad, VALUE), /invalid secret name/);
      assert.throws(() => vault.set('ok', ''), /refusing to store an empty value for secret "ok"/);
      assert.throws(() => vault.set('ok', 'x'), /single character/);
      assert.deepEqual(vault.list(), []);
    } finally {
      vault.close();
    }
  });

  it('uses a fresh nonce per write and never stores the value in the file', () => {
    const home = freshHome();
    const vault = Vault.open(home, {});
    vault.set('a', VALUE);
    const first = rawRows(home)[0]!;
    vault.set('a', VALUE);
    const second = rawRows(home)[0]!;
    assert.equal(first.nonce.length, 12);
    assert.equal(first.auth_tag.length, 16);
    assert.notDeepEqual(first.nonce, second.nonce);
    assert.notDeepEqual(first.ciphertext, second.ciphertext);
    const bytes = storeBytes(home);
    assert.ok(existsSync(home.storeFile + '-wal'), 'the WAL is searched too');
    for (const form of [Buffer.from(VALUE, 'utf8'), Buffer.from(VALUE, 'utf16le'), Buffer.from(VALUE.slice(0, 12))]) {
      assert.equal(bytes.includes(form), false, `value found in the store as ${form.toString('hex')}`);
    }
    vault.close();
    assert.equal(storeBytes(home).includes(Buffer.from(VALUE.slice(0, 12))), false, 'nor after a checkpoint');
  });

  it('tampered ciphertext, nonce or tag fails with a clear error naming the secret', () => {
    const home = freshHome();
    const vault = Vault.open(home, {});
    vault.set('token', VALUE);
    const row = rawRows(home)[0]!;
    for (const column of ['ciphertext', 'nonce', 'auth_tag'] as const) {
      const bad = Buffer.from(row[column]);
      bad[0] = bad[0]! ^ 1;
      patch(home, `UPDATE vault_secrets SET ${column} = ? WHERE name = 'token'`, bad);
      assert.throws(() => vault.get('token'), /^VaultError: cannot decrypt secret "token": its stored data is damaged or was altered/);
      patch(home, `UPDATE vault_secrets SET ${column} = ? WHERE name = 'token'`, row[column]);
    }
    assert.equal(vault.get('token'), VALUE);
    vault.close();
  });

  it('a ciphertext moved to another name does not open (the name is authenticated)', () => {
    const home = freshHome();
    const vault = Vault.open(home, {});
    vault.set('alpha', 'alpha-value');
    vault.set('beta', 'beta-value');
    const [alpha, beta] = rawRows(home);
    const swap = 'UPDATE vault_secrets SET nonce = ?, ciphertext = ?, auth_tag = ? WHERE name = ?';
    patch(home, swap, beta!.nonce, beta!.ciphertext, beta!.auth_tag, 'alpha');
    patch(home, swap, alpha!.nonce, alpha!.ciphertext, alpha!.auth_tag, 'beta');
    assert.throws(() => vault.get('alpha'), /cannot decrypt secret "alpha": its stored data is damaged or was altered/);
    assert.throws(() => vault.get('beta'), /cannot decrypt secret "beta"/);
    vault.close();
  });

  it('a different key is named as such, and a lost key file is reported, never garbage', () => {
    const home = freshHome();
    const keyA = randomBytes(32).toString('base64');
    const writer = Vault.open(home, { RPA_VAULT_KEY: keyA });
    writer.set('token', VALUE);
    writer.close();
    assert.equal(existsSync(path.join(home.dir, 'vault.key')), false, 'the env key wins: no key file');

    const other = Vault.open(home, { RPA_VAULT_KEY: randomBytes(32).toString('base64') });
    assert.throws(
      () => other.get('token'),
      (error: Error) => {
        assert.match(error.message, /^cannot decrypt secret "token": the vault key differs from the one it was written with \(in use: RPA_VAULT_KEY\)/);
        assert.ok(!error.message.includes(keyA));
        return true;
      },
    );
    other.close();

    const noKey = Vault.open(home, {});
    assert.deepEqual(noKey.list().map((e) => e.name), ['token'], 'listing needs no key');
    assert.throws(() => noKey.get('token'), /the vault holds secrets but its key is missing \(key file .*vault\.key\)/);
    assert.equal(existsSync(path.join(home.dir, 'vault.key')), false, 'a read never creates a key');
    noKey.close();

    const same = Vault.open(home, { RPA_VAULT_KEY: keyA });
    assert.equal(same.get('token'), VALUE);
    same.close();
  });
});

describe('vaultSecretProvider', () => {
  it('looks in the vault first, then the environment, and says where to store a missing one', () => {
    const vault = Vault.open(freshHome(), {});
    vault.set('both', 'from-the-vault');
    const env = { RPA_SECRET_BOTH: 'from-env', RPA_SECRET_ONLYENV: 'env-only' };
    const provider = vaultSecretProvider(vault, envSecretProvider(env));
    assert.equal(provider.get('both'), 'from-the-vault');
    assert.equal(provider.get('onlyEnv'), 'env-only');
    assert.equal(provider.get('missing'), undefined);
    assert.equal(provider.hint('portalPassword'), 'store it with: rpa secret set portalPassword (or set the environment variable RPA_SECRET_PORTALPASSWORD)');
    assert.equal(vaultSecretProvider(vault).hint('x_1'), 'store it with: rpa secret set x_1');
    assert.equal(vaultSecretProvider(vault).get('onlyEnv'), undefined);
    vault.close();
  });
});
