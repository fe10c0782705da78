// GET /v1/devices/:id/verify: everything the server stores about a device, re-checked against
// what cannot be forged by someone who can only edit the database:
//   - the device's records: every hash and link, from the chain anchor to the acknowledged record;
//   - the device's batch signatures (its key never leaves the device), which must cover that whole
//     range without a gap, each re-checked over the records now stored;
//   - the server's own log (server-log.ts), signed with the server's key, which is kept outside the
//     database: one unbroken chain; its receipts must cover the range too, and hold exactly the
//     stored record hashes; the device's enrolled key, its chain anchor and its revocation must be
//     the ones the log recorded; the acknowledgement may not fall behind what was receipted;
//   - what is derived from the records: each record's parsed time (ts_at) and the runs table;
//   - the failure screenshots stored for its records: each re-hashed against the SHA-256 its
//     record seals (verify-screenshots.ts); those not on the server are listed.
// Every finding names the device's seq where it starts; the first broken one reported is the most
// precise (a single record before a range of them, a range before the log, the log before a
// derived view).
import { GENESIS_HASH, publicKeySha256, recordsDigest, verifyBatchSignature, verifyChain, type AuditRecord, type LogEntry } from '../audit/index.js';
import { checkLogEntry, LOG_GENESIS_HASH } from '../audit/receipt.js';
import { automationName } from './batch-prepare.js';
import type { Queryable } from './db.js';
import { toIso, toNumber } from './db.js';
import { toRecord } from './queries.js';
import { readLog } from './server-log.js';
import type { ServerKey } from './server-key.js';
import type { LogHead } from './log-head.js';
import { verifyScreenshots, type ScreenshotVerdict } from './verify-screenshots.js';

/** record: one record is wrong; screenshot: a stored picture is not the one its record seals; range: a run of records lacks a proof; log: the server's log; derived: a view built from records. */
export type FindingKind = 'record' | 'screenshot' | 'range' | 'log' | 'derived';
export interface Finding {
  kind: FindingKind;
  seq: number;
  reason: string;
  runId?: string;
}

export interface DeviceVerdict {
  ok: boolean;
  /** Records whose hash and link checked out (up to the first broken one). */
  checked: number;
  /** Device batch signatures re-checked over the stored records. */
  signedBatches: number;
  /** Server receipts (signed log entries) for this device's batches. */
  receipts: number;
  /** Where the stored chain starts: 0 unless retention deleted its beginning. */
  anchorSeq: number;
  firstBroken?: { seq: number; reason: string; kind: FindingKind; runId?: string };
  /** Every finding, most precise first (at most 50). */
  problems?: Finding[];
  /**
   * What the server's log shows happened, though everything holds now: records the server had
   * receipted and later placed again (it lost them in between; the device uploaded them anew).
   */
  incidents?: Array<{ seq: number; reason: string }>;
  /** The failure screenshots stored for this device's records, each re-hashed; absent when it has none. */
  screenshots?: ScreenshotVerdict;
}

const RANK: Record<FindingKind, number> = { record: 0, screenshot: 1, range: 2, log: 3, derived: 4 };
const SELECT_RECORDS = `SELECT device_id, seq, id, ts, type, run_id, automation_id, automation_version, automation_sha256, user_name, payload, prev_hash, hash,
  (extract(epoch FROM ts_at) * 1000)::float8 AS ts_ms FROM audit_records`;

/** A run of seqs with one proof each; first receipt wins where receipts overlap. */
interface Segment {
  first: number;
  last: number;
  /** Hash of seq s: hashes.slice((s - base) * 64, …). */
  hashes: string;
  base: number;
  n: number;
}

interface DeviceRow {
  ack_seq: unknown;
  ack_hash: string;
  public_key: string;
  revoked_at: unknown;
}

