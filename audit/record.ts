// The audit record: one run event, chained to the device's previous record by hash.
import { hash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, inSortedOrder } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters');

/** The instants a record's time may name: years 0001-9999 (UTC), what PostgreSQL's timestamptz and JavaScript's Date both hold alike. */
const EARLIEST_MS = -62_135_596_800_000; // 0001-01-01T00:00:00Z (Date.UTC would read year 1 as 1901)
const LATEST_MS = Date.UTC(10_000, 0, 1); // exclusive
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;
const daysIn = (year: number, month: number): number => (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/**
 * A record's time: an RFC 3339 date-time (2026-12-05T21:48:41.000Z, or with an offset) naming a
 * real calendar day and time, whose instant lies in years 0001-9999. JavaScript's Date.parse
 * alone is not the test: it takes 2026-02-30 (as 2 March), T24:00, year 0000 and ±275760, which
 * PostgreSQL refuses, so a record the device could sign would fail on the server for ever.
 */
export function isAuditTime(value: string): boolean {
  const match = RFC3339.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHour = 0, offsetMinute = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part))) as number[];
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysIn(year!, month!) || hour! > 23 || minute! > 59 || second! > 59 || offsetHour > 23 || offsetMinute > 59) return false;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms < LATEST_MS;
}

export const AUDIT_TIME_HINT = 'expected an RFC 3339 date-time such as 2026-12-05T21:48:41.000Z, in years 0001-9999';

/** Characters PostgreSQL text and jsonb cannot hold (NUL), and lone surrogates (no UTF-8 form). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE_CHARS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
export const hasUnstorableChar = (value: string): boolean => value.search(UNSTORABLE_CHARS) !== -1;
/** value with each unstorable character replaced by U+FFFD (what a device seals instead). */
export const replaceUnstorable = (value: string): string => value.replace(UNSTORABLE_CHARS, '\ufffd');
export const UNSTORABLE_HINT = 'holds a NUL character or a lone surrogate, which cannot be stored';

/**
 * Canonical JSON of a record (or any part of it) holds an unstorable character exactly when one
 * of its escapes is there: JSON.stringify writes a NUL as \u0000 and a lone surrogate as \udXXX
 * (every other character as itself or another escape), after an even run of backslashes. One
 * regular expression over a string already made, instead of a walk over the record.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;
export const unstorableCanonical = (json: string): boolean => json.includes('\\u') && UNSTORABLE_ESCAPE.test(json);

const storableText = (min = 0, max = Number.POSITIVE_INFINITY) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !hasUnstorableChar(value), UNSTORABLE_HINT);

/**
 * One definition for both sides: the device checks each record with it as it seals it into the
 * outbox (engine/sync/outbox.ts), the server each record it is sent. So whatever a device can
 * write, the server can store: a record refused later would block its device's upload for good.
 */
export const AuditRecordSchema = z.strictObject({
  id: storableText(1, 64),
  deviceId: storableText(1, 64),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  ts: z.string().max(40).refine(isAuditTime, AUDIT_TIME_HINT),
  type: storableText(1, 64),
  automation: z.strictObject({ id: storableText(), version: storableText(), sha256: storableText() }).nullable(),
  runId: storableText(1, 64),
  user: storableText(0, 256),
  payload: z.record(z.string(), z.unknown()).superRefine((payload, context) => {
    let json: string;
    try {
      json = canonicalJson(payload);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `cannot be written as canonical JSON: ${(error as Error).message}` });
      return;
    }
    if (unstorableCanonical(json)) context.addIssue({ code: 'custom', message: `${UNSTORABLE_HINT} (a key or string in it)` });
  }),
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

/**
 * Gives a record its place in the chain: seq and prevHash from the previous record, then its hash.
 * The payload's keys are put in canonical order (same values): sent like that, the server writes
 * its canonical JSON with the engine's JSON.stringify instead of a walk (canonicalJson).
 */
export function sealRecord(fields: Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>, previous: { seq: number; hash: string } | undefined): AuditRecord {
  const unsealed = { ...fields, payload: inSortedOrder(fields.payload), seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: hashRecord(unsealed) };
}
