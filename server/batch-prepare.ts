// A batch's checks that need nothing stored, and what they produce for writing it: schema, one
// device, consecutive seqs, storable strings, the device's signature, every hash and every link
// inside the batch; then the batch's rows (COPY text on PostgreSQL). No database, no Fastify: this
// runs on the server thread or in a verification worker (verify-pool.ts), with the same verdicts.
import { AuditBatchSchema, GENESIS_HASH, isAuditTime, MAX_BATCH, unstorableCanonical, verifyBatchSignature, verifyChain, type AuditBatch, type AuditRecord } from '../audit/index.js';
import { canonicalRecord, hashCanonical } from '../audit/record.js';
import { parse as secureJsonParse } from 'secure-json-parse';
import { badRequest, forbidden, HttpError, parse } from './http.js';

/** The form toISOString writes (years 0001-9999): what devices send. */
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * ts as PostgreSQL gets it for ts_at: the schema (isAuditTime) let only times both sides read alike
 * through. A ts the schema accepted that is already in toISOString's form is its own ISO time (a
 * real calendar date in years 0001-9999, so Date.parse and toISOString give it back unchanged):
 * checking and rewriting it again cost ~5 % of a batch's checks.
 */
function timestamp(ts: string): string | null {
  if (ISO_UTC.test(ts)) return ts;
  const ms = Date.parse(ts);
  return isAuditTime(ts) ? new Date(ms).toISOString() : null;
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
    isAuditTime(value.ts) &&
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

/**
 * Records checked between two looks at the event loop. A batch's checks take ~10 ms of CPU; done
 * in one go on the server thread they held up every database round trip of the batch being
 * written meanwhile (each waits for the event loop), and the device's lane, not the CPU, became
 * the limit (bench/audit). A verification worker has nothing to let in, but sends the COPY text
 * of each slice as soon as it is written (PreparedChunk), so PostgreSQL starts on it.
 */
const SLICE = 100;
const letIoIn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What runRows (ingest.ts) needs of a record, kept instead of the record. */
export interface RunEvent {
  seq: number;
  runId: string;
  automationId: string | null;
  automationVersion: string | null;
  /** For run.started: the automation's name its payload gives (automationName). */
  automationName: string | null;
  user: string;
  /** For run.finished: the status the run ended with. */
  finished: string | undefined;
}

/**
 * The automation's name a run.started record carries in its payload (engine/events.ts
 * RunStartedEvent.automation.name), or null: another record type, or no name that is a non-empty
 * string. The record's own automation field holds only id, version and hash (the shared record
 * format), and the name is signed with the payload just the same. verify.ts and migration 009
 * read it by this same rule.
 */
export function automationName(record: Pick<AuditRecord, 'type' | 'payload'>): string | null {
  if (record.type !== 'run.started') return null;
  const automation = record.payload['automation'];
  const name = automation && typeof automation === 'object' ? (automation as Record<string, unknown>)['name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : null;
}

function runEvent(record: AuditRecord): RunEvent {
  const status = record.payload.status;
  return {
    seq: record.seq,
    runId: record.runId,
    automationId: record.automation?.id ?? null,
    automationVersion: record.automation?.version ?? null,
    automationName: automationName(record),
    user: record.user,
    finished: record.type === 'run.finished' ? (typeof status === 'string' && status !== 'running' ? status : 'finished') : undefined,
  };
}

/** COPY text of consecutive records, one line each, with where each line starts in text. */
export interface PreparedChunk {
  text: Uint8Array;
  lineStarts: number[];
}

/** Per record of a batch: its hash, its time (ISO, null when ts does not parse) and what runs need of it. */
export interface BatchDetail {
  hashes: string[];
  times: Array<string | null>;
  runEvents: RunEvent[];
}

/** What a batch says about one run it touches; merged into runs by ingest.ts's upsert. */
export interface RunRow {
  run_id: string;
  automation_id: string | null;
  automation_version: string | null;
  /** The name of the run's first run.started record that has one. */
  automation_name: string | null;
  user_name: string;
  status: string;
  started_at: string | null;
  ended_at: string | null;
  record_count: number;
  first_seq: number;
  last_seq: number;
}

/** Each run the events touch, with what they say of it. */
export function runRows(events: readonly RunEvent[], times: ReadonlyArray<string | null>): RunRow[] {
  const runs = new Map<string, RunRow>();
  for (const [index, event] of events.entries()) {
    const at = times[index] ?? null;
    let run = runs.get(event.runId);
    if (!run) {
      run = {
        run_id: event.runId,
        automation_id: event.automationId,
        automation_version: event.automationVersion,
        automation_name: null,
        user_name: event.user,
        status: 'running',
        started_at: at,
        ended_at: null,
        record_count: 0,
        first_seq: event.seq,
        last_seq: event.seq,
      };
      runs.set(event.runId, run);
    }
    run.record_count++;
    run.last_seq = event.seq;
    run.automation_name ??= event.automationName;
    if (at && (!run.started_at || at < run.started_at)) run.started_at = at;
    if (event.finished !== undefined) {
      run.status = event.finished;
      run.ended_at = at;
    }
  }
  return [...runs.values()];
}

/**
 * A checked batch, reduced to what writing and placing it needs (no parsed body): for PostgreSQL
 * the COPY text of every record (in chunks, see prepareBatch), so a batch overlapping the ack
 * sends only the lines after it; for PGlite the records and their payloads' canonical JSON for an
 * INSERT. Plain data: it crosses from a verification worker by structured clone, the COPY text's
 * memory by transfer.
 */
export interface PreparedBatch {
  signature: string;
  firstSeq: number;
  /** Records in the batch. */
  count: number;
  firstPrevHash: string;
  lastHash: string;
  /** Every record's hash, concatenated in seq order (what the server's receipt for the batch keeps). */
  recordHashes: string;
  /** runRows of the whole batch as JSON: what placing it writes to runs when none of it is stored yet. */
  runsJson: string;
  /**
   * Each record's hash, time and run event, for placing a batch that overlaps the ack (and for
   * PGlite's INSERT). A worker sends it as JSON, one string: 1,500 small values cost the
   * structured clone more than the rest of the batch (it is parsed only when needed).
   */
  detail: BatchDetail | string;
  /** The COPY text when it was not handed out chunk by chunk (onChunk). */
  copy?: PreparedChunk[];
  insert?: { records: AuditRecord[]; payloads: string[] };
}

export interface PrepareOptions {
  useCopy: boolean;
  /** Where COPY text buffers come from (default: this thread's pool). */
  buffers?: BufferPool;
  /** detail as JSON (to cross to another thread). */
  detailAsJson?: boolean;
  /** Let the event loop in between slices of records (the server thread): default true. */
  sliced?: boolean;
  /**
   * COPY text of each slice of records as soon as it is written, before the batch is verified
   * (the caller may stream it into an uncommitted COPY, to be rolled back should a check fail).
   */
  onChunk?: (chunk: PreparedChunk) => void;
}

/**
 * Every check of a batch body that needs nothing stored but the device's enrolled key, then its
 * rows. One pass over the records, a slice at a time: shape, device, consecutive seqs, storable
 * strings, canonical JSON, SHA-256, COPY line; then the signature over the whole batch, then
 * every hash and link. Throws HttpError — 400 (schema, seqs, storable strings; then hashes,
 * links), 403 (another device's batch), 401 (signature) — in that order of precedence whatever
 * the records' order.
 */
export async function prepareBatch(body: unknown, deviceId: string, publicKey: string | undefined, options: PrepareOptions): Promise<PreparedBatch> {
  const sliced = options.sliced ?? true;
  const buffers = options.buffers ?? copyBuffers;
  const batch = surelyValidBatch(body) ? body : parse(AuditBatchSchema, body, 'batch', 'invalid_batch');
  if (batch.deviceId !== deviceId) throw forbidden(`this token belongs to device ${deviceId}, not ${batch.deviceId}`);
  const { records } = batch;
  const first = records[0]!.seq;
  const sealed: string[] = [];
  const computed: string[] = [];
  const times: Array<string | null> = [];
  const payloads: string[] = [];
  const chunks: PreparedChunk[] = [];
  let lines: string[] = [];
  for (let start = 0; start < records.length; start += SLICE) {
    if (sliced && start > 0) await letIoIn();
    const end = Math.min(records.length, start + SLICE);
    for (let index = start; index < end; index++) {
      const record = records[index]!;
      if (record.deviceId !== batch.deviceId) throw badRequest('invalid_batch', `record ${record.seq} names device ${record.deviceId}, the batch ${batch.deviceId}`);
      if (record.seq !== first + index) throw badRequest('invalid_batch', `records must have consecutive seqs: found ${record.seq} at position ${index} after ${first}`);
      let forms: ReturnType<typeof canonicalRecord>;
      try {
        forms = canonicalRecord(record);
      } catch (error) {
        // JSON itself can say 1e999, which parses to Infinity and has no canonical form.
        throw badRequest('invalid_batch', `record ${record.seq}: the payload cannot be written as canonical JSON: ${(error as Error).message}`);
      }
      if (unstorableCanonical(forms.sealed)) throw badRequest('invalid_batch', `record ${record.seq} holds a NUL character or a lone surrogate, which cannot be stored`);
      sealed.push(forms.sealed);
      computed.push(hashCanonical(forms.unsealed));
      const time = timestamp(record.ts);
      times.push(time);
      if (options.useCopy) lines.push(copyLine(record, forms.payload, time));
      else payloads.push(forms.payload);
    }
    if (options.onChunk && lines.length > 0) {
      options.onChunk(encodeLines(lines, buffers));
      lines = [];
    }
  }
  if (options.useCopy && lines.length > 0) chunks.push(encodeLines(lines, buffers));

  if (!publicKey || !verifyBatchSignature(batch, publicKey, sealed)) {
    throw new HttpError(401, { error: 'bad_signature', message: `the batch signature does not verify with the key enrolled for device ${deviceId}` });
  }
  const head = records[0]!;
  if (head.seq === 1 && head.prevHash !== GENESIS_HASH) throw badRequest('broken_chain', 'record 1 must have prevHash of 64 zeros', { seq: 1 });
  const verdict = verifyChain(records, { seq: head.seq - 1, hash: head.prevHash }, computed);
  if (!verdict.ok) {
    const error = verdict.firstBroken.reason.includes('altered') ? 'bad_hash' : 'broken_chain';
    throw badRequest(error, verdict.firstBroken.reason, { seq: verdict.firstBroken.seq });
  }
  const detail: BatchDetail = { hashes: records.map((record) => record.hash), times, runEvents: records.map(runEvent) };
  return {
    signature: batch.signature,
    firstSeq: first,
    count: records.length,
    firstPrevHash: head.prevHash,
    lastHash: records[records.length - 1]!.hash,
    recordHashes: detail.hashes.join(''),
    runsJson: JSON.stringify(runRows(detail.runEvents, times)),
    detail: options.detailAsJson ? JSON.stringify(detail) : detail,
    ...(options.useCopy ? (options.onChunk ? {} : { copy: chunks }) : { insert: { records, payloads } }),
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

  /** Takes back the memory of a buffer from take() (a view of it will do: all of its ArrayBuffer is kept). */
  give(buffer: Uint8Array): void {
    if (this.free.length < this.keep && buffer.buffer instanceof ArrayBuffer && buffer.buffer.byteLength > 0) this.free.push(Buffer.from(buffer.buffer));
  }
}

export const copyBuffers = new BufferPool(8, 256 * 1024);

// COPY's text format: tab between columns, newline after each row, \N for NULL; a backslash,
// tab, newline or carriage return inside a value is backslash-escaped. (NUL never gets here:
// prepareBatch refuses it.)
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

/** One record's COPY line (columns RECORD_COLUMNS of ingest.ts). */
function copyLine(r: AuditRecord, payload: string, time: string | null): string {
  const a = r.automation;
  // seq is an integer, prevHash and hash are hex (checked): they need no escaping.
  return `${copyField(r.deviceId)}\t${r.seq}\t${copyField(r.id)}\t${copyField(r.ts)}\t${copyField(time)}\t${copyField(r.type)}\t${copyField(r.runId)}\t${copyField(a?.id ?? null)}\t${copyField(a?.version ?? null)}\t${copyField(a?.sha256 ?? null)}\t${copyField(r.user)}\t${copyField(payload)}\t${r.prevHash}\t${r.hash}\n`;
}

/** Lines as UTF-8 in one pooled buffer (text is a view of its written part), with where each line starts. */
function encodeLines(lines: readonly string[], buffers: BufferPool): PreparedChunk {
  // A line's UTF-8 is at most 3 bytes per UTF-16 code unit; mostly it is 1.
  let bound = 0;
  for (const line of lines) bound += line.length * 3;
  const buffer = buffers.take(bound);
  const lineStarts: number[] = [];
  let at = 0;
  for (const line of lines) {
    lineStarts.push(at);
    at += buffer.write(line, at);
  }
  return { text: buffer.subarray(0, at), lineStarts };
}
