// The vault key in the OS keychain, with a real Secret Service: gnome-keyring in a private D-Bus
// session (dbus-run-session), reached through secret-tool. With an unlocked default keyring the
// key lives there and no vault.key file is written; with none usable (no default keyring, no
// D-Bus session) the key file is used and `rpa secret set` says why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cliEnv, RPA_JS, tempDir } from '../helpers/env.js';

const VAULT_JS = fileURLToPath(new URL('../../engine/vault/vault.js', import.meta.url));
const HOME_JS = fileURLToPath(new URL('../../engine/home.js', import.meta.url));

const missing = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool', 'dbus-send'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
const skip = process.platform !== 'linux' ? 'the Secret Service is Linux' : missing.length ? `not installed: ${missing.join(', ')} (apt-get install libsecret-tools gnome-keyring dbus)` : false;

type Keyring = 'unlocked' | 'no default keyring' | 'locked';

/**
 * Runs a shell script inside a fresh D-Bus session of its own, with a gnome-keyring whose files
 * live in `keyringHome` (HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR there): never the user's own
 * ~/.local/share/keyrings, whose login keyring may exist with another password and stay locked.
 * `keyring`: how gnome-keyring starts there — 'unlocked' creates (or opens) the login keyring, the
 * default, with a password, as a desktop login does; 'no default keyring' starts it with no login
 * keyring (in a keyringHome that has none); 'locked' starts it without the password, so a login
 * keyring made by an earlier 'unlocked' session in the same keyringHome stays locked.
 */
function inSession(script: string, env: NodeJS.ProcessEnv, keyring: Keyring, keyringHome: string): { status: number | null; stdout: string; stderr: string } {
  const runtime = path.join(keyringHome, 'run');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const sessionEnv: NodeJS.ProcessEnv = { ...env, HOME: keyringHome, XDG_DATA_HOME: path.join(keyringHome, 'data'), XDG_RUNTIME_DIR: runtime };
  delete sessionEnv['GNOME_KEYRING_CONTROL'];
  delete sessionEnv['DBUS_SESSION_BUS_ADDRESS'];
  const start =
    keyring === 'unlocked'
      ? 'printf "keyring-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null'
      : 'gnome-keyring-daemon --start --components=secrets >/dev/null';
  const result = spawnSync('dbus-run-session', ['--', 'sh', '-ec', `${start}\n${script}`], { env: sessionEnv, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const readBack = `node --input-type=module -e "const { Vault } = await import(process.argv[1]); const { resolveHome } = await import(process.argv[2]); console.log('value=' + Vault.open(resolveHome()).get('API_KEY'))" "${VAULT_JS}" "${HOME_JS}"`;

describe('the vault key in the OS keychain (Secret Service)', { skip, concurrency: false, timeout: 300_000 }, () => {
  it('keeps the key in an unlocked default keyring, not in a file, and reads secrets back with it', { timeout: 150_000 }, () => {
    const home = tempDir('keychain');
    const env = cliEnv(home);
    delete env['RPA_VAULT_KEY'];
    delete env['RPA_VAULT_KEYCHAIN'];
    const result = inSession(
      `printf 'api-key-value-1' | node "${RPA_JS}" secret set API_KEY\n${readBack}\necho "keychain=$(secret-tool lookup application rpa-studio rpa-home "$RPA_HOME")"`,
      env,
      'unlocked',
      tempDir('keyring'),
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /stored secret "API_KEY" in the vault \(vault key: OS keychain \(Secret Service item application=rpa-studio rpa-home=/, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^value=api-key-value-1$/m, 'the secret reads back with the key from the keychain');
    assert.match(result.stdout, /^keychain=[A-Za-z0-9+/]{43}=$/m, 'the keyring holds a 32-byte key');
    assert.equal(existsSync(path.join(home, 'vault.key')), false, 'no key file was written');
    assert.doesNotMatch(result.stdout + result.stderr, /api-key-value-1[^\n]*\n[^]*api-key-value-1/, 'the value is printed once, by the read-back only');
  });

  it('falls back to the key file, saying why, when the Secret Service has no default keyring', { timeout: 150_000 }, () => {
    const home = tempDir('keychain-none');
    const env = cliEnv(home);
    delete env['RPA_VAULT_KEY'];
    delete env['RPA_VAULT_KEYCHAIN'];
    const result = inSession(`printf 'api-key-value-2' | node "${RPA_JS}" secret set API_KEY\n${readBack}`, env, 'no default keyring', tempDir('keyring'));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`note: the vault key is kept in ${path.join(home, 'vault.key').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(mode 0600\\), not in an OS keychain: the Secret Service has no default keyring`), result.stderr);
    assert.match(result.stdout, /^value=api-key-value-2$/m);
    assert.ok(existsSync(path.join(home, 'vault.key')), 'the key file holds the key');
  });

  it('makes no second key in a file when the keyring holding the key is locked later, and reads with it once unlocked again', { timeout: 200_000 }, () => {
    const home = tempDir('keychain-locked');
    const keyring = tempDir('keyring');
    const env = cliEnv(home);
    delete env['RPA_VAULT_KEY'];
    delete env['RPA_VAULT_KEYCHAIN'];
    const first = inSession(`printf 'api-key-value-4' | node "${RPA_JS}" secret set API_KEY`, env, 'unlocked', keyring);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /vault key: OS keychain/, `${first.stdout}\n${first.stderr}`);
    // The same keyring files, the daemon started without the password: the login keyring is locked.
    const locked = inSession(
      `if printf 'other-value' | node "${RPA_JS}" secret set OTHER; then echo "set=ok"; else echo "set=refused"; fi\nif ${readBack}; then :; else echo "read=refused"; fi`,
      env,
      'locked',
      keyring,
    );
    assert.equal(locked.status, 0, locked.stderr);
    assert.match(locked.stdout, /^set=refused$/m, `${locked.stdout}\n${locked.stderr}`);
    assert.match(locked.stdout, /^read=refused$/m, `${locked.stdout}\n${locked.stderr}`);
    assert.match(locked.stderr, /the vault key of [^\n]* is in the OS keychain \(Secret Service item [^\n]*\), which cannot be used here: the default keyring is locked/, locked.stderr);
    assert.doesNotMatch(locked.stdout + locked.stderr, /api-key-value-4/, 'the value is not printed when it cannot be read');
    assert.equal(existsSync(path.join(home, 'vault.key')), false, 'no second key was made in a file');
    const again = inSession(readBack, env, 'unlocked', keyring);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^value=api-key-value-4$/m);
  });

  it('falls back to the key file without a D-Bus session, and keeps using an existing key file', { timeout: 60_000 }, () => {
    const home = tempDir('keychain-nobus');
    const env = cliEnv(home);
    delete env['RPA_VAULT_KEY'];
    delete env['RPA_VAULT_KEYCHAIN'];
    delete env['DBUS_SESSION_BUS_ADDRESS'];
    const first = spawnSync(process.execPath, [RPA_JS, 'secret', 'set', 'API_KEY'], { env, input: 'api-key-value-3', encoding: 'utf8', timeout: 60_000 });
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /not in an OS keychain: no D-Bus session \(DBUS_SESSION_BUS_ADDRESS is not set\)/);
    assert.ok(existsSync(path.join(home, 'vault.key')));
    // A keyring that appears later does not orphan the secrets sealed with the file's key.
    const later = inSession(readBack, env, 'unlocked', tempDir('keyring'));
    assert.equal(later.status, 0, later.stderr);
    assert.match(later.stdout, /^value=api-key-value-3$/m);
  });
});
