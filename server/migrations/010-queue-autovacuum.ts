// Autovacuum for the hot work-item table (issue #21). Each lease and each completion leaves a dead
// row version of the item, and its old entry in queue_items_open, until a vacuum: the lease's
// search for due items steps over those entries (bench/fleet-due-scan: about 6 index pages per
// 1 000 items leased). PostgreSQL's default vacuums a table once a fifth of its rows are dead; a
// queue table keeps its done items, so on a long-lived one that fifth is large (a table of 500 000
// done items waits for 100 000 dead versions) and the search grows with it. A fixed threshold
// instead (scale factor 0) vacuums the table after the same number of changes whatever its size.
// Measured (bench/fleet-vacuum, 2026-12-07, a cluster with PostgreSQL's defaults, 500 000 done
// items, one robot for 180 s, load 31-44): by default no autovacuum, dead versions growing to
// 19 250 and the due-items search to 63 index pages; with these parameters two autovacuums, at most
// 13 075 dead (mean 5 989 against 10 135) and at most 45 pages (mean 23 against 35), 5 after the
// vacuum that cleaned the indexes. What still bounds it: autovacuum wakes once a minute
// (autovacuum_naptime, a server setting), and a vacuum that finds dead versions on under 2 % of the
// table's pages leaves the indexes as they are (PostgreSQL 14+) — most likely why the first one in
// that run did not shorten the search.
// Only storage parameters: no rows or indexes change, and autovacuum still runs only where the
// server has it on (postgresql.conf autovacuum = on, PostgreSQL's default).
import type { Migration } from './index.js';

/** The table's autovacuum parameters (also applied and reset by bench/fleet-vacuum). */
export const QUEUE_ITEMS_AUTOVACUUM = {
  autovacuum_vacuum_scale_factor: 0,
  autovacuum_vacuum_threshold: 5000,
  autovacuum_analyze_scale_factor: 0,
  autovacuum_analyze_threshold: 10000,
} as const;

export const queueAutovacuum: Migration = {
  version: 10,
  name: 'queue-autovacuum',
  statements: [`ALTER TABLE queue_items SET (${Object.entries(QUEUE_ITEMS_AUTOVACUUM).map(([name, value]) => `${name} = ${value}`).join(', ')})`],
};
