// The newest entry of the server's log this server has seen committed, remembered outside the
// database (in memory, and in a file beside the server's key). The log's chain shows entries
// removed from its middle, but not from its end: whoever deletes the last entries (with the
// records they receipted, rolling the ack back) leaves a shorter chain that still links. Verify
// holds the log to this remembered entry. Any remembered entry was committed and the log only
// grows, so remembering an older one (a crash before the file was written, another server process
// writing the same file) only weakens the check; it never raises a false alarm.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface HeadEntry {
  n: number;
  hash: string;
  deviceId: string;
}

export class LogHead {
  private head: HeadEntry | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** file: where the head is kept across restarts (none: this process only). */
  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as HeadEntry;
        if (Number.isSafeInteger(saved.n) && typeof saved.hash === 'string' && typeof saved.deviceId === 'string') this.head = saved;
      } catch {
        // An unreadable file only means nothing is remembered yet; it is rewritten with the next entry.
      }
    }
  }

  remembered(): HeadEntry | undefined {
    return this.head;
  }

  /** An entry known to be committed. */
  note(entry: HeadEntry): void {
    if (this.head && this.head.n >= entry.n) return;
    this.head = { n: entry.n, hash: entry.hash, deviceId: entry.deviceId };
    // Written at most every 200 ms: ingest commits hundreds of batches a second.
    if (this.file && !this.timer) this.timer = setTimeout(() => this.flush(), 200);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file || !this.head) return;
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.head), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
