// Retention and metrics: the audited log of retention runs, the per-device chain anchor left by
// them (verification starts from it instead of genesis), and an index for the /metrics window.
import type { Migration } from './index.js';

export const retentionMetrics: Migration = {
  version: 2,
  name: 'retention-metrics',
  statements: [
    // The hash of the last record deleted by retention, per device: the new start of its chain.
    `CREATE TABLE chain_anchors (
       device_id   text PRIMARY KEY REFERENCES devices (id),
       seq         bigint NOT NULL,
       hash        text NOT NULL,
       updated_at  timestamptz NOT NULL DEFAULT now()
     )`,
    // One row per POST /v1/retention/apply, written in the same transaction as the deletion.
    `CREATE TABLE retention_log (
       id              bigserial PRIMARY KEY,
       applied_at      timestamptz NOT NULL DEFAULT now(),
       actor_role      text NOT NULL,
       actor_label     text,
       actor_token_id  text NOT NULL,
       retention_days  integer NOT NULL,
       cutoff          timestamptz NOT NULL,
       deleted_count   bigint NOT NULL,
       devices         jsonb NOT NULL
     )`,
    `CREATE INDEX retention_log_newest ON retention_log (applied_at DESC, id DESC)`,
    // /metrics reads the last N days of the event types it aggregates.
    `CREATE INDEX audit_records_type_ts ON audit_records (type, ts_at)`,
    // Review events are few: counted through their own partial index, not the main scan.
    `CREATE INDEX audit_records_review ON audit_records (ts_at) WHERE type LIKE 'review.%'`,
  ],
};
