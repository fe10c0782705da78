// rpa sync verify: proves from this device's side that the audit server still holds everything it
// acknowledged. The device has its own records (the outbox) and the server's signed receipts; it
// asks the server for the hashes it stores now for the receipted ranges (GET /v1/devices/:id/proof)
// and checks them one by one. Records the server no longer has are accepted only below a chain
// anchor that the server signed as a retention run and that matches this device's own record.
import { checkLogEntry, LogEntrySchema, type Receipt } from '../../audit/index.js';
import { RpaError } from '../errors.js';
import type { AuditOutbox } from './outbox.js';
import { ReceiptStore, type Incident } from './receipts.js';

export class ServerProofError extends RpaError {}

export interface Connection {
  serverUrl: string;
  deviceId: string;
  deviceToken: string;
}

export interface DeviceVerifyResult {
  ok: boolean;
  server: string;
  deviceId: string;
  /** Receipts checked (signature and digest against this device's own records). */
  receipts: number;
  /** Receipts fetched from the server now (missing here, e.g. an answer lost in transit). */
  fetchedReceipts: number;
  /** Records whose stored hash on the server was compared with this device's. */
  compared: number;
  /** Up to where the receipts reach. */
  receiptedSeq: number;
  serverAckSeq: number;
  /** Where the server's chain starts after retention (0: nothing deleted). */
  anchorSeq: number;
  problems: Array<{ seq: number; reason: string }>;
  incidents: Incident[];
}

const PROOF_PAGE = 5000;

async function getJson(connection: Connection, route: string): Promise<Record<string, unknown>> {
  const url = `${connection.serverUrl}${route}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${connection.deviceToken}` }, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new ServerProofError(`audit server ${new URL(url).origin} unreachable: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const reason = [body['error'], body['message']].filter((part) => typeof part === 'string').join(': ');
    throw new ServerProofError(`audit server refused ${route.split('?')[0]} (${response.status})${reason ? `: ${reason}` : ''}`);
  }
  return body;
}

/** The server's public key, pinned now if this device has none pinned yet (trust on first use). */
export async function pinServerKey(receipts: ReceiptStore, connection: Connection): Promise<string> {
  const pinned = receipts.pinned();
  if (pinned && pinned.serverUrl === connection.serverUrl) return pinned.publicKey;
  const key = await getJson(connection, '/v1/server-key');
  if (typeof key['publicKey'] !== 'string') throw new ServerProofError('the audit server published no signing key at /v1/server-key (is it older than receipts?)');
  receipts.pin(connection.serverUrl, key['publicKey']);
  return key['publicKey'];
}

export async function verifyServerHoldings(outbox: AuditOutbox, connection: Connection): Promise<DeviceVerifyResult> {
  const receipts = new ReceiptStore(outbox.db);
  const publicKey = await pinServerKey(receipts, connection);
  const device = encodeURIComponent(connection.deviceId);
  const problems: Array<{ seq: number; reason: string }> = [];
  const problem = (seq: number, reason: string) => {
    if (problems.length < 20) problems.push({ seq, reason });
  };

  // Receipts this device lacks (an answer lost on the way): fetched and proven like the others.
  let fetched = 0;
  for (;;) {
    const page = await getJson(connection, `/v1/devices/${device}/receipts?after=${receipts.lastReceiptedSeq()}`);
    const list = Array.isArray(page['receipts']) ? (page['receipts'] as unknown[]) : [];
    const before = receipts.lastReceiptedSeq();
    for (const raw of list) {
      try {
        receipts.accept(raw, connection.deviceId);
        fetched++;
      } catch (error) {
        problem((raw as { firstSeq?: number }).firstSeq ?? 0, (error as Error).message);
      }
    }
    if (list.length === 0 || receipts.lastReceiptedSeq() === before) break;
  }

  // Every kept receipt re-checked: signed by the pinned key, matching this device's records.
  const kept = receipts.all();
  for (const receipt of kept) {
    const own = receipts.ownHashes(receipt.firstSeq, receipt.lastSeq);
    if (!checkLogEntry(receipt, publicKey)) problem(receipt.firstSeq, `receipt ${receipt.n} is not signed by the pinned server key`);
    else if (own.size !== receipt.lastSeq - receipt.firstSeq + 1) problem(receipt.firstSeq, `receipt ${receipt.n} covers records this device does not have`);
  }
  const receiptedSeq = kept.reduce((top, receipt) => Math.max(top, receipt.lastSeq), 0);

  // The server's hashes now, range by range, against this device's own.
  let compared = 0;
  let serverAckSeq = 0;
  let anchorSeq = 0;
  let firstMissing: number | undefined;
  let firstDifferent: number | undefined;
  const isCovered = coverage(kept);
  for (let from = 1; from <= receiptedSeq; from += PROOF_PAGE) {
    const to = Math.min(receiptedSeq, from + PROOF_PAGE - 1);
    const proof = await getJson(connection, `/v1/devices/${device}/proof?from=${from}&to=${to}`);
    const ack = proof['ack'] as { seq: number; hash: string };
    serverAckSeq = ack.seq;
    if (from === 1) anchorSeq = checkAnchor(proof, publicKey, receipts, problem);
    const stored = new Map((proof['records'] as Array<{ seq: number; hash: string }>).map((record) => [record.seq, record.hash]));
    const own = receipts.ownHashes(from, to);
    for (let seq = Math.max(from, anchorSeq + 1); seq <= to; seq++) {
      if (!isCovered(seq)) continue;
      const hash = stored.get(seq);
      if (hash === undefined) firstMissing ??= seq;
      else if (hash !== own.get(seq)) firstDifferent ??= seq;
      else compared++;
    }
  }
  if (serverAckSeq < receiptedSeq) problem(serverAckSeq + 1, `the server acknowledged records up to ${receiptedSeq} (signed receipts) but now says it holds records up to ${serverAckSeq}`);
  if (firstMissing !== undefined) problem(firstMissing, `record ${firstMissing} is receipted but missing on the server`);
  if (firstDifferent !== undefined) problem(firstDifferent, `record ${firstDifferent} on the server differs from this device's (its hash was changed after upload)`);
  problems.sort((a, b) => a.seq - b.seq);

  const incidents = receipts.incidents();
  return {
    ok: problems.length === 0 && incidents.length === 0,
    server: connection.serverUrl,
    deviceId: connection.deviceId,
    receipts: kept.length,
    fetchedReceipts: fetched,
    compared,
    receiptedSeq,
    serverAckSeq,
    anchorSeq,
    problems,
    incidents,
  };
}

