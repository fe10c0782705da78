// Review tasks in the local SQLite store. Rows are written only by projecting run events
// (review.created, review.resolved) inside the run store's transaction; this class reads
// them and holds the projection's SQL.
import type { RunEventOf } from '../events.js';
import type { Database } from '../store/database.js';

export type ReviewStatus = 'open' | 'approved' | 'corrected' | 'rejected';

export interface ReviewDecision {
  decision: 'approved' | 'corrected' | 'rejected';
  values: Record<string, unknown>;
  reviewer: string;
  comment?: string;
}

export interface ReviewTask {
  id: string;
  runId: string;
  stepPath: string;
  title: string;
  instructions?: string;
  assignee?: string;
  values: Record<string, unknown>;
  details: Record<string, unknown>;
  status: ReviewStatus;
  createdAt: string;
  resolvedAt?: string;
  resolvedBy?: string;
  decision?: ReviewDecision;
  /** The run's automation and status, joined for listings. */
  automationId: string;
  automationName: string;
  automationFile?: string;
  runStatus: string;
}

interface ReviewRow {
  id: string;
  run_id: string;
  step_path: string;
  title: string;
  instructions: string | null;
  assignee: string | null;
  values_json: string;
  details_json: string;
  status: ReviewStatus;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  decision_json: string | null;
  automation_id: string;
  automation_name: string;
  automation_file: string | null;
  run_status: string;
}

const SELECT = `
  SELECT t.*, r.automation_id, r.automation_name, r.automation_file, r.status AS run_status
  FROM review_tasks t JOIN runs r ON r.id = t.run_id`;

function toTask(row: ReviewRow): ReviewTask {
  return {
    id: row.id,
    runId: row.run_id,
    stepPath: row.step_path,
    title: row.title,
    ...(row.instructions !== null ? { instructions: row.instructions } : {}),
    ...(row.assignee !== null ? { assignee: row.assignee } : {}),
    values: JSON.parse(row.values_json) as Record<string, unknown>,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    status: row.status,
    createdAt: row.created_at,
    ...(row.resolved_at !== null ? { resolvedAt: row.resolved_at } : {}),
    ...(row.resolved_by !== null ? { resolvedBy: row.resolved_by } : {}),
    ...(row.decision_json !== null ? { decision: JSON.parse(row.decision_json) as ReviewDecision } : {}),
    automationId: row.automation_id,
    automationName: row.automation_name,
    ...(row.automation_file !== null ? { automationFile: row.automation_file } : {}),
    runStatus: row.run_status,
  };
}

export class ReviewStore {
  private readonly insert;
  private readonly resolve;
  private readonly byId;
  private readonly open;
  private readonly all;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(`
      INSERT INTO review_tasks (id, run_id, step_path, title, instructions, assignee, values_json, details_json, status, created_at)
      VALUES (@id, @run_id, @step_path, @title, @instructions, @assignee, @values_json, @details_json, 'open', @created_at)`);
    this.resolve = db.prepare(`
      UPDATE review_tasks SET status = @status, resolved_at = @resolved_at, resolved_by = @resolved_by, decision_json = @decision_json
      WHERE id = @id AND run_id = @run_id AND status = 'open'`);
    this.byId = db.prepare<[string], ReviewRow>(`${SELECT} WHERE t.id = ?`);
    this.open = db.prepare<[], ReviewRow>(`${SELECT} WHERE t.status = 'open' ORDER BY t.created_at`);
    this.all = db.prepare<[], ReviewRow>(`${SELECT} ORDER BY t.created_at`);
  }

  /** Projection of review.created; runs inside the run store's transaction. */
  created(e: RunEventOf<'review.created'>): void {
    this.insert.run({
      id: e.reviewId,
      run_id: e.runId,
      step_path: e.path,
      title: e.title,
      instructions: e.instructions ?? null,
      assignee: e.assignee ?? null,
      values_json: JSON.stringify(e.values),
      details_json: JSON.stringify(e.details),
      created_at: e.ts,
    });
  }

  /** Projection of review.resolved; false when the task is not open (already resolved, or unknown). */
  resolved(e: RunEventOf<'review.resolved'>): boolean {
    const decision: ReviewDecision = { decision: e.decision, values: e.values, reviewer: e.reviewer, ...(e.comment !== undefined ? { comment: e.comment } : {}) };
    const result = this.resolve.run({
      id: e.reviewId,
      run_id: e.runId,
      status: e.decision,
      resolved_at: e.ts,
      resolved_by: e.reviewer,
      decision_json: JSON.stringify(decision),
    });
    return result.changes === 1;
  }

  get(id: string): ReviewTask | undefined {
    const row = this.byId.get(id);
    return row ? toTask(row) : undefined;
  }

  /** A unique id prefix (at least 4 characters) to a full id; throws when ambiguous. */
  resolveId(prefix: string): string | undefined {
    if (this.byId.get(prefix)) return prefix;
    if (prefix.length < 4) throw new Error(`review id "${prefix}" is too short: give at least 4 characters`);
    const ids = this.db.prepare<[string, string], string>('SELECT id FROM review_tasks WHERE id >= ? AND id < ? ORDER BY id LIMIT 6').pluck().all(prefix, `${prefix}\u{10FFFF}`);
    if (ids.length > 1) throw new Error(`review id "${prefix}" is ambiguous: it matches ${ids.slice(0, 5).join(', ')}. Give more characters.`);
    return ids[0];
  }

  /** Open tasks, oldest first; with `all`, resolved ones too. */
  list(options: { all?: boolean } = {}): ReviewTask[] {
    return (options.all ? this.all.all() : this.open.all()).map(toTask);
  }
}
