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
  if (file !== ':memory:' && file !== '') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    makeStorePrivate(file);
  }
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

/**
 * Run inputs, logs and sealed secrets are nobody else's business: the file is created 0600
 * (SQLite gives its -wal and -shm files the database file's mode), and a store left readable
 * by an older rpa is tightened, with its -wal and -shm, when it belongs to this user.
 */
function makeStorePrivate(file: string): void {
  if (process.platform === 'win32') return;
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const part of [file, `${file}-wal`, `${file}-shm`]) {
    let stat;
    try {
      stat = fs.statSync(part);
    } catch {
      continue;
    }
    if ((stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) fs.chmodSync(part, 0o600);
  }
}

/**
 * A handle on a database another object owns: everything goes to `db` except close(), which
 * does nothing. Stores built on it (they close "their" database) share one connection, and
 * the owner closes it once, last.
 */
export function borrowDatabase(db: Database): Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'close') return () => target;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
