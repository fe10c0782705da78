// Starts a run for each new file in a watched folder. Files move to processing/ while
// their run goes on, then to done/ or failed/. The same content (SHA-256) is processed
// once unless forced; files still being written are left alone until they stop changing.
//
// Polling rather than fs.watch: watch events differ across platforms and network
// shares (where back-office drop folders usually live), and a scan every half second
// of one folder costs next to nothing.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../store/database.js';

export interface FolderTriggerConfig {
  id: string;
  folder: string;
  automation: string;
  /** Name of the automation input that receives the file path. */
  input: string;
  /** Only file names matching this (a simple glob like *.csv). */
  pattern?: string | undefined;
  /** A file counts as complete when its size and mtime have not changed for this long. */
  stableMs?: number | undefined;
  pollMs?: number | undefined;
  /** Process files even when the same content was processed before. */
  force?: boolean | undefined;
  /** Extra inputs for every run. */
  inputs?: Record<string, unknown> | undefined;
}

export interface FolderRunOutcome {
  runId?: string | undefined;
  status: string;
}

export interface FolderTriggerEvents {
  run(config: FolderTriggerConfig, file: string): Promise<FolderRunOutcome>;
  log(level: 'info' | 'warn', message: string): void;
}

// Names written by browsers, editors and copy tools while a file is still coming in.
const PARTIAL = /(\.(tmp|part|partial|crdownload|download|swp)$)|(^~\$)|(^\.)/i;

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Moves a file into a sub-folder, never overwriting: a clash gets a numbered name. */
function moveInto(file: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const { name, ext } = path.parse(file);
  let target = path.join(dir, path.basename(file));
  for (let n = 1; existsSync(target); n++) target = path.join(dir, `${name} (${n})${ext}`);
  renameSync(file, target);
  return target;
}

export class FolderTrigger {
  private timer: NodeJS.Timeout | undefined;
  private readonly seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  private scanning = false;
  private stopped = true;
  private readonly active = new Set<Promise<void>>();
  private readonly pattern: RegExp | undefined;

  constructor(
    private readonly config: FolderTriggerConfig,
    private readonly db: Database,
    private readonly events: FolderTriggerEvents,
    private readonly now: () => number = Date.now,
  ) {
    this.pattern = config.pattern ? globToRegExp(config.pattern) : undefined;
  }

  get dirs(): { processing: string; done: string; failed: string } {
    const base = this.config.folder;
    return { processing: path.join(base, 'processing'), done: path.join(base, 'done'), failed: path.join(base, 'failed') };
  }

  start(): void {
    mkdirSync(this.config.folder, { recursive: true });
    this.stopped = false;
    this.resumeInterrupted();
    const tick = (): void => {
      if (this.stopped) return;
      void this.scan().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.config.pollMs ?? 500);
      });
    };
    tick();
  }

  /** Stops looking for new files; resolves when runs already started have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.active]);
  }

  get running(): number {
    return this.active.size;
  }

  /** A file left in processing/ by a crash or a kill is run again: its run never finished. */
  private resumeInterrupted(): void {
    if (!existsSync(this.dirs.processing)) return;
    for (const name of readdirSync(this.dirs.processing)) {
      const file = path.join(this.dirs.processing, name);
      if (!statSync(file).isFile()) continue;
      this.events.log('warn', `${this.config.id}: ${name} was being processed when the agent stopped; running it again`);
      this.track(this.runFile(file, name, true));
    }
  }

  private track(work: Promise<void>): void {
    this.active.add(work);
    void work.finally(() => this.active.delete(work));
  }

  /** One pass over the folder. Public for tests that drive time themselves. */
  async scan(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      const present = new Set<string>();
      for (const entry of readdirSync(this.config.folder, { withFileTypes: true })) {
        if (!entry.isFile() || PARTIAL.test(entry.name)) continue;
        if (this.pattern && !this.pattern.test(entry.name)) continue;
        const file = path.join(this.config.folder, entry.name);
        present.add(file);
        let stat;
        try {
          stat = statSync(file);
        } catch {
          continue; // gone between listing and stat
        }
        const previous = this.seen.get(file);
        if (!previous || previous.size !== stat.size || previous.mtimeMs !== stat.mtimeMs) {
          this.seen.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, since: this.now() });
          continue;
        }
        if (this.now() - previous.since < (this.config.stableMs ?? 1000)) continue;
        this.seen.delete(file);
        await this.claim(file, entry.name);
      }
      for (const file of this.seen.keys()) if (!present.has(file)) this.seen.delete(file);
    } finally {
      this.scanning = false;
    }
  }

  private async claim(file: string, name: string): Promise<void> {
    const sha256 = await sha256File(file);
    const previous = this.db.prepare('SELECT status, run_id FROM trigger_files WHERE trigger_id = ? AND sha256 = ?').get(this.config.id, sha256) as
      | { status: string; run_id: string | null }
      | undefined;
    if (previous && !this.config.force) {
      const moved = moveInto(file, previous.status === 'failed' ? this.dirs.failed : this.dirs.done);
      this.events.log('info', `${this.config.id}: ${name} has the same content as a file already processed (run ${previous.run_id ?? '?'}, ${previous.status}); not run again, moved to ${path.relative(this.config.folder, moved)}`);
      return;
    }
    const processing = moveInto(file, this.dirs.processing);
    const ts = new Date(this.now()).toISOString();
    this.db
      .prepare(
        `INSERT INTO trigger_files (trigger_id, sha256, file_name, status, run_id, first_seen, updated_at) VALUES (?, ?, ?, 'running', NULL, ?, ?)
         ON CONFLICT (trigger_id, sha256) DO UPDATE SET status = 'running', file_name = excluded.file_name, updated_at = excluded.updated_at`,
      )
      .run(this.config.id, sha256, name, ts, ts);
    this.track(this.runFile(processing, name, false, sha256));
  }

  private async runFile(processing: string, name: string, resumed: boolean, knownSha?: string): Promise<void> {
    const sha256 = knownSha ?? (await sha256File(processing));
    let outcome: FolderRunOutcome;
    try {
      outcome = await this.events.run(this.config, processing);
    } catch (error) {
      outcome = { status: 'failed' };
      this.events.log('warn', `${this.config.id}: ${name} could not be run: ${(error as Error).message}`);
    }
    if (outcome.status === 'cancelled' && this.stopped) {
      // Shutting down: leave it in processing/ so the next start runs it again.
      return;
    }
    const ok = outcome.status === 'passed';
    const moved = moveInto(processing, ok ? this.dirs.done : this.dirs.failed);
    this.db
      .prepare(
        `INSERT INTO trigger_files (trigger_id, sha256, file_name, status, run_id, first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (trigger_id, sha256) DO UPDATE SET status = excluded.status, run_id = excluded.run_id, updated_at = excluded.updated_at`,
      )
      .run(this.config.id, sha256, name, ok ? 'done' : 'failed', outcome.runId ?? null, new Date(this.now()).toISOString(), new Date(this.now()).toISOString());
    this.events.log(ok ? 'info' : 'warn', `${this.config.id}: ${name}${resumed ? ' (resumed)' : ''} → run ${outcome.runId ?? '?'} ${outcome.status}; moved to ${path.relative(this.config.folder, moved)}`);
  }
}
