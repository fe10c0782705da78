// The failure screenshots part of verifying a device (GET /v1/devices/:id/verify): every stored
// picture is hashed again here, in Node (not by the database that may have been edited), and held
// to the SHA-256 sealed in its artifact record; every record that let a picture go to the server
// (failureScreenshot: "upload") is matched with a stored one. A changed picture is a finding; a
// picture not on the server is listed, not a finding: either it was never received (the robot
// sends it after the run's records, at its next sync) or it was received and removed since —
// told apart by the receipt the server keeps of every picture it took in (migration 012). The
// receipt is the server's own note, not signed by the robot: it says what this server saw.
import { createHash } from 'node:crypto';
import type { Queryable } from './db.js';
import { toIso, toNumber } from './db.js';

/** At most this many altered or missing pictures are listed one by one (all are counted). */
const LISTED = 50;

export interface ScreenshotVerdict {
  /** Artifact records of this device that let their screenshot go to the server. */
  sealed: number;
  /** Pictures stored for them. */
  stored: number;
  /** Stored pictures whose bytes hash to the SHA-256 their record seals. */
  intact: number;
  /** Stored pictures that do not (first 50). */
  altered: Array<{ seq: number; runId: string; sha256: string; recorded: string | null }>;
  alteredCount: number;
  /** Records whose picture has never been received: still queued on the robot (first 50). */
  missing: Array<{ seq: number; runId: string }>;
  missingCount: number;
  /** Records whose picture was received (its receipt says when) and has been removed from the server since (first 50). */
  removed: Array<{ seq: number; runId: string; receivedAt: string }>;
  removedCount: number;
}

export type ScreenshotFound = (seq: number, reason: string, runId: string) => void;

interface StoredRow {
  record_seq: unknown;
  run_id: string;
  png: Uint8Array;
  recorded: string | null;
}

/**
 * Checks every stored screenshot of `deviceId` against its record, reading `pageSize` pictures at
 * a time (each may be 16 MiB). undefined when the device has no screenshot record and none stored.
 */
export async function verifyScreenshots(db: Queryable, deviceId: string, found: ScreenshotFound, pageSize = 4): Promise<ScreenshotVerdict | undefined> {
  const sealedRows = await db.query<{ seq: unknown; run_id: string }>(
    `SELECT seq, run_id FROM audit_records
      WHERE device_id = $1 AND type = 'artifact' AND payload ->> 'failureScreenshot' = 'upload' AND payload ->> 'artifactKind' = 'screenshot'
      ORDER BY seq`,
    [deviceId],
  );
  const waiting = new Map(sealedRows.rows.map((row) => [toNumber(row.seq), row.run_id]));
  const verdict: ScreenshotVerdict = { sealed: waiting.size, stored: 0, intact: 0, altered: [], alteredCount: 0, missing: [], missingCount: 0, removed: [], removedCount: 0 };
  let after = 0;
  for (;;) {
    const page = await db.query<StoredRow>(
      `SELECT s.record_seq, s.run_id, s.png, r.payload ->> 'sha256' AS recorded
         FROM run_screenshots s JOIN audit_records r ON r.device_id = s.device_id AND r.seq = s.record_seq
        WHERE s.device_id = $1 AND s.record_seq > $2 ORDER BY s.record_seq LIMIT $3`,
      [deviceId, after, pageSize],
    );
    for (const row of page.rows) {
      const seq = toNumber(row.record_seq);
      after = seq;
      waiting.delete(seq);
      verdict.stored++;
      const actual = createHash('sha256').update(row.png).digest('hex');
      if (actual === row.recorded) {
        verdict.intact++;
        continue;
      }
      verdict.alteredCount++;
      if (verdict.altered.length < LISTED) verdict.altered.push({ seq, runId: row.run_id, sha256: actual, recorded: row.recorded });
      found(seq, `the stored failure screenshot of record ${seq} (run ${row.run_id}) has SHA-256 ${actual}, but the record sealed in the chain names ${row.recorded ?? 'no hash'}: it was changed on the server after it was received`, row.run_id);
    }
    if (page.rows.length < pageSize) break;
  }
  // Of those not here, the ones the server took in once (and removed since) have a receipt.
  const receipts = await db.query<{ record_seq: unknown; received_at: unknown }>(
    `SELECT c.record_seq, c.received_at FROM run_screenshot_receipts c
      WHERE c.device_id = $1 AND NOT EXISTS (SELECT 1 FROM run_screenshots s WHERE s.device_id = c.device_id AND s.record_seq = c.record_seq)
      ORDER BY c.record_seq`,
    [deviceId],
  );
  const receivedAt = new Map(receipts.rows.map((row) => [toNumber(row.record_seq), toIso(row.received_at) ?? '']));
  for (const [seq, runId] of waiting) {
    const at = receivedAt.get(seq);
    if (at !== undefined) {
      verdict.removedCount++;
      if (verdict.removed.length < LISTED) verdict.removed.push({ seq, runId, receivedAt: at });
    } else {
      verdict.missingCount++;
      if (verdict.missing.length < LISTED) verdict.missing.push({ seq, runId });
    }
  }
  return verdict.sealed === 0 && verdict.stored === 0 ? undefined : verdict;
}
