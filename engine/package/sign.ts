// Signs a package: an Ed25519 signature over the exact manifest bytes, kept in signature.json
// beside the manifest. The packed files are covered through their hashes in the manifest.
import { createPublicKey, sign } from 'node:crypto';
import { writeArchive } from './archive.js';
import { keyIdOf, parsePrivateKey } from './keys.js';
import { FILES_PREFIX, MANIFEST_ENTRY, SIGNATURE_ENTRY, type Signature } from './manifest.js';
import { checkContents, readPackage } from './verify.js';

/** Checks the contents match the manifest, then writes (or replaces) signature.json, atomically. */
export function signPackage(file: string, privateKeyPem: string, options: { signer?: string } = {}): { keyId: string } {
  const privateKey = parsePrivateKey(privateKeyPem, 'the signing key');
  const raw = readPackage(file);
  // An old signature is about to be replaced, so only the contents are checked, not it.
  checkContents(raw);
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const signedAt = new Date();
  const signature: Signature = {
    alg: 'ed25519',
    keyId,
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    signedAt: signedAt.toISOString(),
    ...(options.signer !== undefined && { signer: options.signer }),
    signature: sign(null, raw.manifestBytes, privateKey).toString('base64'),
  };
  const entries = new Map<string, Uint8Array>([
    [MANIFEST_ENTRY, raw.manifestBytes],
    [SIGNATURE_ENTRY, Buffer.from(`${JSON.stringify(signature, null, 2)}\n`, 'utf8')],
  ]);
  for (const [relative, bytes] of raw.files) entries.set(`${FILES_PREFIX}${relative}`, bytes);
  writeArchive(file, entries, signedAt);
  return { keyId };
}
