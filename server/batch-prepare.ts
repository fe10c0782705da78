// A batch's checks that need nothing stored, and what they produce for writing it: schema, one
// device, consecutive seqs, storable strings, the device's signature, every hash and every link
// inside the batch; then the batch's rows (COPY text on PostgreSQL). No database, no Fastify: this
// runs on the server thread or in a verification worker (verify-pool.ts), with the same verdicts.
import { AuditBatchSchema, GENESIS_HASH, MAX_BATCH, verifyBatchSignature, verifyChain, type AuditBatch, type AuditRecord } from '../audit/index.js';
import { canonicalRecord, hashCanonical, type CanonicalRecord } from '../audit/record.js';
import { parse as secureJsonParse } from 'secure-json-parse';
import { badRequest, forbidden, HttpError, parse } from './http.js';

/**
 * Postgres text and jsonb cannot hold NUL; a lone surrogate would not survive UTF-8. Read off the
 * record's canonical JSON rather than by walking it: JSON.stringify writes a NUL as \u0000 and a
 * lone surrogate as \udXXX (every other character as itself or another escape), so one of those
 * escapes, after an even run of backslashes, is there exactly when some key or string holds one.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;
const unstorableCanonical = (json: string): boolean => json.includes('\\u') && UNSTORABLE_ESCAPE.test(json);

function timestamp(ts: string): string | null {
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

// A hand-written check of AuditBatchSchema for the common case. It accepts nothing the schema
// refuses; whatever it doubts goes through zod, whose verdict and messages stay the answer.
const HEX64 = /^[0-9a-f]{64}$/;
const RECORD_KEYS = ['id', 'deviceId', 'seq', 'ts', 'type', 'automation', 'runId', 'user', 'payload', 'prevHash', 'hash'] as const;
const isString = (value: unknown, min: number, max: number): value is string => typeof value === 'string' && value.length >= min && value.length <= max;
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};
const hasExactly = (value: Record<string, unknown>, keys: readonly string[]): boolean => {
  let count = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    count++;
  }
  return count === keys.length && keys.every((key) => Object.prototype.hasOwnProperty.call(value, key));
};

function surelyValidRecord(value: unknown): boolean {
  if (!isPlainObject(value) || !hasExactly(value, RECORD_KEYS)) return false;
  const { automation, payload } = value;
  return (
    isString(value.id, 1, 64) &&
    isString(value.deviceId, 1, 64) &&
    Number.isSafeInteger(value.seq) &&
    (value.seq as number) >= 1 &&
    isString(value.ts, 1, 40) &&
    isString(value.type, 1, 64) &&
    (automation === null ||
      (isPlainObject(automation) &&
        hasExactly(automation, ['id', 'version', 'sha256']) &&
        typeof automation.id === 'string' &&
        typeof automation.version === 'string' &&
        typeof automation.sha256 === 'string')) &&
    isString(value.runId, 1, 64) &&
    isString(value.user, 0, 256) &&
    isPlainObject(payload) &&
    typeof value.prevHash === 'string' &&
    HEX64.test(value.prevHash) &&
    typeof value.hash === 'string' &&
    HEX64.test(value.hash)
  );
}

function surelyValidBatch(body: unknown): body is AuditBatch {
  if (!isPlainObject(body) || !hasExactly(body, ['deviceId', 'records', 'signature'])) return false;
  const { records } = body;
  return isString(body.deviceId, 1, 64) && isString(body.signature, 1, 200) && Array.isArray(records) && records.length >= 1 && records.length <= MAX_BATCH && records.every(surelyValidRecord);
}

/**
 * A request body as JSON, refused as Fastify's own parser refuses it: not JSON, or holding a
 * __proto__ key or a constructor.prototype (which a later merge could turn into prototype pollution).
 */
export function parseJsonBody(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.trim() === '') throw badRequest('invalid_json', 'the body is empty; a JSON batch was expected');
  try {
    return secureJsonParse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'it holds a __proto__ key or a constructor.prototype, which are refused';
    throw badRequest('invalid_json', `the body is not acceptable JSON: ${detail}`);
  }
}

export interface CheckedBatch {
  deviceId: string;
  records: AuditRecord[];
  signature: string;
  /** canonical JSON of each record (with and without hash, and its payload), built once. */
  canonical: CanonicalRecord[];
}

