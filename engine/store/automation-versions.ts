// Every saved version of an automation file (migration 0008), and the difference between
// two of them. The studio writes a version on each save; nothing here touches the file itself.
import { createHash } from 'node:crypto';
import { structuredPatch } from 'diff';
import { RpaError } from '../errors.js';
import { openDatabase, type Database } from './database.js';

export interface AutomationVersion {
  version: number;
  savedAt: string;
  sha256: string;
  note?: string;
}

export interface AutomationVersionWithContent extends AutomationVersion {
  content: string;
}

/** One hunk of a line diff: where it starts in each version and its lines, prefixed ' ', '-' or '+'. */
export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

interface Row {
  version: number;
  saved_at: string;
  sha256: string;
  note: string | null;
  content: string;
}

export class AutomationVersionStore {
  static open(file: string): AutomationVersionStore {
    return new AutomationVersionStore(openDatabase(file));
  }

  constructor(private readonly db: Database) {}

  /** Keeps `content` as the next version of `file`, unless it equals the latest one. */
  save(file: string, content: string, note?: string, now: Date = new Date()): AutomationVersion {
    const sha256 = createHash('sha256').update(content).digest('hex');
    return this.db.transaction(() => {
      const latest = this.db.prepare<[string], Row>('SELECT * FROM automation_versions WHERE file = ? ORDER BY version DESC LIMIT 1').get(file);
      if (latest?.sha256 === sha256) return toVersion(latest);
      const version = (latest?.version ?? 0) + 1;
      this.db
        .prepare('INSERT INTO automation_versions (file, version, saved_at, sha256, content, note) VALUES (?, ?, ?, ?, ?, ?)')
        .run(file, version, now.toISOString(), sha256, content, note ?? null);
      return { version, savedAt: now.toISOString(), sha256, ...(note ? { note } : {}) };
    })();
  }

  /** Versions of one file, newest first. */
  list(file: string): AutomationVersion[] {
    return this.db.prepare<[string], Row>('SELECT * FROM automation_versions WHERE file = ? ORDER BY version DESC').all(file).map(toVersion);
  }

  get(file: string, version: number): AutomationVersionWithContent {
    const row = this.db.prepare<[string, number], Row>('SELECT * FROM automation_versions WHERE file = ? AND version = ?').get(file, version);
    if (!row) throw new RpaError(`${file} has no saved version ${version}`, { file, version });
    return { ...toVersion(row), content: row.content };
  }

  /** Line diff of two saved versions (3 lines of context). */
  diff(file: string, from: number, to: number): DiffHunk[] {
    const a = this.get(file, from);
    const b = this.get(file, to);
    return structuredPatch(`v${from}`, `v${to}`, a.content, b.content, '', '', { context: 3 }).hunks;
  }

  close(): void {
    this.db.close();
  }
}

function toVersion(row: Row): AutomationVersion {
  return { version: row.version, savedAt: row.saved_at, sha256: row.sha256, ...(row.note ? { note: row.note } : {}) };
}
