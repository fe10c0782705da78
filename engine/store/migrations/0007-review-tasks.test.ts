import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../database.js';
import { migrations } from './index.js';

describe('migration 0007 (review tasks, paused runs)', () => {
  it('adds the paused status to an existing store without touching its runs and steps', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-0007-')), 'runs.db');
    const before = openDatabase(file, migrations.slice(0, 6));
    before.exec(`
      INSERT INTO runs (id, automation_id, automation_name, automation_version, automation_sha256, status, started_at, inputs_json, headless, pid, host, total_steps)
      VALUES ('r1', 'a', 'A', '1.0.0', 'ab', 'running', '2025-01-01T00:00:00Z', '{}', 1, 1, 'h', 1);
      INSERT INTO steps (run_id, path, kind, label, attempt, top_index, status, started_at) VALUES ('r1', '1', 'log', 'log', 1, 1, 'running', '2025-01-01T00:00:00Z');`);
    assert.throws(() => before.exec("UPDATE runs SET status = 'paused'"), /CHECK constraint failed/);
    before.close();

    const db = openDatabase(file);
    try {
      assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
      db.exec("UPDATE runs SET status = 'paused'");
      assert.throws(() => db.exec("UPDATE runs SET status = 'sleeping'"), /CHECK constraint failed/);
      assert.equal(db.prepare('SELECT count(*) FROM steps').pluck().get(), 1);
      assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      db.exec(`INSERT INTO review_tasks (id, run_id, step_path, title, values_json, details_json, status, created_at) VALUES ('t1', 'r1', '1', 'Check', '{}', '{}', 'open', 'now')`);
      assert.throws(() => db.exec(`INSERT INTO review_tasks (id, run_id, step_path, title, values_json, details_json, status, created_at) VALUES ('t2', 'nope', '1', 'Check', '{}', '{}', 'open', 'now')`), /FOREIGN KEY/);
    } finally {
      db.close();
    }
  });
});