/**
 * Records checked between two looks at the event loop. A batch's checks take ~10 ms of CPU; done
 * in one go on the server thread they held up every database round trip of the batch being
 * written meanwhile (each waits for the event loop), and the device's lane, not the CPU, became
 * the limit (bench/audit). In a verification worker there is nothing to let in (slice 0).
 */
const SLICE = 100;
const letIoIn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Checks that need nothing stored: shape, one device, consecutive seqs, storable strings. */
export async function checkBatchShape(body: unknown, deviceId: string, sliced = true): Promise<CheckedBatch> {
  const batch = surelyValidBatch(body) ? body : parse(AuditBatchSchema, body, 'batch', 'invalid_batch');
  if (batch.deviceId !== deviceId) throw forbidden(`this token belongs to device ${deviceId}, not ${batch.deviceId}`);
  const first = batch.records[0]!.seq;
  const canonical: CanonicalRecord[] = [];
  for (const [index, record] of batch.records.entries()) {
    if (sliced && index > 0 && index % SLICE === 0) await letIoIn();
    if (record.deviceId !== batch.deviceId) throw badRequest('invalid_batch', `record ${record.seq} names device ${record.deviceId}, the batch ${batch.deviceId}`);
    if (record.seq !== first + index) throw badRequest('invalid_batch', `records must have consecutive seqs: found ${record.seq} at position ${index} after ${first}`);
    const forms = canonicalRecord(record);
    if (unstorableCanonical(forms.sealed)) throw badRequest('invalid_batch', `record ${record.seq} holds a NUL character or a lone surrogate, which cannot be stored`);
    canonical.push(forms);
  }
  return { deviceId: batch.deviceId, records: batch.records, signature: batch.signature, canonical };
}

/** Every hash recomputed, every link inside the batch followed; seq 1 must start from genesis. */
export async function checkBatchChain(records: AuditRecord[], canonical: readonly CanonicalRecord[], sliced = true): Promise<void> {
  const first = records[0]!;
  if (first.seq === 1 && first.prevHash !== GENESIS_HASH) throw badRequest('broken_chain', 'record 1 must have prevHash of 64 zeros', { seq: 1 });
  const hashes: string[] = [];
  for (const [index, forms] of canonical.entries()) {
    if (sliced && index > 0 && index % SLICE === 0) await letIoIn();
    hashes.push(hashCanonical(forms.unsealed));
  }
  const verdict = verifyChain(records, { seq: first.seq - 1, hash: first.prevHash }, hashes);
  if (!verdict.ok) {
    const error = verdict.firstBroken.reason.includes('altered') ? 'bad_hash' : 'broken_chain';
    throw badRequest(error, verdict.firstBroken.reason, { seq: verdict.firstBroken.seq });
  }
}

/** What runRows (ingest.ts) needs of a record, kept instead of the record. */
export interface RunEvent {
  seq: number;
  runId: string;
  automationId: string | null;
  automationVersion: string | null;
  user: string;
  /** For run.finished: the status the run ended with. */
  finished: string | undefined;
}

function runEvent(record: AuditRecord): RunEvent {
  const status = record.payload.status;
  return {
    seq: record.seq,
    runId: record.runId,
    automationId: record.automation?.id ?? null,
    automationVersion: record.automation?.version ?? null,
    user: record.user,
    finished: record.type === 'run.finished' ? (typeof status === 'string' && status !== 'running' ? status : 'finished') : undefined,
  };
}

/**
 * A checked batch, reduced to what writing and placing it needs (no parsed body): for PostgreSQL
 * the COPY text of every record, one line each, with where each line starts (and, last, where the
 * text ends), so a batch overlapping the ack sends only the suffix after it; for PGlite the
 * records and their payloads' canonical JSON for an INSERT. Plain data: it crosses from a
 * verification worker by structured clone, the COPY text's memory by transfer.
 */
export interface PreparedBatch {
  signature: string;
  firstSeq: number;
  /** Each record's hash; within a checked batch record i's prevHash is hash i - 1. */
  hashes: string[];
  firstPrevHash: string;
  times: Array<string | null>;
  runEvents: RunEvent[];
  copy?: { text: Uint8Array; lineStarts: number[] };
  insert?: { records: AuditRecord[]; payloads: string[] };
}

/**
 * Every check of a batch body that needs nothing stored but the device's enrolled key, then its
 * rows. Throws HttpError: 400 (shape, seqs, storable strings, hashes, links), 403 (another
 * device's batch), 401 (signature).
 */
