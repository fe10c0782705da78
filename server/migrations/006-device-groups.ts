// Device groups for central work queues: an admin grants a queue to a group ("invoice robots"),
// and every device in the group may work it — devices join and leave the group without touching
// the queue's grants.
// - device_groups, device_group_members: who is in which group (a device may be in several).
// - queue_group_grants: which groups may add to and work a queue.
// - queue_access: the one place that says whether a device may work a queue — granted itself
//   or through one of its groups. Every check of the queue routes reads this view.
import type { Migration } from './index.js';

export const deviceGroups: Migration = {
  version: 6,
  name: 'device-groups',
  statements: [
    `CREATE TABLE device_groups (
       name        text PRIMARY KEY,
       created_at  timestamptz NOT NULL DEFAULT now(),
       created_by  text NOT NULL
     )`,
    `CREATE TABLE device_group_members (
       group_name  text NOT NULL REFERENCES device_groups (name) ON DELETE CASCADE,
       device_id   text NOT NULL REFERENCES devices (id),
       added_at    timestamptz NOT NULL DEFAULT now(),
       added_by    text NOT NULL,
       PRIMARY KEY (group_name, device_id)
     )`,
    `CREATE INDEX device_group_members_device ON device_group_members (device_id, group_name)`,
    `CREATE TABLE queue_group_grants (
       queue       text NOT NULL REFERENCES queues (name) ON DELETE CASCADE,
       group_name  text NOT NULL REFERENCES device_groups (name) ON DELETE CASCADE,
       granted_at  timestamptz NOT NULL DEFAULT now(),
       granted_by  text NOT NULL,
       PRIMARY KEY (queue, group_name)
     )`,
    `CREATE VIEW queue_access AS
       SELECT queue, device_id, NULL::text AS via_group FROM queue_grants
       UNION ALL
       SELECT g.queue, m.device_id, g.group_name FROM queue_group_grants g JOIN device_group_members m ON m.group_name = g.group_name`,
  ],
};
