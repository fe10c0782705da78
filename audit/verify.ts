// Re-checks a run of records: every hash, every link, every seq. Reports the first
// broken link, which is where an auditor starts looking.
import { GENESIS_HASH, hashRecord, type AuditRecord } from './record.js';

export type ChainVerdict = { ok: true; checked: number } | { ok: false; checked: number; firstBroken: { seq: number; reason: string } };

/** hashes, when given, are the recomputed hashRecord() of each record (e.g. from canonicalRecord), saving the work. */
export function verifyChain(records: AuditRecord[], previous?: { seq: number; hash: string }, hashes?: readonly string[]): ChainVerdict {
  let expectedSeq = (previous?.seq ?? 0) + 1;
  let expectedPrev = previous?.hash ?? GENESIS_HASH;
  for (const [index, record] of records.entries()) {
    const broken = (reason: string): ChainVerdict => ({ ok: false, checked: index, firstBroken: { seq: expectedSeq, reason } });
    if (record.seq !== expectedSeq) {
      return broken(record.seq > expectedSeq ? `record ${expectedSeq} is missing (found ${record.seq} next)` : `record ${record.seq} appears again or out of order where ${expectedSeq} was expected`);
    }
    if (record.prevHash !== expectedPrev) return broken(`record ${record.seq} does not link to record ${record.seq - 1} (prevHash differs): records were removed, swapped or edited`);
    if ((hashes?.[index] ?? hashRecord(record)) !== record.hash) return broken(`record ${record.seq} was altered after it was written (its hash no longer matches its content)`);
    expectedSeq++;
    expectedPrev = record.hash;
  }
  return { ok: true, checked: records.length };
}
