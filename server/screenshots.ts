// Failure screenshots: a device sends the PNG of one of its own artifact records (after the
// record itself), auditors and admins read it. The record's sealed payload decides everything:
// it must be a screenshot the robot's policy let go (failureScreenshot: "upload"), and the bytes
// must be exactly the ones whose SHA-256 it names. Stored in PostgreSQL (migration 011) and
// checked against the record again on every read: a picture changed afterwards is refused with
// a 409 that says so, never shown as if it were the one the robot took.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_SCREENSHOT_BYTES, pngProblem } from '../audit/index.js';
import { authorize } from './auth.js';
import type { SqlClient } from './db.js';
import { toIso, toNumber } from './db.js';
import { forbidden, HttpError, notFound, parse, storableText } from './http.js';

const RecordParams = z.strictObject({ id: storableText(1, 64), seq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const RunParams = z.strictObject({ runId: storableText(1, 64) });

interface ArtifactRow {
  run_id: string;
  type: string;
  payload: Record<string, unknown>;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The artifact record `seq` of device `id`, refused unless it is a failure screenshot its robot was allowed to send. */
async function uploadableRecord(db: SqlClient, deviceId: string, seq: number): Promise<{ runId: string; sha256: string; bytes: number }> {
  const result = await db.query<ArtifactRow>('SELECT run_id, type, payload FROM audit_records WHERE device_id = $1 AND seq = $2', [deviceId, seq]);
  const row = result.rows[0];
  // 409: the screenshot came before its record (the robot sends records first); sent again after the records, it is taken.
  if (!row) throw new HttpError(409, { error: 'record_not_found', message: `device ${deviceId} has no record ${seq} on this server yet: send the run's records before its screenshot` });
  const payload = row.payload;
  if (row.type !== 'artifact' || payload['artifactKind'] !== 'screenshot') throw new HttpError(422, { error: 'not_a_screenshot', message: `record ${seq} of device ${deviceId} is a ${row.type} record, not a screenshot artifact` });
  if (payload['failureScreenshot'] !== 'upload') {
    throw new HttpError(403, { error: 'not_for_upload', message: `record ${seq} of device ${deviceId} does not say the machine policy let this screenshot leave the robot (failureScreenshot: ${JSON.stringify(payload['failureScreenshot'] ?? null)}); it is not taken` });
  }
  const recorded = payload['sha256'];
  if (typeof recorded !== 'string' || !/^[0-9a-f]{64}$/.test(recorded)) throw new HttpError(422, { error: 'no_hash', message: `record ${seq} of device ${deviceId} names no SHA-256 for its screenshot, so no bytes can be checked against it` });
  return { runId: row.run_id, sha256: recorded, bytes: typeof payload['bytes'] === 'number' ? payload['bytes'] : -1 };
}

export async function registerScreenshotRoutes(app: FastifyInstance, db: SqlClient): Promise<void> {
  // The PNG arrives as raw bytes in a scope of its own: its own body limit and content type.
  await app.register((scope, _options, registered) => {
    scope.addContentTypeParser('image/png', { parseAs: 'buffer', bodyLimit: MAX_SCREENSHOT_BYTES }, (_request, body, done) => done(null, body));
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_SCREENSHOT_BYTES }, (request, _body, done) =>
      done(new HttpError(415, { error: 'unsupported_media_type', message: `send the screenshot as image/png, not ${request.headers['content-type'] ?? 'no content type'}` }), undefined),
    );

    // Who is calling is settled before the body is read: a stranger's megabytes are not taken in.
    const onRequest = async (request: FastifyRequest): Promise<void> => {
      const principal = await authorize(db, request, ['device']);
      const { id } = parse(RecordParams, request.params, 'path');
      if (principal.role !== 'device' || principal.deviceId !== id) throw forbidden('a device may send screenshots of its own records only');
    };
    scope.put('/v1/devices/:id/records/:seq/screenshot', { bodyLimit: MAX_SCREENSHOT_BYTES, onRequest }, async (request, reply) => {
      const { id, seq } = parse(RecordParams, request.params, 'path');
      const body = request.body;
      if (!Buffer.isBuffer(body)) throw new HttpError(415, { error: 'unsupported_media_type', message: 'send the screenshot as image/png' });
      const record = await uploadableRecord(db, id, seq);
      const notPng = await pngProblem(body);
      if (notPng) throw new HttpError(422, { error: 'not_png', message: `the screenshot of record ${seq} is not a PNG image: ${notPng}` });
      const received = sha256(body);
      if (received !== record.sha256) {
        throw new HttpError(422, { error: 'hash_mismatch', message: `the bytes sent for record ${seq} have SHA-256 ${received}, but the record sealed in the chain names ${record.sha256}: not the screenshot the run took` });
      }
      // The picture and its receipt together: the receipt outlives a picture removed later.
      const inserted = await db.transaction(async (tx) => {
        const stored = await tx.query(
          'INSERT INTO run_screenshots (device_id, record_seq, run_id, sha256, bytes, png) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (device_id, record_seq) DO NOTHING RETURNING record_seq, received_at',
          [id, seq, record.runId, received, body.length, body],
        );
        const at = stored.rows[0] as { received_at: unknown } | undefined;
        if (at) {
          await tx.query(
            `INSERT INTO run_screenshot_receipts (device_id, record_seq, run_id, sha256, bytes, received_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (device_id, record_seq) DO UPDATE SET sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes, received_at = EXCLUDED.received_at`,
            [id, seq, record.runId, received, body.length, at.received_at],
          );
        }
        return stored;
      });
      // Sent again (an answer lost on the way): the same bytes, already kept.
      return reply.code(inserted.rows.length ? 201 : 200).send({ deviceId: id, seq, sha256: received, bytes: body.length, stored: inserted.rows.length > 0 });
    });
    registered();
  });
}

/** The read side: which screenshots a run has on the server (each re-checked), and one picture. */
export function registerScreenshotReadRoutes(app: FastifyInstance, db: SqlClient): void {
  app.get('/v1/runs/:runId/screenshots', async (request) => {
    await authorize(db, request, ['admin', 'auditor']);
    const { runId } = parse(RunParams, request.params, 'path');
    const result = await db.query<{ device_id: string; record_seq: unknown; bytes: number; png: Uint8Array; received_at: unknown; recorded: string | null }>(
      `SELECT s.device_id, s.record_seq, s.bytes, s.png, s.received_at, r.payload ->> 'sha256' AS recorded
         FROM run_screenshots s JOIN audit_records r ON r.device_id = s.device_id AND r.seq = s.record_seq
        WHERE s.run_id = $1 ORDER BY s.device_id, s.record_seq`,
      [runId],
    );
    // Pictures the server took in and no longer holds: their receipts outlive them (migration 012).
    const gone = await db.query<{ device_id: string; record_seq: unknown; bytes: number; sha256: string; received_at: unknown }>(
      `SELECT c.device_id, c.record_seq, c.bytes, c.sha256, c.received_at
         FROM run_screenshot_receipts c
        WHERE c.run_id = $1 AND NOT EXISTS (SELECT 1 FROM run_screenshots s WHERE s.device_id = c.device_id AND s.record_seq = c.record_seq)
        ORDER BY c.device_id, c.record_seq`,
      [runId],
    );
    return {
      runId,
      removed: gone.rows.map((row) => ({ deviceId: row.device_id, seq: toNumber(row.record_seq), bytes: row.bytes, sha256: row.sha256, receivedAt: toIso(row.received_at) })),
      screenshots: result.rows.map((row) => ({
        deviceId: row.device_id,
        seq: toNumber(row.record_seq),
        bytes: row.bytes,
        sha256: row.recorded,
        receivedAt: toIso(row.received_at),
        // The stored bytes against the hash sealed in the record, now.
        intact: row.recorded !== null && sha256(row.png) === row.recorded,
      })),
    };
  });

  app.get('/v1/devices/:id/records/:seq/screenshot', async (request, reply) => {
    await authorize(db, request, ['admin', 'auditor']);
    const { id, seq } = parse(RecordParams, request.params, 'path');
    const result = await db.query<{ png: Uint8Array; recorded: string | null }>(
      `SELECT s.png, r.payload ->> 'sha256' AS recorded
         FROM run_screenshots s JOIN audit_records r ON r.device_id = s.device_id AND r.seq = s.record_seq
        WHERE s.device_id = $1 AND s.record_seq = $2`,
      [id, seq],
    );
    const row = result.rows[0];
    if (!row) {
      const receipt = await db.query<{ received_at: unknown }>('SELECT received_at FROM run_screenshot_receipts WHERE device_id = $1 AND record_seq = $2', [id, seq]);
      const receivedAt = receipt.rows[0] ? toIso(receipt.rows[0].received_at) : undefined;
      throw notFound(
        receivedAt
          ? `the screenshot of record ${seq} of device ${id} was received ${receivedAt} and later removed from this server`
          : `no screenshot of record ${seq} of device ${id} on this server: it has not been received`,
      );
    }
    const png = Buffer.from(row.png);
    const stored = sha256(png);
    if (stored !== row.recorded) {
      throw new HttpError(409, { error: 'screenshot_altered', message: `the stored screenshot of record ${seq} of device ${id} has SHA-256 ${stored}, but the record sealed in the chain names ${row.recorded ?? 'no hash'}: it was changed after it was received and is not shown`, sha256: stored, recorded: row.recorded });
    }
    return reply
      .type('image/png')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('x-screenshot-sha256', stored)
      .send(png);
  });
}
