// AES-256-GCM with a fresh random 12-byte nonce per write. The secret's name is the
// additional authenticated data, so a ciphertext moved to another name fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VaultError } from './errors.js';
import type { VaultKey } from './key.js';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  nonce: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
  keyId: string;
}

export function seal(key: VaultKey, name: string, value: string): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(name, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { nonce, ciphertext, authTag: cipher.getAuthTag(), keyId: key.id };
}

/** Opens a sealed value or throws a VaultError naming the secret; never returns garbage. */
export function unseal(key: VaultKey, name: string, sealed: Sealed, keyDescription: string): string {
  if (sealed.keyId !== key.id) {
    throw new VaultError(
      `cannot decrypt secret "${name}": the vault key differs from the one it was written with ` +
        `(in use: ${keyDescription}); supply the original key, or store the secret again with: rpa secret set ${name}`,
      { secret: name, reason: 'wrong-key' },
    );
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, sealed.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(name, 'utf8'));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new VaultError(
      `cannot decrypt secret "${name}": its stored data is damaged or was altered (authentication failed); ` + `store it again with: rpa secret set ${name}`,
      { secret: name, reason: 'tampered' },
    );
  }
}
