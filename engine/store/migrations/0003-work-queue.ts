// Placeholder filled in by the work-queue work; until then it creates nothing.
import type { Migration } from '../migrate.js';

export const workQueueMigration: Migration = {
  version: 3,
  name: 'work-queue',
  up() {
    // tables of work-queue go here
  },
};
