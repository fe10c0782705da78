// What a device needs to prove, from its side, that the server still holds what it acknowledged
// (rpa sync verify): the server's public key, its receipts, and the hashes the server now stores
// for a range of seqs with the chain anchor retention left. A device reads only its own; admins
// and auditors any device's.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GENESIS_HASH } from '../audit/index.js';
import { authorize } from './auth.js';
import type { SqlClient } from './db.js';
import { toNumber } from './db.js';
import { badRequest, forbidden, notFound, parse } from './http.js';
import { deviceEntries } from './server-log.js';
import type { ServerKey } from './server-key.js';

export const MAX_PROOF_RANGE = 5000;
const DeviceParams = z.strictObject({ id: z.string().min(1).max(64) });
const ReceiptsQuery = z.strictObject({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(1000) });
const ProofQuery = z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

export function registerProofRoutes(app: FastifyInstance, db: SqlClient, key: ServerKey): void {
  app.get('/v1/server-key', () => ({ algorithm: 'Ed25519', publicKey: key.publicKeyPem, keyId: key.keyId }));

  const allowed = async (request: Parameters<typeof authorize>[1], id: string) => {
    const principal = await authorize(db, request, ['device', 'admin', 'auditor']);
    if (principal.role === 'device' && principal.deviceId !== id) throw forbidden('a device may read only its own receipts and proofs');
    const device = (await db.query<{ ack_seq: unknown; ack_hash: string }>('SELECT ack_seq, ack_hash FROM devices WHERE id = $1', [id])).rows[0];
    if (!device) throw notFound(`no device ${id}`);
    return { seq: toNumber(device.ack_seq), hash: device.ack_hash };
  };

  /** The device's receipts whose last seq is after `after`, oldest first. */
  app.get('/v1/devices/:id/receipts', async (request) => {
    const { id } = parse(DeviceParams, request.params, 'path');
    const query = parse(ReceiptsQuery, request.query, 'query');
    await allowed(request, id);
    return { deviceId: id, receipts: await deviceEntries(db, id, 'batch', query.after, query.limit) };
  });

  /** The hashes stored now for seqs from..to, the ack, and the signed anchor entry retention left (if any). */
  app.get('/v1/devices/:id/proof', async (request) => {
    const { id } = parse(DeviceParams, request.params, 'path');
    const { from, to } = parse(ProofQuery, request.query, 'query');
    if (to < from || to - from + 1 > MAX_PROOF_RANGE) throw badRequest('invalid_request', `invalid query: from..to must be a range of 1 to ${MAX_PROOF_RANGE} seqs, got ${from}..${to}`);
    const ack = await allowed(request, id);
    const rows = await db.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM audit_records WHERE device_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq', [id, from, to]);
    const anchors = await deviceEntries(db, id, 'anchor');
    const anchorRow = (await db.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM chain_anchors WHERE device_id = $1', [id])).rows[0];
    return {
      deviceId: id,
      ack,
      anchor: anchorRow ? { seq: toNumber(anchorRow.seq), hash: anchorRow.hash } : { seq: 0, hash: GENESIS_HASH },
      anchorEntry: anchors.at(-1) ?? null,
      records: rows.rows.map((row) => ({ seq: toNumber(row.seq), hash: row.hash })),
    };
  });
}
