// How many connections a process holds to the store: its open descriptors of runs.db itself
// (Linux: /proc/<pid>/fd). The -wal and -shm files are not counted.
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';

export function storeConnections(pid: number, storeFile: string): number {
  const target = realpathSync(storeFile);
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) count++;
    } catch {
      // closed meanwhile
    }
  }
  return count;
}
