// Staged rollout: each machine falls into one of 100 buckets, derived from its id by SHA-256 so
// the bucket is the same on every start and spread evenly across machines. A rollout of n percent
// reaches buckets 0..n-1, so raising the percentage only ever adds machines.
import { createHash } from 'node:crypto';

/** The machine's bucket, 0–99; stable for a given id. */
export function rolloutBucket(machineId: string): number {
  const digest = createHash('sha256').update(machineId, 'utf8').digest();
  return digest.readUInt32BE(0) % 100;
}

/** Whether a rollout of `percent` (0–100; out-of-range values are clamped) reaches this machine. */
export function inRollout(machineId: string, percent: number): boolean {
  if (!Number.isFinite(percent) || percent <= 0) return false;
  if (percent >= 100) return true;
  return rolloutBucket(machineId) < percent;
}