/** undefined when the device does not exist. */
export async function verifyDevice(db: Queryable, key: ServerKey, deviceId: string, head?: LogHead, pageSize = 5000): Promise<DeviceVerdict | undefined> {
  const device = (await db.query<DeviceRow>('SELECT ack_seq, ack_hash, public_key, revoked_at FROM devices WHERE id = $1', [deviceId])).rows[0];
  if (!device) return undefined;
  const ack = { seq: toNumber(device.ack_seq), hash: device.ack_hash };
  const findings: Finding[] = [];
  const found = (kind: FindingKind, seq: number, reason: string, runId?: string) => findings.push({ kind, seq, reason, ...(runId ? { runId } : {}) });

  // 1. The server's log: one chain, every entry signed; this device's entries collected.
  const log = await readDeviceLog(db, key, deviceId, found, head);
  const anchor = log.anchors.at(-1);
  const from = anchor ? { seq: anchor.anchorSeq, hash: anchor.anchorHash } : { seq: 0, hash: GENESIS_HASH };

  // 2. The device's key and revocation as the log recorded them.
  const enrolled = log.enrolls.at(-1);
  if (!enrolled) found('log', from.seq + 1, `the server's log has no enrollment of device ${deviceId}: its key cannot be told from a substituted one`);
  else if (safeKeyHash(device.public_key) !== enrolled.publicKeySha256) found('range', from.seq + 1, `device ${deviceId}'s public key was replaced after enrollment (entry ${enrolled.n} of the server's log holds another key): signatures checked with it prove nothing`);
  const revoked = device.revoked_at !== null && device.revoked_at !== undefined;
  const revocation = log.revokes.at(-1);
  if (revoked && !revocation) found('log', ack.seq, `device ${deviceId} is marked revoked but the server's log holds no revocation of it`);
  if (!revoked && revocation) found('record', revocation.ackSeq + 1, `device ${deviceId} was revoked (entry ${revocation.n} of the server's log, after record ${revocation.ackSeq}) but is no longer marked revoked: its later records came with a revoked token`);

  // 3. The chain anchor must be the one the log signed.
  const anchorRow = (await db.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM chain_anchors WHERE device_id = $1', [deviceId])).rows[0];
  const stored = anchorRow ? { seq: toNumber(anchorRow.seq), hash: anchorRow.hash } : { seq: 0, hash: GENESIS_HASH };
  if (stored.seq !== from.seq || stored.hash !== from.hash) {
    found('record', Math.min(stored.seq, from.seq) + 1, stored.seq > from.seq
      ? `records ${from.seq + 1}-${stored.seq} were removed behind a chain anchor the server's log never signed (no retention deleted them)`
      : `the chain anchor (seq ${stored.seq}) is not the one the server's log signed (seq ${from.seq})`);
  }

  // 4. Receipts: they must cover (from, ack], and the ack may not fall behind them.
  const receipts = segmentsOf(log.batches, from.seq);
  const hashIn = (segment: Segment | undefined, seq: number): string | undefined =>
    segment && segment.first <= seq && seq <= segment.last ? segment.hashes.slice((seq - segment.base) * 64, (seq - segment.base + 1) * 64) : undefined;
  // Records come in seq order and segments are sorted: one cursor walks both.
  let cursor = 0;
  const receiptHash = (seq: number): string | undefined => {
    while (cursor < receipts.length && receipts[cursor]!.last < seq) cursor++;
    return hashIn(receipts[cursor], seq);
  };
  const lastReceipt = log.batches.reduce<LogEntry & { kind: 'batch' } | undefined>((top, entry) => (!top || entry.lastSeq > top.lastSeq ? entry : top), undefined);
  if (lastReceipt && lastReceipt.lastSeq > ack.seq) {
    found('record', ack.seq + 1, `the server receipted records up to ${lastReceipt.lastSeq} (entry ${lastReceipt.n} of its log, ${lastReceipt.at}) but its acknowledgement says ${ack.seq}: records ${ack.seq + 1}-${lastReceipt.lastSeq} were lost or removed`);
  }
  for (const gap of gapsIn(receipts, from.seq + 1, ack.seq)) found('range', gap.first, `records ${gap.first}-${gap.last} have no receipt in the server's log: the server never signed that it accepted them`);
  const ackReceipted = hashIn(receipts.find((segment) => segment.first <= ack.seq && ack.seq <= segment.last), ack.seq);
  if (ack.seq > from.seq && ackReceipted !== undefined && ackReceipted !== ack.hash) found('record', ack.seq, `the acknowledged hash of record ${ack.seq} is not the one the server receipted`);

  // 5. The records: chain, receipts, parsed times, runs.
  const runs = new RunTally(from.seq > 0);
  let previous = from;
  let checked = 0;
  let chainBroken = false;
  let receiptMismatch = false;
  let timeMismatch = false;
  let lastStored = from.seq;
  let lastStoredHash = from.hash;
  for (;;) {
    const page = await db.query<Parameters<typeof toRecord>[0] & { ts_ms: unknown }>(`${SELECT_RECORDS} WHERE device_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [deviceId, lastStored, pageSize]);
    if (page.rows.length === 0) break;
    const records = page.rows.map(toRecord);
    if (!chainBroken) {
      const verdict = verifyChain(records, previous);
      if (verdict.ok) {
        checked += records.length;
        previous = { seq: records.at(-1)!.seq, hash: records.at(-1)!.hash };
      } else {
        checked += verdict.checked;
        chainBroken = true;
        found('record', verdict.firstBroken.seq, verdict.firstBroken.reason);
      }
    }
    for (const [index, record] of records.entries()) {
      const receipted = record.seq <= ack.seq ? receiptHash(record.seq) : undefined;
      if (!receiptMismatch && receipted !== undefined && receipted !== record.hash) {
        receiptMismatch = true;
        found('record', record.seq, `record ${record.seq} is not the record the server receipted (its hash differs from the receipt's): it was rewritten after upload`);
      }
      const tsMs = page.rows[index]!.ts_ms;
      const parsed = Date.parse(record.ts);
      const storedMs = tsMs === null || tsMs === undefined ? null : Math.round(toNumber(tsMs));
      if (!timeMismatch && storedMs !== (Number.isFinite(parsed) ? parsed : null)) {
        timeMismatch = true;
        found('record', record.seq, `record ${record.seq}'s indexed time (ts_at) is not its ts: searches, exports and retention would misplace it`);
      }
      if (record.seq <= ack.seq) runs.add(record);
    }
    const last = records.at(-1)!;
    lastStored = last.seq;
    lastStoredHash = last.hash;
    if (page.rows.length < pageSize) break;
  }
  if (!chainBroken) {
    if (lastStored < ack.seq) found('record', lastStored + 1, `records ${lastStored + 1} to ${ack.seq} were accepted but are missing`);
    else if (lastStored > ack.seq) found('record', ack.seq + 1, `records ${ack.seq + 1}-${lastStored} are stored beyond the acknowledged record ${ack.seq}: nothing the device sent`);
    else if (lastStoredHash !== ack.hash) found('record', ack.seq, `the stored chain does not end at the acknowledged record ${ack.seq}`);
  }

  // 6. Device signatures: re-checked, and covering (from, ack].
  const signedBatches = await checkSignatures(db, deviceId, device.public_key, from.seq, ack.seq, found);

  // 7. The runs table against the runs the records describe.
  await runs.compare(db, deviceId, found);

  // 8. The failure screenshots stored for its records, against the hashes those records seal.
  const screenshots = await verifyScreenshots(db, deviceId, (seq, reason, runId) => found('screenshot', seq, reason, runId));

  findings.sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.seq - b.seq);
  const verdict: DeviceVerdict = { ok: findings.length === 0, checked, signedBatches, receipts: log.batches.length, anchorSeq: from.seq };
  const incidents = replacedRecords(log.batches);
  if (incidents.length > 0) verdict.incidents = incidents;
  if (screenshots) verdict.screenshots = screenshots;
  const first = findings[0];
  if (first) {
    verdict.firstBroken = { seq: first.seq, reason: first.reason, kind: first.kind, ...(first.runId ? { runId: first.runId } : {}) };
    verdict.problems = findings.slice(0, 50);
  }
  return verdict;
}