/** A test for seqs asked in increasing order: does a receipt cover it? (one cursor over the sorted ranges) */
function coverage(receipts: readonly Receipt[]): (seq: number) => boolean {
  const ranges = [...receipts].sort((a, b) => a.firstSeq - b.firstSeq);
  let index = 0;
  let reach = 0;
  return (seq) => {
    while (index < ranges.length && ranges[index]!.firstSeq <= seq) reach = Math.max(reach, ranges[index++]!.lastSeq);
    return seq <= reach;
  };
}

/**
 * The server's chain anchor: records up to it may be gone only if the server signed an anchor
 * entry there (a retention run) and that entry names this device's own record. Returns the seq up
 * to which records count as deleted by retention (0: none).
 */
function checkAnchor(proof: Record<string, unknown>, publicKey: string, receipts: ReceiptStore, problem: (seq: number, reason: string) => void): number {
  const anchor = (proof['anchor'] as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: '' };
  const parsed = LogEntrySchema.safeParse(proof['anchorEntry']);
  const entry = parsed.success && parsed.data.kind === 'anchor' && checkLogEntry(parsed.data, publicKey) ? parsed.data : undefined;
  let signed = 0;
  if (entry) {
    if (receipts.ownHashes(entry.anchorSeq, entry.anchorSeq).get(entry.anchorSeq) === entry.anchorHash) signed = entry.anchorSeq;
    else problem(entry.anchorSeq, `the retention anchor the server signed at record ${entry.anchorSeq} is not this device's record ${entry.anchorSeq}`);
  }
  if (anchor.seq > signed) {
    problem(signed + 1, signed === 0 ? `the server deleted records 1-${anchor.seq} without a retention anchor signed by its key` : `the server's chain starts after record ${anchor.seq}, but the retention it signed deleted records up to ${signed} only`);
  }
  return signed;
}
