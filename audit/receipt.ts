// What the audit server signs with its own Ed25519 key: the entries of its append-only,
// hash-chained log. One kind, `batch`, is the receipt a device gets for each accepted batch;
// the others record enrollments, retention anchors and revocations. A device signature proves
// who wrote records; the server's log proves what the server accepted and did, so someone able
// to edit the server's database (but not to read its key file) can neither drop records the
// server acknowledged, nor invent a retention anchor, nor swap a device's key, unnoticed.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_HASH } from './record.js';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters');
const seq = z.number().int().min(0);

const base = {
  v: z.literal(1),
  /** Position in the server's log: 1, 2, 3 … with no gaps. */
  n: z.number().int().min(1),
  /** hash of entry n - 1 (64 zeros for entry 1). */
  prevHash: hex64,
  at: z.string().min(1).max(40),
  deviceId: z.string().min(1).max(64),
};

const enroll = { ...base, kind: z.literal('enroll'), publicKeySha256: hex64 };
// placedFromSeq: the first record this batch newly placed (records before it in the batch were already stored).
const batch = { ...base, kind: z.literal('batch'), firstSeq: seq, lastSeq: seq, placedFromSeq: seq, lastHash: hex64, recordsDigest: hex64 };
const anchor = { ...base, kind: z.literal('anchor'), fromSeq: seq, anchorSeq: seq, anchorHash: hex64, retentionId: z.number().int() };
const revoke = { ...base, kind: z.literal('revoke'), ackSeq: seq, by: z.string().max(300), reason: z.string().max(500).nullable() };
const sealed = { hash: hex64, signature: z.string().min(1).max(200) };

export const LogEntryBodySchema = z.discriminatedUnion('kind', [z.strictObject(enroll), z.strictObject(batch), z.strictObject(anchor), z.strictObject(revoke)]);
export type LogEntryBody = z.infer<typeof LogEntryBodySchema>;
export type LogEntryKind = LogEntryBody['kind'];

export const LogEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...enroll, ...sealed }),
  z.strictObject({ ...batch, ...sealed }),
  z.strictObject({ ...anchor, ...sealed }),
  z.strictObject({ ...revoke, ...sealed }),
]);
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** The receipt for one accepted batch: a `batch` entry of the server's log. */
export const ReceiptSchema = z.strictObject({ ...batch, ...sealed });
export type Receipt = z.infer<typeof ReceiptSchema>;

export const LOG_GENESIS_HASH = GENESIS_HASH;

/** SHA-256 of a run of record hashes (hex, concatenated in seq order): what a receipt signs of its records. */
export function recordsDigest(hashes: readonly string[] | string): string {
  return createHash('sha256')
    .update(typeof hashes === 'string' ? hashes : hashes.join(''), 'utf8')
    .digest('hex');
}

/** Hex SHA-256 of an Ed25519 public key's SPKI DER: the same for any PEM spelling of the key. */
export function publicKeySha256(publicKeyPem: string): string {
  return createHash('sha256')
    .update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function bodyOf(entry: LogEntry): LogEntryBody {
  const { hash: _hash, signature: _signature, ...body } = entry;
  return body;
}

export function hashLogEntry(body: LogEntryBody): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/** hash over the canonical JSON of the body, and the server's signature over the same bytes. */
export function sealLogEntry<B extends LogEntryBody>(body: B, privateKey: KeyObject | string): B & { hash: string; signature: string } {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const bytes = Buffer.from(canonicalJson(body), 'utf8');
  return { ...body, hash: createHash('sha256').update(bytes).digest('hex'), signature: sign(null, bytes, key).toString('base64') };
}

/** True when entry's hash is the hash of its body and its signature verifies with the server's public key. */
export function checkLogEntry(entry: LogEntry, serverPublicKey: KeyObject | string): boolean {
  try {
    const body = bodyOf(entry);
    const bytes = Buffer.from(canonicalJson(body), 'utf8');
    if (createHash('sha256').update(bytes).digest('hex') !== entry.hash) return false;
    const key = typeof serverPublicKey === 'string' ? createPublicKey(serverPublicKey) : serverPublicKey;
    return verify(null, bytes, key, Buffer.from(entry.signature, 'base64'));
  } catch {
    return false; // a malformed key, body or signature is simply not a valid entry
  }
}
