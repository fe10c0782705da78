// Publisher keys: Ed25519 through node:crypto. A key is named by its keyId, the first 16 hex
// digits of SHA-256 over its SPKI DER, which is what trust lists and run records show.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** A publisher the caller trusts: a name for messages and records, and its public key. */
export interface TrustedPublisher {
  name: string;
  /** SPKI PEM, or base64 of the SPKI DER. */
  publicKey: string;
}

/** Parses a public key given as SPKI PEM or base64 SPKI DER; throws a plain Error when it is neither. */
export function parsePublicKey(publicKey: string): KeyObject {
  const text = publicKey.trim();
  const key = text.includes('-----BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
  return key;
}

export function spkiDer(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' });
}

export function keyIdOf(key: KeyObject): string {
  return createHash('sha256').update(spkiDer(key)).digest('hex').slice(0, 16);
}

/** keyId of a public key given as SPKI PEM or base64 SPKI DER. */
export function publicKeyId(publicKey: string): string {
  let key: KeyObject;
  try {
    key = parsePublicKey(publicKey);
  } catch (error) {
    throw new UsageError(`not an Ed25519 public key (SPKI PEM or base64 DER): ${(error as Error).message}`);
  }
  return keyIdOf(key);
}

/** Parses a PKCS8 PEM private key; `source` names where it came from in messages. */
export function parsePrivateKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new UsageError(`${source} is not a private key in PEM form; create one with: rpa keygen --out PREFIX`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${source} is a ${key.asymmetricKeyType ?? 'unknown'} key; packages are signed with Ed25519 keys (rpa keygen)`);
  return key;
}

/**
 * Writes a new key pair: the private key (PKCS8 PEM) to `prefix`, created with mode 0600 so it
 * is never readable by others even for a moment, and the public key (SPKI PEM) to `prefix.pub`.
 * Never overwrites: a lost private key cannot be recovered, and an overwritten one is lost.
 */
export function generateKeyPair(prefix: string): { privateKeyFile: string; publicKeyFile: string; keyId: string } {
  const privateKeyFile = path.resolve(prefix);
  const publicKeyFile = `${privateKeyFile}.pub`;
  for (const file of [privateKeyFile, publicKeyFile]) {
    if (existsSync(file)) throw new UsageError(`${file} already exists; refusing to overwrite a key (choose another --out, or move the old key away first)`);
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(path.dirname(privateKeyFile), { recursive: true });
  // 'wx': fails if the file appeared since the check above, instead of replacing it.
  writeFileSync(privateKeyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  try {
    writeFileSync(publicKeyFile, publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644, flag: 'wx' });
  } catch (error) {
    rmSync(privateKeyFile, { force: true });
    throw error;
  }
  return { privateKeyFile, publicKeyFile, keyId: keyIdOf(publicKey) };
}
