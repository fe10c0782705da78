// Secret values by name. Until the vault lands, secrets come from the environment as
// RPA_SECRET_<NAME> (upper case). Values never reach logs, events or files: the runner
// masks every secret it has handed out.
import { MissingSecretError } from './errors.js';

export interface SecretProvider {
  get(name: string): string | undefined;
  /** Tells the user where a missing secret should be put. */
  hint(name: string): string;
}

export function secretEnvName(name: string): string {
  return `RPA_SECRET_${name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
}

export function envSecretProvider(env: NodeJS.ProcessEnv = process.env): SecretProvider {
  return {
    get: (name) => env[secretEnvName(name)],
    hint: (name) => `set the environment variable ${secretEnvName(name)}`,
  };
}

/** Resolves every needed secret up front, so a run never starts without one. */
export function resolveSecrets(names: Iterable<string>, provider: SecretProvider, automationFile: string): Map<string, string> {
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const name of names) {
    const value = provider.get(name);
    if (value === undefined || value === '') missing.push(name);
    else values.set(name, value);
  }
  if (missing.length) {
    throw new MissingSecretError(
      `${automationFile}: missing secret${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')}; ${missing.map((n) => provider.hint(n)).join('; ')}`,
      { missing },
    );
  }
  return values;
}

const MASK = '••••••';

/** Replaces secret values wherever they appear in strings inside a value. */
export class SecretMasker {
  private readonly values: string[] = [];

  add(value: string): void {
    // One-character secrets would mask half of every log line; they are refused upstream as too weak anyway.
    if (value.length >= 2 && !this.values.includes(value)) {
      this.values.push(value);
      this.values.sort((a, b) => b.length - a.length);
    }
  }

  maskText(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(MASK);
    return out;
  }

  mask<T>(value: T): T {
    if (!this.values.length) return value;
    return this.deep(value) as T;
  }

  private deep(value: unknown): unknown {
    if (typeof value === 'string') return this.maskText(value);
    if (Array.isArray(value)) return value.map((item) => this.deep(item));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.deep(item)]));
    }
    return value;
  }
}
