// The first schema of the audit server. Tokens of every kind are stored as SHA-256 hashes only.
import type { Migration } from './index.js';

export const init: Migration = {
  version: 1,
  name: 'init',
  statements: [
    `CREATE TABLE tokens (
       hash        text PRIMARY KEY,
       role        text NOT NULL CHECK (role IN ('admin', 'auditor')),
       label       text,
       created_at  timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE enrollment_tokens (
       hash        text PRIMARY KEY,
       created_at  timestamptz NOT NULL DEFAULT now(),
       expires_at  timestamptz NOT NULL,
       used_at     timestamptz,
       device_id   text
     )`,
    `CREATE TABLE devices (
       id            text PRIMARY KEY,
       name          text NOT NULL,
       public_key    text NOT NULL,
       token_hash    text NOT NULL UNIQUE,
       created_at    timestamptz NOT NULL DEFAULT now(),
       last_seen_at  timestamptz,
       ack_seq       bigint NOT NULL DEFAULT 0,
       ack_hash      text NOT NULL
     )`,
    `CREATE TABLE audit_records (
       device_id           text NOT NULL REFERENCES devices (id),
       seq                 bigint NOT NULL,
       id                  text NOT NULL,
       ts                  text NOT NULL,
       ts_at               timestamptz,
       type                text NOT NULL,
       run_id              text NOT NULL,
       automation_id       text,
       automation_version  text,
       automation_sha256   text,
       user_name           text NOT NULL,
       payload             jsonb NOT NULL,
       prev_hash           text NOT NULL,
       hash                text NOT NULL,
       received_at         timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (device_id, seq)
     )`,
    `CREATE INDEX audit_records_run ON audit_records (run_id, device_id, seq)`,
    `CREATE INDEX audit_records_ts ON audit_records (ts_at)`,
    // One row per run, maintained on ingest, so run queries never scan the records.
    `CREATE TABLE runs (
       device_id           text NOT NULL REFERENCES devices (id),
       run_id              text NOT NULL,
       automation_id       text,
       automation_version  text,
       user_name           text NOT NULL,
       status              text NOT NULL,
       started_at          timestamptz NOT NULL,
       ended_at            timestamptz,
       record_count        integer NOT NULL DEFAULT 0,
       first_seq           bigint NOT NULL,
       last_seq            bigint NOT NULL,
       updated_at          timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (device_id, run_id)
     )`,
    `CREATE INDEX runs_newest ON runs (started_at DESC, device_id DESC, run_id DESC)`,
    `CREATE INDEX runs_run_id ON runs (run_id)`,
    `CREATE INDEX runs_status ON runs (status)`,
  ],
};
