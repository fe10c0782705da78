// Turns run events into sealed audit records in the outbox, inside the run store's own
// transaction: a run event and its audit record are committed together or not at all.
import os from 'node:os';
import { monotonicFactory } from 'ulid';
import { AuditRecordSchema, GENESIS_HASH, replaceUnstorable, sealRecord, type AuditRecord } from '../../audit/index.js';
import { RpaError } from '../errors.js';
import type { RunEvent } from '../events.js';
import type { Database } from '../store/database.js';

const newId = monotonicFactory();

interface StateRow {
  device_id: string;
  last_seq: number;
  last_hash: string;
  acked_seq: number;
  last_sync_at: string | null;
  last_error: string | null;
  /** JSON of a BatchRefusal while the server refuses a batch for good. */
  refused_json: string | null;
}

/** A batch the audit server refused for good (a 4xx that is not auth, gap or rate limit): uploads stop at it. */
export interface BatchRefusal {
  firstSeq: number;
  lastSeq: number;
  status: number;
  /** The server's error code and message. */
  error: string;
  message: string;
  at: string;
}

/** A run event whose audit record the audit server could not take: refused here, where it is made, rather than later. */
export class AuditRecordInvalidError extends RpaError {}

/**
 * NUL (PostgreSQL text and jsonb cannot hold it) and lone surrogates (no UTF-8 form) in a
 * value's strings and keys, replaced with U+FFFD. A step can read a NUL from a document or a
 * screen; the run store keeps the event as it was, its audit record shows where the character was.
 */
function storable<T>(value: T): T {
  if (typeof value === 'string') return replaceUnstorable(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [storable(key), storable(item)])) as T;
  return value;
}

export class AuditOutbox {
  private readonly readState;
  private readonly createState;
  private readonly advance;
  private readonly insert;
  private readonly queueScreenshot;
  private readonly automations = new Map<string, AuditRecord['automation']>();
  private readonly user = os.userInfo().username;

  /** db: the run store's database (the receipt store lives in it too). */
  constructor(readonly db: Database) {
    this.readState = db.prepare('SELECT * FROM audit_state WHERE id = 1');
    this.createState = db.prepare('INSERT INTO audit_state (id, device_id, last_seq, last_hash) VALUES (1, ?, 0, ?)');
    this.advance = db.prepare('UPDATE audit_state SET last_seq = ?, last_hash = ? WHERE id = 1');
    this.insert = db.prepare('INSERT INTO audit_outbox (seq, hash, record_json) VALUES (?, ?, ?)');
    this.queueScreenshot = db.prepare('INSERT INTO screenshot_uploads (record_seq, run_id, file, sha256, bytes) VALUES (?, ?, ?, ?, ?)');
  }

  /** This device's id: created with the first record, kept for ever. */
  state(): StateRow {
    let row = this.readState.get() as StateRow | undefined;
    if (!row) {
      this.createState.run(`dev_${newId()}`, GENESIS_HASH);
      row = this.readState.get() as StateRow;
    }
    return row;
  }

  /** Must run inside the caller's transaction. */
  append(event: RunEvent): AuditRecord {
    const state = this.state();
    // A revised run's later records name the document they ran from (its run.revised record says where it changed).
    if (event.type === 'run.started' || event.type === 'run.revised') this.automations.set(event.runId, { id: event.automation.id, version: event.automation.version, sha256: event.automation.sha256 });
    const automation = this.automations.get(event.runId) ?? this.automationFromStore(event.runId);
    const record = sealRecord(
      storable({ id: newId(), deviceId: state.device_id, ts: event.ts, type: event.type, automation, runId: event.runId, user: this.user, payload: event }),
      state.last_seq ? { seq: state.last_seq, hash: state.last_hash } : undefined,
    );
    // The server checks every record with this same schema: one it would refuse must not enter
    // the outbox, where it would block every later record's upload for good.
    const checked = AuditRecordSchema.safeParse(record);
    if (!checked.success) {
      const issues = checked.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
      throw new AuditRecordInvalidError(`the audit record of run event ${event.type} (run ${event.runId}, seq ${event.seq}) is not valid for the audit server: ${issues}`, { runId: event.runId, seq: event.seq, issues: checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) });
    }
    this.insert.run(record.seq, record.hash, JSON.stringify(record));
    this.advance.run(record.seq, record.hash);
    // A failure screenshot the policy lets go to the audit server: sent after this record (screenshot-upload.ts).
    if (event.type === 'artifact' && event.failureScreenshot === 'upload' && event.sha256) this.queueScreenshot.run(record.seq, event.runId, event.file, event.sha256, event.bytes);
    if (event.type === 'run.finished') this.automations.delete(event.runId);
    return record;
  }

  private automationFromStore(runId: string): AuditRecord['automation'] {
    const row = this.db.prepare('SELECT automation_id, automation_version, automation_sha256 FROM runs WHERE id = ?').get(runId) as
      | { automation_id: string; automation_version: string; automation_sha256: string }
      | undefined;
    return row ? { id: row.automation_id, version: row.automation_version, sha256: row.automation_sha256 } : null;
  }

  pending(afterSeq: number, limit: number): AuditRecord[] {
    return (this.db.prepare('SELECT record_json FROM audit_outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as Array<{ record_json: string }>).map(
      (row) => JSON.parse(row.record_json) as AuditRecord,
    );
  }

  /** The server has every record up to ackedSeq: an earlier error or refusal is over. */
  markSynced(ackedSeq: number, at: string): void {
    this.db.prepare('UPDATE audit_state SET acked_seq = ?, last_sync_at = ?, last_error = NULL, refused_json = NULL WHERE id = 1').run(ackedSeq, at);
  }

  /** Why the last upload failed; a refusal found earlier stays (the batch still waits behind whatever this was). */
  markError(message: string): void {
    this.db.prepare('UPDATE audit_state SET last_error = ? WHERE id = 1').run(message);
  }

  markRefused(refusal: BatchRefusal, message: string): void {
    this.db.prepare('UPDATE audit_state SET last_error = ?, refused_json = ? WHERE id = 1').run(message, JSON.stringify(refusal));
  }

  /** The batch the server refuses for good, while it does (rpa sync status, the agent, the studio). */
  refusal(): BatchRefusal | undefined {
    const json = this.state().refused_json;
    return json ? (JSON.parse(json) as BatchRefusal) : undefined;
  }

  counts(): { total: number; pending: number } {
    const state = this.state();
    return { total: state.last_seq, pending: state.last_seq - state.acked_seq };
  }
}
