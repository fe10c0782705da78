import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from './database.js';
import { DatabaseTooNewError, migrate, type Migration } from './migrate.js';
import { migrations } from './migrations/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpa-store-migrate-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(dir, `db-${++n}`, 'runs.db');

const tables = (db: BetterSqlite3.Database) =>
  db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all();

describe('openDatabase', () => {
  it('creates the parent folder, applies migrations and sets user_version', () => {
    const file = fresh();
    const db = openDatabase(file);
    try {
      assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
      assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
      // The run tables, plus those of later migrations (schedules, queues, vault, triggers).
      for (const table of ['artifacts', 'logs', 'run_events', 'runs', 'steps', 'vault_secrets', 'trigger_files']) assert.ok(tables(db).includes(table), `missing table ${table}`);
    } finally {
      db.close();
    }
    // Reopening an up-to-date file is a no-op.
    openDatabase(file).close();
  });

  it('refuses a file written by a newer rpa with the exact message and leaves it untouched', () => {
    const file = fresh();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const raw = new BetterSqlite3(file);
    raw.exec('CREATE TABLE from_the_future (x TEXT); INSERT INTO from_the_future VALUES (1);');
    raw.pragma('user_version = 99');
    raw.close();
    const bytes = fs.readFileSync(file);
    const mtime = fs.statSync(file).mtimeMs;
    const listing = fs.readdirSync(path.dirname(file));

    assert.throws(
      () => openDatabase(file),
      (err: unknown) => {
        assert.ok(err instanceof DatabaseTooNewError);
        assert.equal(err.name, 'DatabaseTooNewError');
        assert.equal(
          err.message,
          `run store ${file} was written by a newer version of rpa (schema version 99; ` +
            `this version knows up to ${migrations.length}). Upgrade rpa, or set RPA_HOME to another folder.`,
        );
        return true;
      },
    );

    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.equal(fs.statSync(file).mtimeMs, mtime);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), listing); // no -wal/-shm left behind
  });
});

describe('migrate', () => {
  const table = (name: string, version: number): Migration => ({
    version,
    name,
    up: (db) => void db.exec(`CREATE TABLE ${name} (x INTEGER)`),
  });

  it('rejects a migration list that is out of order or has gaps', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      assert.throws(() => migrate(db, [table('b', 2), table('a', 1)]), /numbered 1\.\.n in order/);
      assert.throws(() => migrate(db, [table('a', 1), table('c', 3)]), /numbered 1\.\.n in order/);
      assert.throws(() => migrate(db, [table('z', 0)]), /numbered 1\.\.n in order/);
      assert.equal(db.pragma('user_version', { simple: true }), 0);
    } finally {
      db.close();
    }
  });

  it('applies only pending migrations', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      assert.deepEqual(migrate(db, [table('a', 1)]), { from: 0, to: 1 });
      assert.deepEqual(migrate(db, [table('a', 1), table('b', 2)]), { from: 1, to: 2 });
      assert.deepEqual(migrate(db, [table('a', 1), table('b', 2)]), { from: 2, to: 2 });
      assert.deepEqual(tables(db), ['a', 'b']);
      assert.equal(db.pragma('user_version', { simple: true }), 2);
    } finally {
      db.close();
    }
  });

  it('runs pending migrations in one transaction: a failure leaves nothing applied', () => {
    const db = new BetterSqlite3(':memory:');
    const boom: Migration = {
      version: 2,
      name: 'boom',
      up: () => {
        throw new Error('boom');
      },
    };
    try {
      assert.throws(() => migrate(db, [table('a', 1), boom]), /boom/);
      assert.deepEqual(tables(db), []);
      assert.equal(db.pragma('user_version', { simple: true }), 0);
    } finally {
      db.close();
    }
  });

  it('throws DatabaseTooNewError when user_version is past the list', () => {
    const db = new BetterSqlite3(':memory:');
    try {
      db.pragma('user_version = 7');
      assert.throws(
        () => migrate(db, [table('a', 1)]),
        (err: unknown) => err instanceof DatabaseTooNewError && err.found === 7 && err.known === 1,
      );
    } finally {
      db.close();
    }
  });
});
