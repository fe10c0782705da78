// Placeholder filled in by the vault work; until then it creates nothing.
import type { Migration } from '../migrate.js';

export const vaultMigration: Migration = {
  version: 4,
  name: 'vault',
  up() {
    // tables of vault go here
  },
};