function safeKeyHash(pem: string): string | undefined {
  try {
    return publicKeySha256(pem);
  } catch {
    return undefined;
  }
}

type Found = (kind: FindingKind, seq: number, reason: string, runId?: string) => void;
type Entry<K extends LogEntry['kind']> = Extract<LogEntry, { kind: K }> & { recordHashes?: string | null };

/** Walks the whole log (one chain), checking links and signatures; returns this device's valid entries. */
async function readDeviceLog(db: Queryable, key: ServerKey, deviceId: string, found: Found, head?: LogHead) {
  const enrolls: Array<Entry<'enroll'>> = [];
  const batches: Array<Entry<'batch'>> = [];
  const anchors: Array<Entry<'anchor'>> = [];
  const revokes: Array<Entry<'revoke'>> = [];
  let expected = 1;
  let prevHash: string | null = LOG_GENESIS_HASH;
  let receiptedUpTo = 0;
  let reported = 0;
  let last: { n: number; hash: string; deviceId: string } | undefined;
  let remembered: string | null | undefined;
  const wanted = head?.remembered();
  const report = (seq: number, reason: string) => {
    if (reported++ < 5) found('log', seq, reason);
  };
  for await (const stored of readLog(db, deviceId)) {
    const entry = stored.entry;
    const mine = stored.deviceId === deviceId || entry?.deviceId === deviceId;
    const gap = stored.n !== expected;
    // Where this device's records stand when entries go missing: a removed receipt is most likely
    // the next one of this device, so the gap is placed after what its receipts reach so far.
    if (gap) report(receiptedUpTo + 1, `entries ${expected}-${stored.n - 1} of the server's log are missing (this device's receipts before the gap reach record ${receiptedUpTo})`);
    expected = stored.n + 1;
    if (wanted && stored.n === wanted.n) remembered = entry?.hash ?? null;
    const valid = entry !== undefined && entry.n === stored.n && checkLogEntry(entry, key.publicKey);
    if (!valid) {
      const where = entry?.kind === 'batch' ? entry.firstSeq : entry?.kind === 'anchor' ? entry.fromSeq : receiptedUpTo + 1;
      if (mine) found('log', where, `entry ${stored.n} of the server's log (${stored.kind}) was altered or forged: its hash or the server's signature does not verify`);
      else report(0, `entry ${stored.n} of the server's log (device ${stored.deviceId}) was altered or forged: the log can no longer vouch for what follows`);
      prevHash = entry?.hash ?? null;
      continue;
    }
    if (!gap && prevHash !== null && entry.prevHash !== prevHash) report(receiptedUpTo + 1, `entry ${stored.n} of the server's log does not link to entry ${stored.n - 1}: entries were removed or replaced`);
    prevHash = entry.hash;
    last = { n: entry.n, hash: entry.hash, deviceId: entry.deviceId };
    if (entry.deviceId !== deviceId) continue;
    switch (entry.kind) {
      case 'enroll':
        enrolls.push(entry);
        break;
      case 'batch': {
        const hashes = stored.recordHashes ?? '';
        if (hashes.length !== (entry.lastSeq - entry.firstSeq + 1) * 64 || recordsDigest(hashes) !== entry.recordsDigest || !hashes.endsWith(entry.lastHash)) {
          found('log', entry.firstSeq, `the record hashes kept with receipt ${entry.n} (records ${entry.firstSeq}-${entry.lastSeq}) are not the ones the server signed`);
          batches.push({ ...entry, recordHashes: null });
        } else batches.push({ ...entry, recordHashes: hashes });
        receiptedUpTo = Math.max(receiptedUpTo, entry.lastSeq);
        break;
      }
      case 'anchor':
        anchors.push(entry);
        break;
      case 'revoke':
        revokes.push(entry);
        break;
    }
  }
  // The end of the log, held to the newest entry this server remembers having committed.
  if (wanted && (last?.n ?? 0) < wanted.n) {
    report(receiptedUpTo + 1, `the server's log ends at entry ${last?.n ?? 0}, but this server committed entry ${wanted.n} (device ${wanted.deviceId}): the last entries were removed`);
  } else if (wanted && remembered !== undefined && remembered !== wanted.hash) {
    report(receiptedUpTo + 1, `entry ${wanted.n} of the server's log is not the one this server committed: the log's end was replaced`);
  } else if (last && reported === 0) {
    head?.note(last);
  }
  return { enrolls, batches, anchors, revokes };
}

