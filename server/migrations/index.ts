// Numbered SQL migrations, one list for PostgreSQL and PGlite alike. Applied in order, each in
// its own transaction, recorded in schema_migrations; an advisory lock keeps two servers
// starting at once from racing.
import type { SqlClient } from '../db.js';
import { init } from './001-init.js';
import { retentionMetrics } from './002-retention-metrics.js';
import { ingestBatches } from './003-ingest-batches.js';
import { serverLog } from './004-server-log.js';
import { workQueues } from './005-work-queues.js';
import { deviceGroups } from './006-device-groups.js';
import { queueEventsTime } from './007-queue-events-time.js';
import { queueWriteLoad } from './008-queue-write-load.js';
import { runAutomationName } from './009-run-automation-name.js';
import { queueAutovacuum } from './010-queue-autovacuum.js';
import { runScreenshots } from './011-run-screenshots.js';
import { screenshotReceipts } from './012-screenshot-receipts.js';

export interface Migration {
  version: number;
  name: string;
  /** One statement per entry (PGlite's query() takes a single statement). */
  statements: string[];
}

export const MIGRATIONS: readonly Migration[] = [init, retentionMetrics, ingestBatches, serverLog, workQueues, deviceGroups, queueEventsTime, queueWriteLoad, runAutomationName, queueAutovacuum, runScreenshots, screenshotReceipts];

const LOCK_KEY = 4790_0001;

export async function migrate(db: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer PRIMARY KEY,
    name        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.rows.length > 0) return;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    });
  }
  return applied;
}