export async function prepareBatch(
  body: unknown,
  deviceId: string,
  publicKey: string | undefined,
  options: { useCopy: boolean; buffers?: BufferPool; sliced?: boolean },
): Promise<PreparedBatch> {
  const sliced = options.sliced ?? true;
  const batch = await checkBatchShape(body, deviceId, sliced);
  const sealed = batch.canonical.map((forms) => forms.sealed);
  if (!publicKey || !verifyBatchSignature(batch, publicKey, sealed)) {
    throw new HttpError(401, { error: 'bad_signature', message: `the batch signature does not verify with the key enrolled for device ${deviceId}` });
  }
  await checkBatchChain(batch.records, batch.canonical, sliced);
  const { records, canonical } = batch;
  const times = records.map((record) => timestamp(record.ts));
  return {
    signature: batch.signature,
    firstSeq: records[0]!.seq,
    hashes: records.map((record) => record.hash),
    firstPrevHash: records[0]!.prevHash,
    times,
    runEvents: records.map(runEvent),
    ...(options.useCopy
      ? { copy: await copyText(records, canonical, times, options.buffers ?? copyBuffers, sliced) }
      : { insert: { records, payloads: canonical.map((forms) => forms.payload) } }),
  };
}

/**
 * Buffers for COPY text, reused from batch to batch. On the machines measured, first touching
 * newly allocated memory (page faults) cost more than writing a batch's 300 KiB of COPY text
 * into it; a few buffers kept back make that a one-off. Each buffer owns its whole ArrayBuffer
 * (allocUnsafeSlow), so it can be transferred between threads.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly keep: number,
    private readonly minimumBytes: number,
  ) {}

  take(bytes: number): Buffer {
    const index = this.free.findIndex((buffer) => buffer.length >= bytes);
    if (index >= 0) return this.free.splice(index, 1)[0]!;
    return Buffer.allocUnsafeSlow(Math.max(bytes, this.minimumBytes));
  }

  give(buffer: Uint8Array): void {
    if (this.free.length < this.keep) this.free.push(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength));
  }
}

export const copyBuffers = new BufferPool(8, 1024 * 1024);

// COPY's text format: tab between columns, newline after each row, \N for NULL; a backslash,
// tab, newline or carriage return inside a value is backslash-escaped. (NUL never gets here:
// checkBatchShape refuses it.)
// Backslashes are common (DOMAIN\user, JSON escapes) and get a pass of their own; the others are rare.
const BACKSLASHES = /\\/g;
const CONTROL = /[\t\n\r]/;
const CONTROLS = /[\t\n\r]/g;
const CONTROL_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
function copyField(value: string | null): string {
  if (value === null) return '\\N';
  const escaped = value.includes('\\') ? value.replace(BACKSLASHES, '\\\\') : value;
  return CONTROL.test(escaped) ? escaped.replace(CONTROLS, (c) => CONTROL_ESCAPES[c]!) : escaped;
}

/** The records as COPY text (columns RECORD_COLUMNS of ingest.ts), in one pooled buffer, with where each line starts (and, last, where the text ends). */
async function copyText(
  records: AuditRecord[],
  canonical: readonly CanonicalRecord[],
  times: ReadonlyArray<string | null>,
  buffers: BufferPool,
  sliced: boolean,
): Promise<{ text: Buffer; lineStarts: number[] }> {
  const lines: string[] = [];
  for (const [i, r] of records.entries()) {
    if (sliced && i > 0 && i % SLICE === 0) await letIoIn();
    const a = r.automation;
    // seq is an integer, prevHash and hash are hex (checked): they need no escaping.
    lines.push(
      `${copyField(r.deviceId)}\t${r.seq}\t${copyField(r.id)}\t${copyField(r.ts)}\t${copyField(times[i] ?? null)}\t${copyField(r.type)}\t${copyField(r.runId)}\t${copyField(a?.id ?? null)}\t${copyField(a?.version ?? null)}\t${copyField(a?.sha256 ?? null)}\t${copyField(r.user)}\t${copyField(canonical[i]!.payload)}\t${r.prevHash}\t${r.hash}\n`,
    );
  }
  // A line's UTF-8 is at most 3 bytes per UTF-16 code unit; mostly it is 1.
  let bound = 0;
  for (const line of lines) bound += line.length * 3;
  const text = buffers.take(bound);
  const lineStarts: number[] = [];
  let at = 0;
  for (const line of lines) {
    lineStarts.push(at);
    at += text.write(line, at);
  }
  lineStarts.push(at);
  return { text, lineStarts };
}
