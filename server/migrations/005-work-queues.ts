// Central work queues (server/queues): robots of a fleet drain one queue together.
// - queues: created by an admin; the defaults every item of the queue starts with.
// - queue_grants: which enrolled devices may add to and work a queue.
// - queue_items: one row per item; leased with SELECT … FOR UPDATE SKIP LOCKED. All times are
//   the database's (now()): a robot's clock never decides whether a lease holds.
// - queue_item_events: every state change of an item, append-only — who (device or user)
//   moved it, from what to what, at which attempt, and why. It is the item's attempts history
//   and its audit trail.
import type { Migration } from './index.js';

export const workQueues: Migration = {
  version: 5,
  name: 'work-queues',
  statements: [
    `CREATE TABLE queues (
       name               text PRIMARY KEY,
       max_retries        integer NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
       max_payload_bytes  integer NOT NULL DEFAULT 16384 CHECK (max_payload_bytes > 0),
       backoff_base_ms    integer NOT NULL DEFAULT 1000 CHECK (backoff_base_ms >= 0),
       backoff_cap_ms     integer NOT NULL DEFAULT 300000 CHECK (backoff_cap_ms >= 0),
       created_at         timestamptz NOT NULL DEFAULT now(),
       created_by         text NOT NULL
     )`,
    `CREATE TABLE queue_grants (
       queue       text NOT NULL REFERENCES queues (name) ON DELETE CASCADE,
       device_id   text NOT NULL REFERENCES devices (id),
       granted_at  timestamptz NOT NULL DEFAULT now(),
       granted_by  text NOT NULL,
       PRIMARY KEY (queue, device_id)
     )`,
    `CREATE TABLE queue_items (
       id                bigserial PRIMARY KEY,
       queue             text NOT NULL REFERENCES queues (name),
       payload           text NOT NULL,
       state             text NOT NULL CHECK (state IN ('new', 'in_progress', 'done', 'failed', 'retrying', 'dead')),
       priority          integer NOT NULL DEFAULT 0,
       idempotency_key   text,
       attempts          integer NOT NULL DEFAULT 0,
       max_retries       integer NOT NULL,
       next_attempt_at   timestamptz NOT NULL DEFAULT now(),
       deadline          timestamptz,
       worker            text,
       device_id         text,
       lease_token       uuid,
       lease_expires_at  timestamptz,
       output            text,
       last_error        text,
       created_at        timestamptz NOT NULL DEFAULT now(),
       updated_at        timestamptz NOT NULL DEFAULT now(),
       UNIQUE (queue, idempotency_key)
     )`,
    // The lease query: due items of one queue by priority, deadline, arrival.
    `CREATE INDEX queue_items_waiting ON queue_items (queue, priority DESC, deadline, id) WHERE state IN ('new', 'retrying')`,
    // The sweep: leases that ran out.
    `CREATE INDEX queue_items_leased ON queue_items (queue, lease_expires_at) WHERE state = 'in_progress'`,
    // Deadlines that passed while the item waited.
    `CREATE INDEX queue_items_deadline ON queue_items (queue, deadline) WHERE state IN ('new', 'retrying') AND deadline IS NOT NULL`,
    `CREATE INDEX queue_items_by_state ON queue_items (queue, state, id)`,
    `CREATE TABLE queue_item_events (
       id          bigserial PRIMARY KEY,
       item_id     bigint NOT NULL REFERENCES queue_items (id),
       ts          timestamptz NOT NULL DEFAULT now(),
       from_state  text,
       to_state    text NOT NULL,
       attempt     integer NOT NULL,
       actor       text NOT NULL,
       worker      text,
       error       text
     )`,
    `CREATE INDEX queue_item_events_item ON queue_item_events (item_id, id)`,
  ],
};
