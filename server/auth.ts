// Bearer tokens: random, shown once, stored only as SHA-256 hashes. Three kinds of principal:
// admin and auditor (tokens table) and device (devices.token_hash).
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Queryable } from './db.js';
import { forbidden, HttpError, unauthorized } from './http.js';
import { toIso } from './db.js';

export type Role = 'admin' | 'auditor' | 'device';
export type Principal = { role: 'admin' | 'auditor' } | { role: 'device'; deviceId: string; revoked?: Revocation };

/** Who revoked a device, when and why (POST /v1/devices/:id/revoke). */
export interface Revocation {
  at: string;
  by: string | null;
  reason: string | null;
}

/** 403 for a revoked device's token: what happened, and that its earlier records stay. */
export function revokedError(deviceId: string, revoked: Revocation): HttpError {
  return new HttpError(403, {
    error: 'device_revoked',
    message: `device ${deviceId} was revoked on ${revoked.at}${revoked.by ? ` by ${revoked.by}` : ''}${revoked.reason ? ` (${revoked.reason})` : ''}: the server no longer accepts its token or key. Records it sent before stay stored and verifiable; ask the audit server's administrator to enroll this machine anew.`,
    revokedAt: revoked.at,
  });
}

const revocationOf = (row: { revoked_at: unknown; revoked_by: string | null; revoked_reason: string | null }): Revocation | undefined =>
  row.revoked_at === null || row.revoked_at === undefined ? undefined : { at: toIso(row.revoked_at)!, by: row.revoked_by, reason: row.revoked_reason };

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A new secret with a readable prefix telling what it is: adm_, aud_, dev_, enr_. */
export const newToken = (prefix: 'adm' | 'aud' | 'dev' | 'enr'): string => `${prefix}_${randomBytes(32).toString('base64url')}`;

export function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
  return match?.[1];
}

export async function principalOf(db: Queryable, token: string): Promise<Principal | undefined> {
  const hash = hashToken(token);
  const user = await db.query<{ role: 'admin' | 'auditor' }>('SELECT role FROM tokens WHERE hash = $1', [hash]);
  const role = user.rows[0]?.role;
  if (role) return { role };
  const device = await db.query<{ id: string; revoked_at: unknown; revoked_by: string | null; revoked_reason: string | null }>(
    'SELECT id, revoked_at, revoked_by, revoked_reason FROM devices WHERE token_hash = $1',
    [hash],
  );
  const row = device.rows[0];
  if (!row) return undefined;
  const revoked = revocationOf(row);
  return { role: 'device', deviceId: row.id, ...(revoked ? { revoked } : {}) };
}

/** The caller's principal, if its role is among allowed: 401 without a known token, 403 with the wrong role. */
export async function authorize(db: Queryable, request: FastifyRequest, allowed: readonly Role[]): Promise<Principal> {
  const token = bearer(request);
  if (!token) throw unauthorized();
  const principal = await principalOf(db, token);
  if (!principal) throw unauthorized();
  if (principal.role === 'device' && principal.revoked) throw revokedError(principal.deviceId, principal.revoked);
  if (!allowed.includes(principal.role)) throw forbidden(`a ${principal.role} token may not ${request.method} ${request.routeOptions.url ?? request.url}`);
  return principal;
}

/**
 * POST /v1/ingest's authorize(): the device a token belongs to and the key it enrolled, in one
 * round trip rather than three (user tokens, devices, the key). 401 without a known token, 403
 * with a user's token.
 */
export async function authorizeDevice(db: Queryable, request: FastifyRequest): Promise<{ deviceId: string; publicKey: string }> {
  const token = bearer(request);
  if (!token) throw unauthorized();
  const result = await db.query<{ role: Role; device_id: string | null; public_key: string | null; revoked_at: unknown; revoked_by: string | null; revoked_reason: string | null }>(
    `SELECT 'device' AS role, id AS device_id, public_key, revoked_at, revoked_by, revoked_reason FROM devices WHERE token_hash = $1
     UNION ALL SELECT role, NULL, NULL, NULL, NULL, NULL FROM tokens WHERE hash = $1`,
    [hashToken(token)],
    'auth_device_v2',
  );
  const row = result.rows[0];
  if (!row) throw unauthorized();
  const revoked = revocationOf(row);
  if (row.device_id !== null && revoked) throw revokedError(row.device_id, revoked);
  if (row.role !== 'device' || row.device_id === null || row.public_key === null) throw forbidden(`a ${row.role} token may not ${request.method} ${request.routeOptions.url ?? request.url}`);
  return { deviceId: row.device_id, publicKey: row.public_key };
}

/** Stores a new admin or auditor token and returns it (the only time it is seen). */
export async function createUserToken(db: Queryable, role: 'admin' | 'auditor', label: string | null = null): Promise<string> {
  const token = newToken(role === 'admin' ? 'adm' : 'aud');
  await db.query('INSERT INTO tokens (hash, role, label) VALUES ($1, $2, $3)', [hashToken(token), role, label]);
  return token;
}

/**
 * An admin token given by configuration (AUDIT_ADMIN_TOKEN / buildServer option): stored by hash,
 * replacing any previous configured one so rotating the variable revokes the old value.
 */
export async function installConfiguredAdminToken(db: Queryable, token: string): Promise<void> {
  const hash = hashToken(token);
  await db.query(`DELETE FROM tokens WHERE label = 'configured' AND hash <> $1`, [hash]);
  await db.query(`INSERT INTO tokens (hash, role, label) VALUES ($1, 'admin', 'configured') ON CONFLICT (hash) DO NOTHING`, [hash]);
}

/** First start without a configured token: make one admin token, return it to print once. */
export async function ensureAdminToken(db: Queryable): Promise<string | undefined> {
  const existing = await db.query(`SELECT 1 FROM tokens WHERE role = 'admin' LIMIT 1`);
  if (existing.rows.length > 0) return undefined;
  return createUserToken(db, 'admin', 'generated');
}
