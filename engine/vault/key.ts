// Where the vault key comes from. It never lives in the run store: RPA_VAULT_KEY (base64 of
// 32 bytes) wins, otherwise <RPA_HOME>/vault.key, created on first use with mode 0600.
// The desktop app will supply its own source (Electron safeStorage) through VaultKeySource.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VaultError } from './errors.js';

export const KEY_BYTES = 32;
export const KEY_ENV = 'RPA_VAULT_KEY';
export const KEY_FILE = 'vault.key';

export interface VaultKey {
  readonly key: Buffer;
  /** Fingerprint stored beside each secret; tells "different key" apart from "damaged data". */
  readonly id: string;
}

export interface VaultKeySource {
  /** Where the key comes from, for messages ("RPA_VAULT_KEY", "key file /x/vault.key"). */
  readonly description: string;
  /** The key, creating it when the source can and `create` is true; undefined when there is none yet. */
  load(create: boolean): Buffer | undefined;
  /** Why the key is where it is when that is a fallback (no OS keychain here), for the person setting secrets. */
  readonly note?: string;
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update('rpa-vault-key-id\0').update(key).digest('hex').slice(0, 16);
}

const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/;

export function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = BASE64_KEY.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
  if (!key || key.length !== KEY_BYTES) {
    throw new VaultError(
      `${where} must hold a vault key: the base64 of ${KEY_BYTES} random bytes ` +
        `(make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")`,
    );
  }
  return key;
}

export function envKeySource(env: NodeJS.ProcessEnv): VaultKeySource | undefined {
  const value = env[KEY_ENV];
  if (value === undefined || value === '') return undefined;
  return { description: KEY_ENV, load: () => parseKey(value, KEY_ENV) };
}

/** A key file next to the run store; refused when other users could read it. */
export function fileKeySource(file: string, platform: NodeJS.Platform = process.platform): VaultKeySource {
  const description = `key file ${file}`;
  return {
    description,
    load(create) {
      if (!fs.existsSync(file)) {
        if (!create) return undefined;
        createKeyFile(file);
      }
      if (platform !== 'win32') {
        const mode = fs.statSync(file).mode & 0o777;
        if (mode & 0o077) {
          throw new VaultError(
            `vault ${description} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); ` + `restrict it with: chmod 600 ${file}`,
          );
        }
      }
      return parseKey(fs.readFileSync(file, 'utf8'), `vault ${description}`);
    },
  };
}

/** Writes a fresh key atomically: a temporary 0600 file hard-linked into place, so two
 * processes creating it at once end up sharing one key rather than each keeping its own. */
function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.chmodSync(temp, 0o600); // in case a umask or ACL widened it
    fs.linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** RPA_VAULT_KEY, else <home>/vault.key (Vault.open's default is keychainOrFileKeySource: the OS keychain when there is one). */
export function defaultKeySource(homeDir: string, env: NodeJS.ProcessEnv = process.env): VaultKeySource {
  return envKeySource(env) ?? fileKeySource(path.join(homeDir, KEY_FILE));
}
