// Revoking a device (POST /v1/devices/:id/revoke, admin only): from then on its token is refused
// (403 device_revoked, with who revoked it and when) and its key is never enrolled again. Its
// records stay stored and verifiable. Who, when and why are kept on the device row and, signed,
// in the server's log, so a revocation quietly undone in the database is found by verify.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { authorize, bearer, hashToken } from './auth.js';
import type { Queryable, SqlClient } from './db.js';
import { toIso, toNumber } from './db.js';
import { HttpError, notFound, parse, storableText } from './http.js';
import { appendLogEntry } from './server-log.js';
import type { ServerKey } from './server-key.js';
import type { LogHead } from './log-head.js';

const DeviceParams = z.strictObject({ id: storableText(1, 64) });
const RevokeBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

/** The caller as the revocation records it: role, token label and the first 12 hex digits of its token's hash. */
async function actorOf(db: Queryable, token: string, role: string): Promise<string> {
  const tokenHash = hashToken(token);
  const label = (await db.query<{ label: string | null }>('SELECT label FROM tokens WHERE hash = $1', [tokenHash])).rows[0]?.label;
  return `${role}${label ? ` "${label}"` : ''} (token ${tokenHash.slice(0, 12)})`;
}

export function registerRevocationRoutes(app: FastifyInstance, db: SqlClient, key: ServerKey, head: LogHead): void {
  app.post('/v1/devices/:id/revoke', async (request) => {
    const principal = await authorize(db, request, ['admin']);
    const { id } = parse(DeviceParams, request.params, 'path');
    const { reason } = parse(RevokeBody, request.body ?? {}, 'body');
    const by = await actorOf(db, bearer(request)!, principal.role);
    const revoked = await db.transaction(async (tx) => {
      const device = (await tx.query<{ ack_seq: unknown; revoked_at: unknown }>('SELECT ack_seq, revoked_at FROM devices WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!device) throw notFound(`no device ${id}`);
      if (device.revoked_at !== null) throw new HttpError(409, { error: 'already_revoked', message: `device ${id} was already revoked on ${toIso(device.revoked_at)}` });
      const updated = await tx.query<{ revoked_at: unknown }>('UPDATE devices SET revoked_at = now(), revoked_by = $2, revoked_reason = $3 WHERE id = $1 RETURNING revoked_at', [id, by, reason ?? null]);
      const entry = await appendLogEntry(tx, key, { kind: 'revoke', deviceId: id, ackSeq: toNumber(device.ack_seq), by, reason: reason ?? null });
      head.note(entry);
      return { deviceId: id, revokedAt: toIso(updated.rows[0]!.revoked_at), revokedBy: by, reason: reason ?? null, ackSeq: toNumber(device.ack_seq), logEntry: entry.n };
    });
    return revoked;
  });
}

/** Devices (queries.ts listDevices) with when, by whom and why each was revoked (null when it was not). */
export async function withRevocations<T extends { id: string }>(db: Queryable, devices: T[]): Promise<Array<T & { revokedAt: string | null; revokedBy: string | null; revokedReason: string | null }>> {
  const rows = await db.query<{ id: string; revoked_at: unknown; revoked_by: string | null; revoked_reason: string | null }>(
    'SELECT id, revoked_at, revoked_by, revoked_reason FROM devices WHERE revoked_at IS NOT NULL',
  );
  const revoked = new Map(rows.rows.map((row) => [row.id, row]));
  return devices.map((device) => {
    const row = revoked.get(device.id);
    return { ...device, revokedAt: row ? toIso(row.revoked_at) : null, revokedBy: row?.revoked_by ?? null, revokedReason: row?.revoked_reason ?? null };
  });
}
