// Retention: records older than the retention period are deleted, per device as a prefix of its
// chain, and the deletion is itself audited (retention_log, written in the same transaction).
// The hash of the last deleted record becomes the device's chain anchor, so verification starts
// from the oldest kept record and still says ok after a legitimate retention run.
//
// "Older" is conservative: a record goes only when both its own time (ts) and the time the server
// received it are before the cutoff, and only together with every record before it in its
// device's chain (a younger record stops the prefix; a record with an unreadable ts is never old).
// Each new anchor is also an entry of the server's signed log (server-log.ts): verify accepts a
// chain starting after seq 1 only from an anchor the log holds, so deleting the start of a chain
// by hand and writing an anchor row ("fake retention") is found.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GENESIS_HASH } from '../audit/index.js';
import { authorize, bearer, hashToken } from './auth.js';
import type { Queryable, SqlClient } from './db.js';
import { toIso, toNumber } from './db.js';
import { parse } from './http.js';
import { appendLogEntry } from './server-log.js';
import type { ServerKey } from './server-key.js';

export const DEFAULT_RETENTION_DAYS = 2557; // ≈ 7 years
const DAY_MS = 86_400_000;

/** AUDIT_RETENTION_DAYS: a whole number of days, at least 1; absent → the default. */
export function retentionDaysFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(value.trim());
  if (!Number.isInteger(days) || days < 1) throw new Error(`AUDIT_RETENTION_DAYS must be a whole number of days, at least 1, got ${value}`);
  return days;
}

export interface DeviceDeletion {
  deviceId: string;
  fromSeq: number;
  toSeq: number;
  count: number;
  /** Hash of record toSeq: the chain anchor from now on. */
  anchorHash: string;
}

export interface DeviceSkipped {
  deviceId: string;
  reason: string;
}

export interface RetentionResult {
  id: number;
  appliedAt: string;
  retentionDays: number;
  cutoff: string;
  deleted: number;
  devices: DeviceDeletion[];
  skipped: DeviceSkipped[];
}

export interface Actor {
  role: string;
  label: string | null;
  /** First 12 hex digits of the SHA-256 of the caller's token (enough to tell tokens apart). */
  tokenId: string;
}