/** Receipts, in log order, that placed records an earlier receipt had covered: the server had lost them. */
function replacedRecords(batches: ReadonlyArray<Entry<'batch'>>): Array<{ seq: number; reason: string }> {
  const incidents: Array<{ seq: number; reason: string }> = [];
  let reach: Entry<'batch'> | undefined;
  for (const entry of [...batches].sort((a, b) => a.n - b.n)) {
    if (reach && entry.placedFromSeq <= reach.lastSeq) {
      const upTo = Math.min(reach.lastSeq, entry.lastSeq);
      incidents.push({ seq: entry.placedFromSeq, reason: `records ${entry.placedFromSeq}-${upTo}, receipted by entry ${reach.n} (${reach.at}), were placed again by entry ${entry.n} (${entry.at}): the server had lost them and the device uploaded them anew` });
    }
    if (!reach || entry.lastSeq > reach.lastSeq) reach = entry;
  }
  return incidents.slice(0, 20);
}

/** Receipts as non-overlapping segments after `after`, each with the record hashes it holds. */
function segmentsOf(batches: ReadonlyArray<Entry<'batch'>>, after: number): Segment[] {
  const segments: Segment[] = [];
  let end = after;
  for (const entry of [...batches].sort((a, b) => a.firstSeq - b.firstSeq || a.n - b.n)) {
    if (!entry.recordHashes || entry.lastSeq <= end) continue;
    const first = Math.max(entry.firstSeq, end + 1);
    segments.push({ first, last: entry.lastSeq, hashes: entry.recordHashes, base: entry.firstSeq, n: entry.n });
    end = entry.lastSeq;
  }
  return segments;
}

