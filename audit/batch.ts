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
  if (sealed && sealed.length === records.length) return joinedBytes(`{"deviceId":${JSON.stringify(deviceId)},"records":[`, sealed, ']}');
  return Buffer.from(canonicalJson({ deviceId, records }));
}

/**
 * canonicalJson({ deviceId, records }) ("deviceId" sorts before "records") from each record's
 * canonical JSON, written piece by piece into one scratch buffer that is reused: the bytes are
 * only read by the sign or verify call that follows at once (both synchronous). Building a fresh
 * 300 KiB buffer (or a joined string) for each batch cost more than the signature check itself,
 * most of it page faults on newly allocated memory.
 */
let scratch = Buffer.alloc(0);
function joinedBytes(head: string, items: readonly string[], tail: string): Buffer {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  let bound = head.length + tail.length + items.length;
  for (const item of items) bound += item.length;
  bound *= 3;
  if (scratch.length < bound) scratch = Buffer.allocUnsafe(Math.max(bound, 2 * scratch.length));
  let at = scratch.write(head);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) at += scratch.write(',', at);
    at += scratch.write(items[i]!, at);
  }
  at += scratch.write(tail, at);
  return scratch.subarray(0, at);
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
