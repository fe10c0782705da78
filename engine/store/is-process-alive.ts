// Decides whether the process that owns a 'running' run still exists.
import os from 'node:os';

/**
 * Errs towards "alive": wrongly interrupting a live run corrupts its record (its next
 * event is rejected), while leaving a dead run 'running' only delays the cleanup.
 * So a pid on another host (a shared RPA_HOME) or one we can't check counts as alive.
 * A reused pid also reads as alive; that is the price of not tracking start times.
 */
export function isProcessAlive(pid: number, host: string): boolean {
  if (host !== os.hostname()) return true;
  // 0 and negatives address process groups in kill(2), not a process.
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
