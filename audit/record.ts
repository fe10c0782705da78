// The audit record: one run event, chained to the device's previous record by hash.
import { hash } from 'node:crypto';
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
  return hash('sha256', canonicalJson(rest), 'hex');
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

const quoted = JSON.stringify;

/**
 * Same strings as canonicalJson(record without hash), canonicalJson(record) and
 * canonicalJson(record.payload), for a record as AuditRecordSchema outputs it (exactly its keys,
 * none undefined). The top-level members are written in their sorted order by hand — automation,
 * deviceId, hash, id, payload, prevHash, runId, seq, ts, type, user; automation's id, sha256,
 * version — so only the payload goes through canonicalJson. A server checks every record of every
 * batch with this: one template instead of a generic walk halves the work (bench/audit).
 * audit.test.ts holds it equal to canonicalJson.
 */
export function canonicalRecord(record: AuditRecord): CanonicalRecord {
  const { automation } = record;
  const payload = canonicalJson(record.payload);
  const head =
    automation === null
      ? `{"automation":null,"deviceId":${quoted(record.deviceId)},`
      : `{"automation":{"id":${quoted(automation.id)},"sha256":${quoted(automation.sha256)},"version":${quoted(automation.version)}},"deviceId":${quoted(record.deviceId)},`;
  // seq is a safe integer (the schema says so): its template text is what JSON.stringify writes.
  const tail = `"id":${quoted(record.id)},"payload":${payload},"prevHash":${quoted(record.prevHash)},"runId":${quoted(record.runId)},"seq":${record.seq},"ts":${quoted(record.ts)},"type":${quoted(record.type)},"user":${quoted(record.user)}}`;
  return { unsealed: head + tail, sealed: `${head}"hash":${quoted(record.hash)},${tail}`, payload };
}

/** SHA-256 (hex) of an already canonical unsealed record (CanonicalRecord.unsealed). */
export function hashCanonical(unsealed: string): string {
  // The one-shot hash(): a Hash object per record cost four times as much for 600-byte inputs.
  return hash('sha256', unsealed, 'hex');
}

/** Gives a record its place in the chain: seq and prevHash from the previous record, then its hash. */
export function sealRecord(fields: Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>, previous: { seq: number; hash: string } | undefined): AuditRecord {
  const unsealed = { ...fields, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: hashRecord(unsealed) };
}
