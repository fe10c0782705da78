// Fewer index writes per state change of a queue item (issue #21). A state change of an item is
// not a HOT update (its state is indexed), so PostgreSQL writes a new entry into every index of
// queue_items, whatever the index is on; and every change appends an event whose row goes into
// every index of queue_item_events. Before this migration that was, per item worked once
// (lease, complete): 4 row versions and 13 index entries. After it: 4 row versions and 9.
// - queue_items_by_state (queue, state, id) held every item, done ones included, and so took an
//   entry at every change. It becomes queue_items_open, the same columns over items that are not
//   done: a completion writes no entry into it. What it cost: the queue's counts per state
//   (GET /v1/queues/:queue, the console) count done items from the table, not an index — a
//   scan of the queue's rows, off the fleet's hot path.
// - queue_items_leased (queue, lease_expires_at) WHERE in_progress: the sweep finds the live
//   leases of a queue through queue_items_open (queue, 'in_progress') just as well — there are
//   only as many as robots hold — so a lease writes one index entry fewer, and a heartbeat
//   (which changes only lease_expires_at and updated_at, now unindexed) is a HOT update.
// - fillfactor 80: room on each page for those HOT updates (new pages; older ones as they fill).
// - queue_item_events: its primary key (id) and the (item_id, id) index become one primary key
//   (item_id, id) — id stays unique (bigserial), the history is read by item in id order, and
//   nothing refers to an event by id alone.
import type { Migration } from './index.js';

export const queueWriteLoad: Migration = {
  version: 8,
  name: 'queue-write-load',
  statements: [
    `CREATE INDEX queue_items_open ON queue_items (queue, state, id) WHERE state <> 'done'`,
    `DROP INDEX queue_items_by_state`,
    `DROP INDEX queue_items_leased`,
    `ALTER TABLE queue_items SET (fillfactor = 80)`,
    `ALTER TABLE queue_item_events DROP CONSTRAINT queue_item_events_pkey`,
    `DROP INDEX queue_item_events_item`,
    `ALTER TABLE queue_item_events ADD CONSTRAINT queue_item_events_pkey PRIMARY KEY (item_id, id)`,
  ],
};