/** Seq ranges in [from, to] that no segment covers. */
function gapsIn(segments: ReadonlyArray<{ first: number; last: number }>, from: number, to: number): Array<{ first: number; last: number }> {
  const gaps: Array<{ first: number; last: number }> = [];
  let next = from;
  for (const segment of [...segments].sort((a, b) => a.first - b.first)) {
    if (next > to) break;
    if (segment.last < next) continue;
    if (segment.first > next) gaps.push({ first: next, last: Math.min(segment.first - 1, to) });
    next = Math.max(next, segment.last + 1);
  }
  if (next <= to) gaps.push({ first: next, last: to });
  return gaps;
}

/**
 * Each stored device signature re-checked over the records now stored for its range, and the
 * signatures together covering (after, ack]. A batch reaching back before the anchor (retention
 * deleted part of it) can no longer be re-checked; its kept records are held to the receipt's
 * hashes instead, and it still counts as covering them.
 */
async function checkSignatures(db: Queryable, deviceId: string, publicKey: string, after: number, ackSeq: number, found: Found): Promise<number> {
  const batches = await db.query<{ first_seq: unknown; last_seq: unknown; signature: string }>(
    'SELECT first_seq, last_seq, signature FROM audit_batches WHERE device_id = $1 AND last_seq > $2 ORDER BY first_seq, last_seq',
    [deviceId, after],
  );
  const covered: Array<{ first: number; last: number }> = [];
  let checked = 0;
  for (const batch of batches.rows) {
    const first = toNumber(batch.first_seq);
    const last = toNumber(batch.last_seq);
    if (first <= after) {
      covered.push({ first: after + 1, last });
      continue;
    }
    const result = await db.query<Parameters<typeof toRecord>[0]>(`${SELECT_RECORDS} WHERE device_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`, [deviceId, first, last]);
    const records: AuditRecord[] = result.rows.map(toRecord);
    checked++;
    if (records.length !== last - first + 1 || !verifyBatchSignature({ deviceId, records, signature: batch.signature }, publicKey)) {
      found('range', first, `the device's signature over records ${first}-${last} does not verify: they were changed after upload`);
      continue;
    }
    covered.push({ first, last });
  }
  for (const gap of gapsIn(covered, after + 1, ackSeq)) found('range', gap.first, `records ${gap.first}-${gap.last} are covered by no device signature: nothing proves the device wrote them`);
  return checked;
}

interface RunState {
  runId: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
  firstType: string;
  startedAt: number | null;
  endedAt: number | null;
  status: string;
  statusSeq: number;
  automationId: string | null;
  automationVersion: string | null;
  /** The first run.started record's name of the automation (batch-prepare.ts automationName). */
  automationName: string | null;
  user: string;
}

interface RunRow {
  run_id: string;
  automation_id: string | null;
  automation_version: string | null;
  automation_name: string | null;
  user_name: string;
  status: string;
  started_at: unknown;
  ended_at: unknown;
  record_count: unknown;
  first_seq: unknown;
  last_seq: unknown;
}

/** The runs the records describe, as ingest's upsert builds them (ingest.ts PLACE_SQL). */
class RunTally {
  private readonly runs = new Map<string, RunState>();

  /** anchored: retention deleted the chain's start, so a run's first records may be gone (its started_at, user and automation stay from them). */
  constructor(private readonly anchored: boolean) {}