async function anchorOf(db: Queryable, deviceId: string): Promise<{ seq: number; hash: string }> {
  const result = await db.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM chain_anchors WHERE device_id = $1', [deviceId]);
  const row = result.rows[0];
  return row ? { seq: toNumber(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}

/** Deletes what the period allows and logs it, all in one transaction (ingest waits on the device locks). */
export async function applyRetention(db: SqlClient, options: { retentionDays: number; actor: Actor; key: ServerKey; now?: Date }): Promise<RetentionResult> {
  const { retentionDays, actor } = options;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`retention must be a whole number of days >= 1, got ${retentionDays}`);
  const cutoff = new Date((options.now ?? new Date()).getTime() - retentionDays * DAY_MS).toISOString();
  return db.transaction(async (tx) => {
    const devices = await tx.query<{ id: string }>('SELECT id FROM devices ORDER BY id FOR UPDATE');
    const deleted: DeviceDeletion[] = [];
    const skipped: DeviceSkipped[] = [];
    for (const { id } of devices.rows) {
      const outcome = await deleteDevicePrefix(tx, id, cutoff);
      if (outcome && 'reason' in outcome) skipped.push(outcome);
      else if (outcome) deleted.push(outcome);
    }
    const total = deleted.reduce((sum, d) => sum + d.count, 0);
    const logged = await tx.query<{ id: unknown; applied_at: unknown }>(
      `INSERT INTO retention_log (actor_role, actor_label, actor_token_id, retention_days, cutoff, deleted_count, devices)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id, applied_at`,
      [actor.role, actor.label, actor.tokenId, retentionDays, cutoff, total, JSON.stringify({ deleted, skipped })],
    );
    const row = logged.rows[0]!;
    for (const deletion of deleted) {
      await appendLogEntry(tx, options.key, { kind: 'anchor', deviceId: deletion.deviceId, fromSeq: deletion.fromSeq, anchorSeq: deletion.toSeq, anchorHash: deletion.anchorHash, retentionId: toNumber(row.id) });
    }
    return { id: toNumber(row.id), appliedAt: toIso(row.applied_at)!, retentionDays, cutoff, deleted: total, devices: deleted, skipped };
  });
}

async function deleteDevicePrefix(tx: Queryable, deviceId: string, cutoff: string): Promise<DeviceDeletion | DeviceSkipped | undefined> {
  const anchor = await anchorOf(tx, deviceId);
  // The first record that must stay bounds the prefix; without one, every stored record is old.
  const bound = await tx.query<{ first_kept: unknown; last: unknown }>(
    `SELECT (SELECT min(seq) FROM audit_records WHERE device_id = $1 AND NOT COALESCE(ts_at < $2::timestamptz AND received_at < $2::timestamptz, false)) AS first_kept,
            (SELECT max(seq) FROM audit_records WHERE device_id = $1) AS last`,
    [deviceId, cutoff],
  );
  const { first_kept: firstKept, last } = bound.rows[0]!;
  if (last === null) return undefined;
  const toSeq = firstKept === null ? toNumber(last) : toNumber(firstKept) - 1;
  const fromSeq = anchor.seq + 1;
  if (toSeq < fromSeq) return undefined;

  // Never delete across a hole or a broken link: that would hide tampering behind retention.
  const range = await tx.query<{ n: unknown }>('SELECT count(*) AS n FROM audit_records WHERE device_id = $1 AND seq BETWEEN $2 AND $3', [deviceId, fromSeq, toSeq]);
  const count = toNumber(range.rows[0]!.n);
  if (count !== toSeq - fromSeq + 1) return { deviceId, reason: `records ${fromSeq}..${toSeq} are not all stored (${count} found); verify the chain first` };
  const ends = await tx.query<{ seq: unknown; hash: string; prev_hash: string }>(
    'SELECT seq, hash, prev_hash FROM audit_records WHERE device_id = $1 AND seq IN ($2, $3, $4)',
    [deviceId, fromSeq, toSeq, toSeq + 1],
  );
  const at = (seq: number) => ends.rows.find((r) => toNumber(r.seq) === seq);
  const lastDeleted = at(toSeq)!;
  if (at(fromSeq)!.prev_hash !== anchor.hash) return { deviceId, reason: `record ${fromSeq} does not link to the chain anchor; verify the chain first` };
  const firstKeptRow = at(toSeq + 1);
  if (firstKeptRow && firstKeptRow.prev_hash !== lastDeleted.hash) return { deviceId, reason: `record ${toSeq + 1} does not link to record ${toSeq}; verify the chain first` };

  await tx.query('DELETE FROM audit_records WHERE device_id = $1 AND seq BETWEEN $2 AND $3', [deviceId, fromSeq, toSeq]);
  await tx.query(
    `INSERT INTO chain_anchors (device_id, seq, hash) VALUES ($1, $2, $3)
     ON CONFLICT (device_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, updated_at = now()`,
    [deviceId, toSeq, lastDeleted.hash],
  );
  // Runs whose records are all gone go; runs cut in two keep their remaining records' count.
  await tx.query('DELETE FROM runs WHERE device_id = $1 AND last_seq <= $2', [deviceId, toSeq]);
  await tx.query(
    `UPDATE runs SET first_seq = k.first_seq, record_count = k.n, updated_at = now()
     FROM (SELECT run_id, min(seq) AS first_seq, count(*) AS n FROM audit_records
           WHERE device_id = $1 AND run_id IN (SELECT run_id FROM runs WHERE device_id = $1 AND first_seq <= $2) GROUP BY run_id) k
     WHERE runs.device_id = $1 AND runs.run_id = k.run_id AND runs.first_seq <= $2`,
    [deviceId, toSeq],
  );
  return { deviceId, fromSeq, toSeq, count, anchorHash: lastDeleted.hash };
}

const ApplyBody = z.strictObject({});
const LogQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export async function listRetentionLog(db: Queryable, limit: number) {
  const result = await db.query<{
    id: unknown;
    applied_at: unknown;
    actor_role: string;
    actor_label: string | null;
    actor_token_id: string;
    retention_days: unknown;
    cutoff: unknown;
    deleted_count: unknown;
    devices: { deleted: DeviceDeletion[]; skipped: DeviceSkipped[] };
  }>('SELECT * FROM retention_log ORDER BY applied_at DESC, id DESC LIMIT $1', [limit]);
  return result.rows.map((row) => ({
    id: toNumber(row.id),
    appliedAt: toIso(row.applied_at),
    actor: { role: row.actor_role, label: row.actor_label, tokenId: row.actor_token_id },
    retentionDays: toNumber(row.retention_days),
    cutoff: toIso(row.cutoff),
    deleted: toNumber(row.deleted_count),
    devices: row.devices.deleted,
    skipped: row.devices.skipped,
  }));
}

/** POST /v1/retention/apply (admin) and GET /v1/retention/log (admin, auditor). */
export function registerRetentionRoutes(app: FastifyInstance, db: SqlClient, key: ServerKey, retentionDays: number = DEFAULT_RETENTION_DAYS): void {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`retention must be a whole number of days >= 1, got ${retentionDays}`);
  app.post('/v1/retention/apply', async (request) => {
    const principal = await authorize(db, request, ['admin']);
    parse(ApplyBody, request.body ?? {}, 'body');
    const tokenHash = hashToken(bearer(request)!);
    const labelled = await db.query<{ label: string | null }>('SELECT label FROM tokens WHERE hash = $1', [tokenHash]);
    const actor: Actor = { role: principal.role, label: labelled.rows[0]?.label ?? null, tokenId: tokenHash.slice(0, 12) };
    return applyRetention(db, { retentionDays, actor, key });
  });
  app.get('/v1/retention/log', async (request) => {
    await authorize(db, request, ['admin', 'auditor']);
    const { limit } = parse(LogQuery, request.query, 'query');
    return { retentionDays, entries: await listRetentionLog(db, limit) };
  });
}
