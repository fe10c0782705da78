// Opens (and creates, and migrates) the SQLite file behind the run store.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { checkSchemaVersion, migrate, type Migration } from './migrate.js';
import { migrations as allMigrations } from './migrations/index.js';

export type Database = BetterSqlite3.Database;

/**
 * `migrations` is overridable for tests only; production code always gets the full list.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = allMigrations): Database {
  if (file !== ':memory:' && file !== '') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    // Several `rpa run`s and the UI share one file; wait for locks instead of failing.
    db.pragma('busy_timeout = 5000');
    // Refuse a too-new file before anything below writes to it (switching to WAL
    // rewrites the header), so a newer rpa finds its file exactly as it left it.
    checkSchemaVersion(db, migrations);
    // WAL lets readers (rpa runs, the UI) proceed while a run is writing; NORMAL is
    // durable across process crashes in WAL mode, which is the failure we care about.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
