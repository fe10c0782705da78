// Placeholder filled in by the schedules work; until then it creates nothing.
import type { Migration } from '../migrate.js';

export const schedulesMigration: Migration = {
  version: 2,
  name: 'schedules',
  up() {
    // tables of schedules go here
  },
};