  add(record: AuditRecord): void {
    const parsed = Date.parse(record.ts);
    const at = Number.isFinite(parsed) ? parsed : null;
    let run = this.runs.get(record.runId);
    if (!run) {
      run = {
        runId: record.runId,
        firstSeq: record.seq,
        lastSeq: record.seq,
        count: 0,
        firstType: record.type,
        startedAt: at,
        endedAt: null,
        status: 'running',
        statusSeq: record.seq,
        automationId: record.automation?.id ?? null,
        automationVersion: record.automation?.version ?? null,
        automationName: null,
        user: record.user,
      };
      this.runs.set(record.runId, run);
    }
    run.automationName ??= automationName(record);
    run.count++;
    run.lastSeq = record.seq;
    if (at !== null && (run.startedAt === null || at < run.startedAt)) run.startedAt = at;
    if (record.type === 'run.finished') {
      const status = record.payload['status'];
      run.status = typeof status === 'string' && status !== 'running' ? status : 'finished';
      run.statusSeq = record.seq;
      run.endedAt = at;
    }
  }

  async compare(db: Queryable, deviceId: string, found: Found): Promise<void> {
    const rows = await db.query<RunRow>(
      'SELECT run_id, automation_id, automation_version, automation_name, user_name, status, started_at, ended_at, record_count, first_seq, last_seq FROM runs WHERE device_id = $1',
      [deviceId],
    );
    const ms = (value: unknown): number | null => {
      const iso = toIso(value);
      return iso === null ? null : Date.parse(iso);
    };
    const seen = new Set<string>();
    for (const row of rows.rows) {
      const run = this.runs.get(row.run_id);
      if (!run) {
        found('derived', toNumber(row.first_seq), `run ${row.run_id} is listed in the runs table but no stored record belongs to it`, row.run_id);
        continue;
      }
      seen.add(row.run_id);
      const complete = !this.anchored || run.firstType === 'run.started';
      const problems: Array<[number, string]> = [];
      if (row.status !== run.status) problems.push([run.statusSeq, `status ${row.status}, its records say ${run.status}`]);
      if (ms(row.ended_at) !== run.endedAt) problems.push([run.statusSeq, `end time ${toIso(row.ended_at) ?? 'none'}, its records say ${run.endedAt === null ? 'none' : new Date(run.endedAt).toISOString()}`]);
      if (toNumber(row.record_count) !== run.count) problems.push([run.lastSeq, `${toNumber(row.record_count)} records, ${run.count} are stored`]);
      if (toNumber(row.last_seq) !== run.lastSeq) problems.push([run.lastSeq, `last record ${toNumber(row.last_seq)}, the records say ${run.lastSeq}`]);
      if (toNumber(row.first_seq) !== run.firstSeq) problems.push([run.firstSeq, `first record ${toNumber(row.first_seq)}, the records say ${run.firstSeq}`]);
      const started = ms(row.started_at);
      if (run.startedAt !== null && started !== null && (complete ? started !== run.startedAt : started > run.startedAt)) problems.push([run.firstSeq, `start time ${toIso(row.started_at)}, its records say ${new Date(run.startedAt).toISOString()}`]);
      if (complete && (row.user_name !== run.user || row.automation_id !== run.automationId || row.automation_version !== run.automationVersion)) {
        problems.push([run.firstSeq, `user or automation ${row.user_name} ${row.automation_id ?? '-'}@${row.automation_version ?? '-'}, its records say ${run.user} ${run.automationId ?? '-'}@${run.automationVersion ?? '-'}`]);
      }
      if (complete && row.automation_name !== run.automationName) {
        problems.push([run.firstSeq, `automation name ${JSON.stringify(row.automation_name)}, its run.started record says ${JSON.stringify(run.automationName)}`]);
      }
      const firstProblem = problems.sort((a, b) => a[0] - b[0])[0];
      if (firstProblem) found('derived', firstProblem[0], `run ${row.run_id} in the runs table does not match its records: ${problems.map((p) => p[1]).join('; ')}`, row.run_id);
    }
    for (const run of this.runs.values()) {
      if (!seen.has(run.runId)) found('derived', run.firstSeq, `run ${run.runId} has records but is missing from the runs table (searches and the console do not show it)`, run.runId);
    }
  }
}
