// The vault key in the OS keychain when there is one (Linux: a Secret Service such as
// gnome-keyring or KWallet, reached with `secret-tool` from libsecret-tools). The secrets stay
// sealed in the run store as before; only the key that opens them moves out of the file
// <RPA_HOME>/vault.key into the keychain, where the desktop session's login unlocks it.
// Without a usable keychain (no secret-tool, no D-Bus session, no default keyring or a locked
// one) the key file is used, and the key source says why in its note. A keychain is never
// asked to prompt: a locked keyring would wait for a password on a screen nobody watches.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VaultError } from './errors.js';
import { envKeySource, fileKeySource, KEY_BYTES, KEY_FILE, parseKey, type VaultKeySource } from './key.js';

/** RPA_VAULT_KEYCHAIN=off keeps the key in the file even when a keychain is there. */
export const KEYCHAIN_ENV = 'RPA_VAULT_KEYCHAIN';
const APPLICATION = 'rpa-studio';
/**
 * Written next to the store once the key is in the keychain: with it, a run where the keychain
 * cannot be used (locked, no D-Bus session, RPA_VAULT_KEYCHAIN=off) fails with a clear error
 * instead of making a second key in vault.key, which would leave the secrets sealed with the
 * keychain's key unreadable from then on (an existing vault.key wins over the keychain).
 */
export const KEYCHAIN_MARKER = 'vault.keychain';
const TIMEOUT_MS = 10_000;

export type Runner = (command: string, args: string[], options: { input?: string; env: NodeJS.ProcessEnv }) => { status: number | null; stdout: string; stderr: string; error?: Error };

const run: Runner = (command, args, { input, env }) => {
  const result = spawnSync(command, args, { input, env, encoding: 'utf8', timeout: TIMEOUT_MS, stdio: ['pipe', 'pipe', 'pipe'] });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', ...(result.error ? { error: result.error } : {}) };
};

/** Why no keychain can hold the key here; undefined when the Secret Service's default keyring is open. */
export function secretServiceUnavailable(env: NodeJS.ProcessEnv, runner: Runner = run): string | undefined {
  if (process.platform !== 'linux') return `no Secret Service on ${process.platform} (the desktop app keeps its key with the OS's own store)`;
  if (!env['DBUS_SESSION_BUS_ADDRESS']) return 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service can be reached';
  const probe = runner(
    'dbus-send',
    ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets/aliases/default', 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.Secret.Collection', 'string:Locked'],
    { env },
  );
  if (probe.error) return (probe.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'dbus-send is not installed' : `the Secret Service did not answer: ${probe.error.message}`;
  if (probe.status !== 0) return `the Secret Service has no default keyring (${firstLine(probe.stderr) || `dbus-send exit ${probe.status}`})`;
  if (/boolean true/.test(probe.stdout)) return 'the default keyring is locked (log in to the desktop session, or unlock it, to use it)';
  const tool = runner('secret-tool', ['--version'], { env });
  if (tool.error) return 'secret-tool is not installed (apt-get install libsecret-tools)';
  return undefined;
}

/** Records that this home's key is in the keychain (idempotent; no secret in it). */
function markKeychain(home: string, description: string): void {
  const marker = path.join(home, KEYCHAIN_MARKER);
  if (fs.existsSync(marker)) return;
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(marker, `The vault key of this RPA_HOME is in the ${description}; rpa makes no vault.key while this file is here.\n`, { mode: 0o600 });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** The vault key of one RPA_HOME as an item of the Secret Service's default keyring. */
export function secretServiceKeySource(homeDir: string, env: NodeJS.ProcessEnv, runner: Runner = run): VaultKeySource {
  const home = path.resolve(homeDir);
  const attributes = ['application', APPLICATION, 'rpa-home', home];
  const description = `OS keychain (Secret Service item application=${APPLICATION} rpa-home=${home})`;
  return {
    description,
    load(create) {
      const found = runner('secret-tool', ['lookup', ...attributes], { env });
      if (found.status === 0 && found.stdout.trim()) {
        const key = parseKey(found.stdout, `the vault key in the ${description}`);
        markKeychain(home, description);
        return key;
      }
      if (found.status !== 0 && found.stderr.trim()) throw new VaultError(`cannot read the vault key from the ${description}: ${firstLine(found.stderr)}`);
      if (!create) return undefined;
      const key = randomBytes(KEY_BYTES);
      const stored = runner('secret-tool', ['store', `--label=RPA Studio vault key (${home})`, ...attributes], { input: key.toString('base64'), env });
      if (stored.status !== 0) throw new VaultError(`cannot store the vault key in the ${description}: ${firstLine(stored.stderr) || stored.error?.message || `exit ${stored.status}`}`);
      // Read back: another process may have stored its key at the same moment; the keyring's copy wins.
      const again = runner('secret-tool', ['lookup', ...attributes], { env });
      const kept = again.status === 0 && again.stdout.trim() ? parseKey(again.stdout, `the vault key in the ${description}`) : key;
      markKeychain(home, description);
      return kept;
    },
  };
}

/**
 * The key source rpa uses: RPA_VAULT_KEY; else a key file that already exists (a vault made
 * before, or by choice: nothing is moved or lost); else the OS keychain when one is usable;
 * else, when the key was put in the keychain before (KEYCHAIN_MARKER), an error saying why the
 * keychain cannot be used; else a new key file — with a note saying why no keychain was used.
 */
export function keychainOrFileKeySource(homeDir: string, env: NodeJS.ProcessEnv = process.env, runner: Runner = run): VaultKeySource {
  const fromEnv = envKeySource(env);
  if (fromEnv) return fromEnv;
  // Chosen at first use, not when the vault opens: most commands open the engine (and its vault)
  // without touching a secret, and should neither spawn dbus-send nor start a keyring daemon.
  let chosen: VaultKeySource | undefined;
  const choose = (): VaultKeySource => (chosen ??= chooseKeySource(homeDir, env, runner));
  return {
    get description() {
      return choose().description;
    },
    get note() {
      return choose().note;
    },
    load: (create) => choose().load(create),
  };
}

function chooseKeySource(homeDir: string, env: NodeJS.ProcessEnv, runner: Runner): VaultKeySource {
  const file = path.join(homeDir, KEY_FILE);
  if (fs.existsSync(file)) return fileKeySource(file);
  const off = (env[KEYCHAIN_ENV] ?? '').toLowerCase();
  const why = off === 'off' || off === '0' || off === 'false' ? `${KEYCHAIN_ENV}=${env[KEYCHAIN_ENV]}` : secretServiceUnavailable(env, runner);
  if (why === undefined) return secretServiceKeySource(homeDir, env, runner);
  if (fs.existsSync(path.join(homeDir, KEYCHAIN_MARKER))) {
    // The key is in a keychain this process cannot use: no second key, or the vault would hold
    // secrets under two keys and the keychain's would be unreadable once vault.key exists.
    const description = secretServiceKeySource(homeDir, env, runner).description;
    return {
      description: `${description}, which cannot be used here`,
      load() {
        throw new VaultError(
          `the vault key of ${path.resolve(homeDir)} is in the ${description}, which cannot be used here: ${why}; ` +
            `run where that keyring is unlocked, or set RPA_VAULT_KEY to the key (secret-tool lookup application ${APPLICATION} rpa-home ${path.resolve(homeDir)})`,
        );
      },
    };
  }
  return { ...fileKeySource(file), note: `the vault key is kept in ${file} (mode 0600), not in an OS keychain: ${why}` };
}
