// Turns run events into sealed audit records in the outbox, inside the run store's own
// transaction: a run event and its audit record are committed together or not at all.
import os from 'node:os';
import { monotonicFactory } from 'ulid';
import { GENESIS_HASH, sealRecord, type AuditRecord } from '../../audit/index.js';
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
}

export class AuditOutbox {
  private readonly readState;
  private readonly createState;
  private readonly advance;
  private readonly insert;
  private readonly automations = new Map<string, AuditRecord['automation']>();
  private readonly user = os.userInfo().username;

  /** db: the run store's database (the receipt store lives in it too). */
  constructor(readonly db: Database) {
    this.readState = db.prepare('SELECT * FROM audit_state WHERE id = 1');
    this.createState = db.prepare('INSERT INTO audit_state (id, device_id, last_seq, last_hash) VALUES (1, ?, 0, ?)');
    this.advance = db.prepare('UPDATE audit_state SET last_seq = ?, last_hash = ? WHERE id = 1');
    this.insert = db.prepare('INSERT INTO audit_outbox (seq, hash, record_json) VALUES (?, ?, ?)');
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
    if (event.type === 'run.started') this.automations.set(event.runId, { id: event.automation.id, version: event.automation.version, sha256: event.automation.sha256 });
    const automation = this.automations.get(event.runId) ?? this.automationFromStore(event.runId);
    const record = sealRecord(
      { id: newId(), deviceId: state.device_id, ts: event.ts, type: event.type, automation, runId: event.runId, user: this.user, payload: event },
      state.last_seq ? { seq: state.last_seq, hash: state.last_hash } : undefined,
    );
    this.insert.run(record.seq, record.hash, JSON.stringify(record));
    this.advance.run(record.seq, record.hash);
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

  markSynced(ackedSeq: number, at: string): void {
    this.db.prepare('UPDATE audit_state SET acked_seq = ?, last_sync_at = ?, last_error = NULL WHERE id = 1').run(ackedSeq, at);
  }

  markError(message: string): void {
    this.db.prepare('UPDATE audit_state SET last_error = ? WHERE id = 1').run(message);
  }

  counts(): { total: number; pending: number } {
    const state = this.state();
    return { total: state.last_seq, pending: state.last_seq - state.acked_seq };
  }
}
