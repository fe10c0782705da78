// The audit record: one run event, chained to the device's previous record by hash.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters');

export const AuditRecordSchema = z.strictObject({
  id: z.string().min(1).max(64),
  deviceId: z.string().min(1).max(64),
  seq: z.number().int().min(1),
  ts: z.string().min(1).max(40),
  type: z.string().min(1).max(64),
  automation: z.strictObject({ id: z.string(), version: z.string(), sha256: z.string() }).nullable(),
  runId: z.string().min(1).max(64),
  user: z.string().max(256),
  payload: z.record(z.string(), z.unknown()),
  prevHash: hex64,
  hash: hex64,
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  const { hash: _ignored, ...rest } = record as AuditRecord;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** A record's canonical JSON with each member serialised once (what a server checking a batch needs). */
export interface CanonicalRecord {
  /** canonicalJson of the record without `hash`: what `hash` is the SHA-256 of. */
  unsealed: string;
  /** canonicalJson of the whole record: its part of the signed batch bytes. */
  sealed: string;
  /** canonicalJson of `payload`. */
  payload: string;
}

/** Same strings as canonicalJson(record without hash) and canonicalJson(record), built from one pass. */
export function canonicalRecord(record: AuditRecord): CanonicalRecord {
  const fields = record as unknown as Record<string, unknown>;
  const keys = Object.keys(fields)
    .filter((key) => fields[key] !== undefined)
    .sort();
  let unsealed = '';
  let sealed = '';
  let payload = 'null';
  for (const key of keys) {
    const value = key === 'payload' ? (payload = canonicalJson(fields[key])) : canonicalJson(fields[key]);
    const member = `${JSON.stringify(key)}:${value}`;
    sealed += sealed === '' ? member : `,${member}`;
    if (key !== 'hash') unsealed += unsealed === '' ? member : `,${member}`;
  }
  return { unsealed: `{${unsealed}}`, sealed: `{${sealed}}`, payload };
}

/** SHA-256 (hex) of an already canonical unsealed record (CanonicalRecord.unsealed). */
export function hashCanonical(unsealed: string): string {
  return createHash('sha256').update(unsealed).digest('hex');
}

/** Gives a record its place in the chain: seq and prevHash from the previous record, then its hash. */
export function sealRecord(fields: Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>, previous: { seq: number; hash: string } | undefined): AuditRecord {
  const unsealed = { ...fields, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: hashRecord(unsealed) };
}
