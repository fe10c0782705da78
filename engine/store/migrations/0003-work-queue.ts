// Durable work queues (engine/queue): one row per item, plus an append-only history of
// every state change that users audit. Times are Unix milliseconds (INTEGER) because the
// lease query compares them on every call; the CLI shows them as ISO text.
import type { Migration } from '../migrate.js';

export const workQueueMigration: Migration = {
  version: 3,
  name: 'work-queue',
  up(db) {
    db.exec(`
      CREATE TABLE queue_items (
        id               INTEGER PRIMARY KEY,
        queue            TEXT NOT NULL CHECK (length(queue) > 0),
        payload_json     TEXT NOT NULL,
        state            TEXT NOT NULL
          CHECK (state IN ('new', 'in_progress', 'done', 'failed', 'retrying', 'dead')),
        -- Higher first; equal priorities are served in id (arrival) order.
        priority         INTEGER NOT NULL DEFAULT 0,
        idempotency_key  TEXT,
        attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        max_retries      INTEGER NOT NULL CHECK (max_retries >= 0),
        next_attempt_at  INTEGER NOT NULL,
        lease_token      TEXT,
        lease_worker     TEXT,
        lease_expires_at INTEGER,
        output_json      TEXT,
        -- The last error ({ kind, name, message }), kept after a retry for the record.
        error_json       TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        -- NULL keys never collide, so items without a key are always added.
        UNIQUE (queue, idempotency_key),
        CHECK ((state = 'in_progress') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL))
      ) STRICT;

      -- The lease query: due items of one queue, by priority then arrival.
      CREATE INDEX queue_items_waiting ON queue_items (queue, priority DESC, id)
        WHERE state IN ('new', 'retrying');
      -- requeueExpired(): leases that ran out.
      CREATE INDEX queue_items_leased ON queue_items (lease_expires_at)
        WHERE state = 'in_progress';
      CREATE INDEX queue_items_by_state ON queue_items (queue, state, id);

      CREATE TABLE queue_item_history (
        id         INTEGER PRIMARY KEY,
        item_id    INTEGER NOT NULL REFERENCES queue_items (id),
        ts         INTEGER NOT NULL,
        from_state TEXT,
        to_state   TEXT NOT NULL,
        attempt    INTEGER NOT NULL,
        worker     TEXT,
        error_json TEXT
      ) STRICT;

      CREATE INDEX queue_item_history_by_item ON queue_item_history (item_id, id);
    `);
  },
};
