// The credentials vault: one row per secret, sealed with AES-256-GCM under a key that is
// kept outside this file (see engine/vault/key.ts). Nothing here is readable without it.
import type { Migration } from '../migrate.js';

export const vaultMigration: Migration = {
  version: 4,
  name: 'vault',
  up(db) {
    db.exec(`
      CREATE TABLE vault_secrets (
        name       TEXT NOT NULL PRIMARY KEY CHECK (name GLOB '[A-Za-z_]*' AND name NOT GLOB '*[^A-Za-z0-9_]*'),
        nonce      BLOB NOT NULL CHECK (length(nonce) = 12),
        ciphertext BLOB NOT NULL,
        auth_tag   BLOB NOT NULL CHECK (length(auth_tag) = 16),
        -- Fingerprint of the key the row was sealed with, so a different key is named as
        -- such instead of surfacing as a generic authentication failure.
        key_id     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
