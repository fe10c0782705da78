// Schema migrations for the run store, tracked in SQLite's own `PRAGMA user_version`
// so that the version travels with the file and needs no bookkeeping table.
import type BetterSqlite3 from 'better-sqlite3';

type Db = BetterSqlite3.Database;

export interface Migration {
  /** 1-based; the list must be 1..n with no gaps, because user_version is a single counter. */
  readonly version: number;
  readonly name: string;
  /**
   * Applies the change. Runs inside the runner's transaction together with every other
   * pending migration, so it must not BEGIN/COMMIT itself or change pragmas that are
   * ignored inside a transaction (foreign_keys, journal_mode).
   */
  up(db: Db): void;
}

/** The file was migrated by a newer rpa; touching it could corrupt data we don't understand. */
export class DatabaseTooNewError extends Error {
  override readonly name = 'DatabaseTooNewError';

  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `run store ${file} was written by a newer version of rpa (schema version ${found}; ` +
        `this version knows up to ${known}). Upgrade rpa, or set RPA_HOME to another folder.`,
    );
  }
}

/** Throws when the list itself is wrong: that is a bug in rpa, not in the user's data. */
export function validateMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `migrations must be numbered 1..n in order: position ${i} holds version ${m.version} ` +
          `(${m.name}), expected ${i + 1}`,
      );
    }
  });
}

export function readUserVersion(db: Db): number {
  const v = db.pragma('user_version', { simple: true });
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new Error(`run store ${db.name} has an invalid schema version: ${String(v)}`);
  }
  return v;
}

/**
 * Validates the list and refuses a file that is newer than the list, without writing
 * anything. Exported so openDatabase can call it before switching journal modes, which
 * would itself modify the file.
 */
export function checkSchemaVersion(db: Db, migrations: readonly Migration[]): number {
  validateMigrations(migrations);
  const found = readUserVersion(db);
  if (found > migrations.length) throw new DatabaseTooNewError(db.name, found, migrations.length);
  return found;
}

/**
 * Brings the file up to the newest version. All pending migrations run in one
 * transaction: a failure halfway leaves the file exactly at its old version rather
 * than at a version number that doesn't describe its tables.
 */
export function migrate(db: Db, migrations: readonly Migration[]): { from: number; to: number } {
  const known = migrations.length;
  const initial = checkSchemaVersion(db, migrations);
  if (initial === known) return { from: initial, to: known };

  const apply = db.transaction((): number => {
    // Re-read under the write lock: another process may have migrated (or a newer rpa
    // may have) between our first look and acquiring the lock.
    const from = readUserVersion(db);
    if (from > known) throw new DatabaseTooNewError(db.name, from, known);
    for (const m of migrations.slice(from)) m.up(db);
    // PRAGMA takes no bound parameters; `known` is an integer we computed ourselves.
    db.pragma(`user_version = ${known}`);
    return from;
  });
  // IMMEDIATE takes the write lock up front so two processes opening a fresh store
  // serialise on busy_timeout instead of one failing on lock upgrade.
  const from = apply.immediate();
  return { from, to: known };
}
