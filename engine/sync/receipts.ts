// The device's copy of the audit server's receipts (audit/receipt.ts), in the run store's
// database. A receipt is kept only once it is proven: signed with the server key this device
// pinned, naming this device and exactly the range of records it sent, with a digest of exactly
// their hashes. Whatever does not hold up becomes an incident, kept for good and shown by
// rpa sync status and rpa sync verify.
import { checkLogEntry, hashRecord, ReceiptSchema, recordsDigest, type AuditRecord, type Receipt } from '../../audit/index.js';
import { RpaError } from '../errors.js';
import type { Database } from '../store/database.js';

export class ReceiptError extends RpaError {}

export interface Incident {
  at: string;
  seq: number | null;
  message: string;
}

export class ReceiptStore {
  constructor(private readonly db: Database) {}

  /** The server key this device trusts, and the server it was pinned for. */
  pinned(): { serverUrl: string; publicKey: string } | undefined {
    const row = this.db.prepare('SELECT server_url, public_key FROM audit_server_key WHERE id = 1').get() as { server_url: string; public_key: string } | undefined;
    return row && { serverUrl: row.server_url, publicKey: row.public_key };
  }

  /**
   * Pins the server's key (at enrollment, or the first time it is needed). A different key for
   * the same server is refused: receipts signed by it would prove nothing. Another server's key
   * replaces the pinned one, and the receipts of the server before are dropped.
   */
  pin(serverUrl: string, publicKeyPem: string): void {
    const current = this.pinned();
    if (current && current.serverUrl === serverUrl && current.publicKey !== publicKeyPem) {
      const message = `the audit server ${serverUrl} now presents another signing key than the one pinned on ${this.pinnedAt() ?? 'enrollment'}: its receipts cannot be trusted; ask its administrator whether the key was replaced`;
      this.addIncident(null, message);
      throw new ReceiptError(message);
    }
    // Receipts are one server's word: enrolled with another server, this device starts anew there.
    if (current && current.serverUrl !== serverUrl) this.db.prepare('DELETE FROM audit_receipts').run();
    this.db
      .prepare('INSERT INTO audit_server_key (id, server_url, public_key, pinned_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, public_key = excluded.public_key, pinned_at = excluded.pinned_at')
      .run(serverUrl, publicKeyPem, new Date().toISOString());
  }

  private pinnedAt(): string | undefined {
    return (this.db.prepare('SELECT pinned_at FROM audit_server_key WHERE id = 1').get() as { pinned_at: string } | undefined)?.pinned_at;
  }

  /** This device's own record hashes for seqs from..to (recomputed from the records, not read from a column). */
  ownHashes(from: number, to: number): Map<number, string> {
    const rows = this.db.prepare('SELECT seq, record_json FROM audit_outbox WHERE seq BETWEEN ? AND ? ORDER BY seq').all(from, to) as Array<{ seq: number; record_json: string }>;
    return new Map(rows.map((row) => [row.seq, hashRecord(JSON.parse(row.record_json) as AuditRecord)]));
  }

  /**
   * Checks a receipt against the pinned key and this device's own records for its range, then
   * keeps it. records: the batch it answers, when known (else read from the outbox).
   */
  accept(raw: unknown, deviceId: string, records?: readonly AuditRecord[]): Receipt {
    const fail = (seq: number | null, why: string): never => {
      const message = `the audit server's receipt ${why}`;
      this.addIncident(seq, message);
      throw new ReceiptError(message);
    };
    const parsed = ReceiptSchema.safeParse(raw);
    if (!parsed.success) return fail(null, `is not a receipt: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const receipt = parsed.data;
    const key = this.pinned();
    if (!key) return fail(receipt.firstSeq, `for records ${receipt.firstSeq}-${receipt.lastSeq} cannot be checked: no server key is pinned`);
    if (!checkLogEntry(receipt, key.publicKey)) return fail(receipt.firstSeq, `for records ${receipt.firstSeq}-${receipt.lastSeq} is not signed by the pinned server key`);
    if (receipt.deviceId !== deviceId) return fail(receipt.firstSeq, `names device ${receipt.deviceId}, not this device (${deviceId})`);
    if (records && (records[0]?.seq !== receipt.firstSeq || records.at(-1)?.seq !== receipt.lastSeq)) {
      return fail(receipt.firstSeq, `covers records ${receipt.firstSeq}-${receipt.lastSeq}, but the batch held ${records[0]?.seq}-${records.at(-1)?.seq}`);
    }
    const own = this.ownHashes(receipt.firstSeq, receipt.lastSeq);
    const hashes: string[] = [];
    for (let seq = receipt.firstSeq; seq <= receipt.lastSeq; seq++) {
      const hash = own.get(seq);
      if (!hash) return fail(seq, `covers record ${seq}, which this device never wrote`);
      hashes.push(hash);
    }
    if (recordsDigest(hashes) !== receipt.recordsDigest || hashes.at(-1) !== receipt.lastHash) {
      return fail(receipt.firstSeq, `for records ${receipt.firstSeq}-${receipt.lastSeq} does not match this device's records: the server acknowledged other records than the ones sent`);
    }
    this.db
      .prepare('INSERT INTO audit_receipts (n, first_seq, last_seq, receipt_json, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (n) DO NOTHING')
      .run(receipt.n, receipt.firstSeq, receipt.lastSeq, JSON.stringify(receipt), new Date().toISOString());
    return receipt;
  }

  all(): Receipt[] {
    return (this.db.prepare('SELECT receipt_json FROM audit_receipts ORDER BY first_seq, n').all() as Array<{ receipt_json: string }>).map((row) => JSON.parse(row.receipt_json) as Receipt);
  }

  /** The highest seq a kept receipt covers (0 when none). */
  lastReceiptedSeq(): number {
    return (this.db.prepare('SELECT COALESCE(max(last_seq), 0) AS seq FROM audit_receipts').get() as { seq: number }).seq;
  }

  /**
   * The server's acknowledgement must not fall behind its receipts: if it does, the server lost
   * records it signed for. Recorded once per loss (the client then uploads them again).
   */
  noteServerAck(ackSeq: number): Incident | undefined {
    const receipted = this.lastReceiptedSeq();
    if (ackSeq >= receipted) return undefined;
    const top = this.db.prepare('SELECT receipt_json FROM audit_receipts WHERE last_seq = ? ORDER BY n DESC LIMIT 1').get(receipted) as { receipt_json: string };
    const receipt = JSON.parse(top.receipt_json) as Receipt;
    const message = `the audit server lost records ${ackSeq + 1}-${receipted} it had acknowledged (receipt ${receipt.n}, signed ${receipt.at}): it now says it holds records up to ${ackSeq} only; they are uploaded again`;
    const known = this.db.prepare('SELECT 1 FROM audit_incidents WHERE seq = ? AND message = ?').get(ackSeq + 1, message);
    if (!known) this.addIncident(ackSeq + 1, message);
    return { at: new Date().toISOString(), seq: ackSeq + 1, message };
  }

  addIncident(seq: number | null, message: string): void {
    this.db.prepare('INSERT INTO audit_incidents (at, seq, message) VALUES (?, ?, ?)').run(new Date().toISOString(), seq, message);
  }

  incidents(): Incident[] {
    return this.db.prepare('SELECT at, seq, message FROM audit_incidents ORDER BY id').all() as Incident[];
  }
}
