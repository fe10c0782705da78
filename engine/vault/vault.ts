// The credentials vault: secrets sealed at rest in the run store (table vault_secrets),
// opened with a key held elsewhere. The key is loaded only when a value is written or
// read, so listing names works (and creates no key) without it.
import type { RpaHome } from '../home.js';
import { secretEnvName, type SecretProvider } from '../secrets.js';
import { openDatabase, type Database } from '../store/database.js';
import { VaultError } from './errors.js';
import { keyId, type VaultKey, type VaultKeySource } from './key.js';
import { keychainOrFileKeySource } from './keychain.js';
import { seal, unseal, type Sealed } from './seal.js';

export { VaultError } from './errors.js';
export type { VaultKeySource } from './key.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_NAME = 128;

export interface VaultEntry {
  name: string;
  updatedAt: string;
}

export interface VaultOptions {
  /** Overrides RPA_VAULT_KEY / vault.key, e.g. a key the desktop app keeps in safeStorage. */
  keySource?: VaultKeySource;
  /** The store's connection to use (borrowed: close() leaves it open); default a connection of its own. */
  db?: Database;
}

interface Row {
  nonce: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
  key_id: string;
}

export function validateSecretName(name: string): void {
  if (!NAME.test(name) || name.length > MAX_NAME) {
    throw new VaultError(`invalid secret name "${name}": use letters, digits and _ (not starting with a digit), at most ${MAX_NAME} characters`);
  }
}

export class Vault {
  private key: VaultKey | undefined;

  private constructor(
    private readonly db: Database,
    private readonly keySource: VaultKeySource,
  ) {}

  static open(home: RpaHome, env: NodeJS.ProcessEnv = process.env, options: VaultOptions = {}): Vault {
    const keySource = options.keySource ?? keychainOrFileKeySource(home.dir, env);
    return new Vault(options.db ?? openDatabase(home.storeFile), keySource);
  }

  /** Where the key is (and, when that is a fallback, why): said when a secret is stored. */
  get keyLocation(): { description: string; note?: string } {
    return { description: this.keySource.description, ...(this.keySource.note ? { note: this.keySource.note } : {}) };
  }

  /** Stores (or replaces) a secret. Values of fewer than two characters cannot be masked in logs. */
  set(name: string, value: string): void {
    validateSecretName(name);
    if (value === '') throw new VaultError(`refusing to store an empty value for secret "${name}"`);
    if (value.length < 2) throw new VaultError(`refusing to store secret "${name}": a single character cannot be kept out of logs safely`);
    const sealed = seal(this.loadKey(true), name, value);
    const now = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO vault_secrets (name, nonce, ciphertext, auth_tag, key_id, created_at, updated_at)
         VALUES (@name, @nonce, @ciphertext, @authTag, @keyId, @now, @now)
         ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext,
           auth_tag = excluded.auth_tag, key_id = excluded.key_id, updated_at = excluded.updated_at`,
      )
      .run({ name, ...sealed, now });
  }

  /** The value, or undefined when no such secret is stored. Throws VaultError when it cannot be opened. */
  get(name: string): string | undefined {
    if (!NAME.test(name)) return undefined;
    const row = this.db.prepare('SELECT nonce, ciphertext, auth_tag, key_id FROM vault_secrets WHERE name = ?').get(name) as Row | undefined;
    if (!row) return undefined;
    const sealed: Sealed = { nonce: row.nonce, ciphertext: row.ciphertext, authTag: row.auth_tag, keyId: row.key_id };
    return unseal(this.loadKey(false), name, sealed, this.keySource.description);
  }

  has(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM vault_secrets WHERE name = ?').get(name) !== undefined;
  }

  /** Names and update times only; never values. */
  list(): VaultEntry[] {
    const rows = this.db.prepare('SELECT name, updated_at FROM vault_secrets ORDER BY name').all() as Array<{ name: string; updated_at: string }>;
    return rows.map((row) => ({ name: row.name, updatedAt: row.updated_at }));
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM vault_secrets WHERE name = ?').run(name).changes > 0;
  }

  close(): void {
    this.key?.key.fill(0);
    this.key = undefined;
    this.db.close();
  }

  private loadKey(create: boolean): VaultKey {
    if (!this.key) {
      const key = this.keySource.load(create);
      if (!key) {
        throw new VaultError(`the vault holds secrets but its key is missing (${this.keySource.description}); restore it, or set RPA_VAULT_KEY`);
      }
      // A copy, so close() can wipe it without touching a buffer the source may keep.
      this.key = { key: Buffer.from(key), id: keyId(key) };
    }
    return this.key;
  }
}

/** Secrets from the vault first, then from the fallback (the environment, as RPA_SECRET_<NAME>). */
export function vaultSecretProvider(vault: Vault, fallback?: SecretProvider): SecretProvider {
  return {
    get: (name) => vault.get(name) ?? fallback?.get(name),
    hint: (name) =>
      fallback
        ? `store it with: rpa secret set ${name} (or set the environment variable ${secretEnvName(name)})`
        : `store it with: rpa secret set ${name}`,
  };
}
