// Sends the failure screenshots the machine policy lets go (failureScreenshots.upload) to the
// audit server, after the records that name them: the server checks each PNG against the
// SHA-256 sealed in its artifact record. Runs at the end of every sync. A screenshot that
// cannot be sent now (server down, failing, credentials refused, policy turned off since)
// stays pending and is sent at a later sync; one the server refuses for good is kept as refused
// with the server's reason; the file on this machine is never touched.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MAX_SCREENSHOT_BYTES, pngProblem, screenshotPath } from '../../audit/index.js';
import type { Database } from '../store/database.js';

interface PendingRow {
  record_seq: number;
  run_id: string;
  file: string;
  sha256: string;
}

export interface ScreenshotSyncResult {
  /** Taken by the server this time (or found already there). */
  sent: number;
  /** Still waiting: for the policy, for their record to be acknowledged, or after a failed attempt. */
  pending: number;
  /** Refused for good at this sync (refused by the server, or the file is gone or changed). */
  refused: number;
  /** Why the last attempt of this sync failed, if one did. */
  error?: string;
}

/** How many screenshots are in each state (rpa sync status). */
export function screenshotCounts(db: Database): Record<'pending' | 'uploaded' | 'refused' | 'missing', number> {
  const counts = { pending: 0, uploaded: 0, refused: 0, missing: 0 };
  for (const row of db.prepare('SELECT state, count(*) AS n FROM screenshot_uploads GROUP BY state').all() as Array<{ state: keyof typeof counts; n: number }>) counts[row.state] = row.n;
  return counts;
}

function failureText(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    return `${typeof parsed.error === 'string' ? parsed.error : `http_${status}`}: ${typeof parsed.message === 'string' ? parsed.message : ''}`.replace(/: $/, '');
  } catch {
    return `http_${status}: ${body.slice(0, 200)}`;
  }
}

/**
 * Uploads every pending screenshot whose record the server has acknowledged (seq ≤ ackSeq),
 * oldest first, one at a time. Never throws for a failed upload: it is counted and stays
 * pending. `allowed` false: nothing leaves the machine, everything stays pending.
 */
export async function uploadScreenshots(
  db: Database,
  server: { url: string; deviceId: string; deviceToken: string },
  ackSeq: number,
  allowed: boolean,
): Promise<ScreenshotSyncResult> {
  const pendingCount = (): number => (db.prepare("SELECT count(*) AS n FROM screenshot_uploads WHERE state = 'pending'").get() as { n: number }).n;
  if (!allowed) return { sent: 0, pending: pendingCount(), refused: 0 };
  const rows = db.prepare("SELECT record_seq, run_id, file, sha256 FROM screenshot_uploads WHERE state = 'pending' AND record_seq <= ? ORDER BY record_seq").all(ackSeq) as PendingRow[];
  const mark = db.prepare('UPDATE screenshot_uploads SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ? WHERE record_seq = ?');
  const result: ScreenshotSyncResult = { sent: 0, pending: 0, refused: 0 };
  for (const row of rows) {
    const now = new Date().toISOString();
    let bytes: Buffer;
    try {
      bytes = await readFile(row.file);
    } catch (error) {
      mark.run('missing', `the screenshot file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); it was deleted or moved after the run`, now, row.record_seq);
      result.refused++;
      continue;
    }
    // What is sent must be what the record sealed: a file changed since is not sent.
    const local = createHash('sha256').update(bytes).digest('hex');
    const problem =
      local !== row.sha256
        ? `the file changed after the run (SHA-256 ${local}, the record names ${row.sha256}); it is not sent`
        : bytes.length > MAX_SCREENSHOT_BYTES
          ? `${bytes.length} bytes is more than the ${MAX_SCREENSHOT_BYTES} the audit server takes`
          : await pngProblem(bytes);
    if (problem) {
      mark.run('refused', problem, now, row.record_seq);
      result.refused++;
      continue;
    }
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${server.url}${screenshotPath(server.deviceId, row.record_seq)}`, {
        method: 'PUT',
        headers: { 'content-type': 'image/png', authorization: `Bearer ${server.deviceToken}` },
        body: bytes,
        signal: AbortSignal.timeout(60_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      result.error = `screenshot of record ${row.record_seq} not sent: audit server unreachable (${cause instanceof Error ? cause.message : (error as Error).message})`;
      mark.run('pending', result.error, now, row.record_seq);
      // The server is gone: the others wait for the next sync too.
      break;
    }
    if (status === 200 || status === 201) {
      mark.run('uploaded', null, now, row.record_seq);
      result.sent++;
      continue;
    }
    const reason = failureText(status, text);
    // Refused for good: the server will say the same of the same bytes. Everything else (401/403
    // credentials, 409 record not there yet, 429, 5xx) is tried again at the next sync.
    const forGood = (status === 400 || status === 413 || status === 415 || status === 422) || (status === 403 && reason.startsWith('not_for_upload'));
    mark.run(forGood ? 'refused' : 'pending', `audit server answered ${status}: ${reason}`, now, row.record_seq);
    if (forGood) result.refused++;
    else result.error = `screenshot of record ${row.record_seq} not sent: audit server answered ${status}: ${reason}`;
  }
  result.pending = pendingCount();
  return result;
}
