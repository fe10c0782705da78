// The automation package a run came from: its manifest hash and who signed it, so the run
// record proves which signed bytes ran (issue: signed automation packages and policy).
import type { Migration } from '../migrate.js';

export const runPackagesMigration: Migration = {
  version: 9,
  name: 'run-packages',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN package_sha256 TEXT;
      ALTER TABLE runs ADD COLUMN package_signer TEXT;
    `);
  },
};
