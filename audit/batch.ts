// A batch of consecutive records, signed with the device's Ed25519 key.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { AuditRecordSchema, type AuditRecord } from './record.js';

export const MAX_BATCH = 500;

export const AuditBatchSchema = z.strictObject({
  deviceId: z.string().min(1).max(64),
  records: z.array(AuditRecordSchema).min(1).max(MAX_BATCH),
  signature: z.string().min(1).max(200),
});
export type AuditBatch = z.infer<typeof AuditBatchSchema>;

function signedBytes(deviceId: string, records: AuditRecord[], sealed?: readonly string[]): Buffer {
  // canonicalJson({ deviceId, records }): "deviceId" sorts before "records".
  if (sealed && sealed.length === records.length) return Buffer.from(`{"deviceId":${JSON.stringify(deviceId)},"records":[${sealed.join(',')}]}`);
  return Buffer.from(canonicalJson({ deviceId, records }));
}

// Parsing a PEM key costs more than verifying; a server sees the same few keys again and again.
const publicKeys = new Map<string, KeyObject>();
function publicKeyOf(pem: string): KeyObject {
  let key = publicKeys.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    if (publicKeys.size >= 1000) publicKeys.clear();
    publicKeys.set(pem, key);
  }
  return key;
}

export function signBatch(deviceId: string, records: AuditRecord[], privateKeyPem: string): AuditBatch {
  const signature = sign(null, signedBytes(deviceId, records), createPrivateKey(privateKeyPem)).toString('base64');
  return { deviceId, records, signature };
}

/** sealed, when given, is canonicalJson of each record in order (CanonicalRecord.sealed), saving the work. */
export function verifyBatchSignature(batch: AuditBatch, publicKeyPem: string, sealed?: readonly string[]): boolean {
  try {
    return verify(null, signedBytes(batch.deviceId, batch.records, sealed), publicKeyOf(publicKeyPem), Buffer.from(batch.signature, 'base64'));
  } catch {
    return false; // a malformed key or signature is simply not a valid signature
  }
}

export function generateDeviceKeys(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
