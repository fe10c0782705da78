// The audit server's own Ed25519 key: it signs the server's log (receipts for accepted batches,
// retention anchors, enrollments, revocations). It lives in a file beside the data, never in the
// database: whoever can only edit the database cannot sign. The public key is published at
// GET /v1/server-key; devices pin it.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { publicKeySha256 } from '../audit/index.js';

export class ServerKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  /** SHA-256 of the public key (SPKI DER), hex. */
  readonly keyId: string;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    if (this.privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the audit server key must be an Ed25519 private key (PKCS#8 PEM)');
    this.publicKey = createPublicKey(this.privateKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = publicKeySha256(this.publicKeyPem);
  }

  static generate(): ServerKey {
    return new ServerKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
}

/**
 * The key in file, created (mode 0600) at first start. Back it up with the database: a server
 * that loses it can no longer prove its log, and verify reports every entry as forged.
 */
export function loadOrCreateServerKey(file: string): { key: ServerKey; created: boolean } {
  if (existsSync(file)) {
    try {
      return { key: new ServerKey(readFileSync(file, 'utf8')), created: false };
    } catch (error) {
      throw new Error(`cannot use the audit server key ${file}: ${error instanceof Error ? error.message : String(error)}; restore it from the backup (a new key would make the existing log unverifiable)`, { cause: error });
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = ServerKey.generate();
  writeFileSync(file, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, created: true };
}
