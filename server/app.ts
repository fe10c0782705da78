// The audit server's HTTP API (docs/audit-protocol.md, "Server API (v1)"). Every route states
// who may call it; every body and query string is validated; errors are JSON { error, message }.
import { createPublicKey } from 'node:crypto';
import { Readable } from 'node:stream';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { ulid } from 'ulid';
import { z } from 'zod';
import { canonicalJson, GENESIS_HASH, publicKeySha256, recordsDigest as recordsDigestOf, type Receipt } from '../audit/index.js';
import { authorize, authorizeDevice, bearer, createUserToken, hashToken, installConfiguredAdminToken, newToken, principalOf } from './auth.js';
import type { SqlClient } from './db.js';
import { toNumber } from './db.js';
import { forbidden, HttpError, notFound, parse, storableText, unauthorized } from './http.js';
import { DeviceLanes, type LaneTicket } from './device-lanes.js';
import { ingestBody, type IssueReceipt } from './ingest.js';
import { Metrics, type MetricsOptions } from './metrics.js';
import { registerConsole } from './console/index.js';
import { migrate } from './migrations/index.js';
import { CSV_COLUMNS, csvLine, ExportQuery, exportRecords, listDevices, listRuns, runRecords, RunsQuery } from './queries.js';
import { registerRetentionRoutes } from './retention.js';
import { registerRevocationRoutes, withRevocations } from './revocation.js';
import { appendLogEntry, sealLogRow } from './server-log.js';
import { ServerKey } from './server-key.js';
import { LogHead } from './log-head.js';
import { registerProofRoutes } from './proofs.js';
import { verifyDevice } from './verify.js';
import { registerUpdateRoutes } from './updates.js';
import { registerQueueRoutes } from './queues/routes.js';
import { registerScreenshotReadRoutes, registerScreenshotRoutes } from './screenshots.js';
import { VerifyPool } from './verify-pool.js';

export interface ServerOptions {
  db: SqlClient;
  /** An admin token to accept (stored by hash; replaces a previously configured one). */
  adminToken?: string;
  logger?: FastifyServerOptions['logger'];
  /** Requests per token (or per IP without a token) per window; false turns the limit off. */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  bodyLimitBytes?: number;
  /** Days records are kept (POST /v1/retention/apply); default ≈ 7 years. */
  retentionDays?: number;
  metrics?: MetricsOptions;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  https?: { cert: string | Buffer; key: string | Buffer };
  /** Folder served as the desktop app's update feed at GET /updates/:file; unset: that route answers 404. */
  updatesDir?: string;
  /**
   * Worker threads that parse and check ingested batches on PostgreSQL (0: on the server thread).
   * Default 1: on 2 cores one worker beside the server thread and PostgreSQL measured best
   * (bench/audit). PGlite always checks on the server thread.
   */
  verifyThreads?: number;
  /** A verification pool to use instead of making one (the caller closes it). */
  verifyPool?: VerifyPool;
  /**
   * The server's own Ed25519 key (server-key.ts), which signs its log: receipts, enrollments,
   * retention anchors, revocations. main.ts loads it from AUDIT_SERVER_KEY_FILE. Absent: a key
   * for this process only (tests, benchmarks), so a restarted server could no longer prove its log.
   */
  serverKey?: ServerKey;
  /** Where the newest entry of the server's log is remembered outside the database (log-head.ts); absent: in memory only. */
  logHeadFile?: string;
  /**
   * Tests only (AUDIT_TEST_QUEUE_BEFORE_BRIEF=1): the queue's lease and complete routes take the
   * bodies of their first version, which refuse an `answer` field, as a server from before brief
   * answers does — so that the robots' fallback to whole items is tested against a real process.
   */
  queueBeforeBriefAnswers?: boolean;
}

const EnrollmentTokenBody = z.strictObject({ ttlMinutes: z.number().int().min(1).max(60 * 24 * 30).default(60) });
const TokenBody = z.strictObject({ role: z.enum(['admin', 'auditor']), label: storableText(0, 200).optional() });
const DeviceBody = z.strictObject({
  enrollmentToken: z.string().min(1).max(200),
  name: storableText(1, 200).transform((name) => name.trim()).pipe(z.string().min(1, 'expected a name that is not only spaces')),
  publicKey: z.string().min(1).max(4000),
  /** The id the device already stamps on its records; generated when absent. */
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1-64 letters, digits or _ . : -')
    .optional(),
});
const DeviceParams = z.strictObject({ id: storableText(1, 64) });
const RunParams = z.strictObject({ runId: storableText(1, 64) });
const NoQuery = z.strictObject({});

function ed25519Spki(pem: string): string {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === 'ed25519') return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    // reported below
  }
  throw new HttpError(400, { error: 'invalid_request', message: 'publicKey must be an Ed25519 public key in PEM (SPKI)' });
}

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { db } = options;
  await migrate(db);
  if (options.adminToken) await installConfiguredAdminToken(db, options.adminToken);
  const metrics = new Metrics(options.metrics);
  const lanes = new DeviceLanes();
  const verifyThreads = options.verifyThreads ?? 1;
  const ownPool = db.kind === 'postgres' && verifyThreads > 0 && !options.verifyPool ? new VerifyPool(verifyThreads) : undefined;
  const pool = db.kind === 'postgres' ? (options.verifyPool ?? ownPool) : undefined;
  const serverKey = options.serverKey ?? ServerKey.generate();
  const logHead = new LogHead(options.logHeadFile);
  const issueReceipt: IssueReceipt = (head, batch) => {
    const entry = { kind: 'batch', deviceId: batch.deviceId, firstSeq: batch.firstSeq, lastSeq: batch.lastSeq, placedFromSeq: batch.placedFromSeq, lastHash: batch.lastHash, recordsDigest: recordsDigestOf(batch.recordHashes) } as const;
    const { sealed, values } = sealLogRow(head, serverKey, entry, batch.recordHashes);
    return { receipt: sealed as Receipt, values };
  };
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimitBytes ?? 5 * 1024 * 1024, ...(options.https ? { https: options.https } : {}) }) as FastifyInstance;

  app.setErrorHandler((error: unknown, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.status).send(error.body);
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    // Last line of defence: PostgreSQL refused a value of the request (SQLSTATE class 22, data
    // exception: a NUL, a date out of range…). The schemas should have said so first (the fuzz
    // test fails on this answer); this keeps a client's bad input from looking like our outage.
    const sqlState = (error as { code?: unknown }).code;
    if (status === 500 && typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
      request.log.warn({ err: error }, 'a request value reached PostgreSQL unchecked');
      return reply.code(400).send({ error: 'invalid_value', message: `a value in the request cannot be stored or compared: ${(error as Error).message}` });
    }
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ error: 'internal', message: 'internal server error' });
    }
    const code = (error as { code?: unknown }).code;
    return reply.code(status).send({ error: typeof code === 'string' ? code.toLowerCase() : 'bad_request', message: (error as Error).message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url}` }));
  app.addHook('onResponse', (_request, reply, done) => {
    metrics.inc('audit_http_requests_total', { code: `${Math.floor(reply.statusCode / 100)}xx` });
    done();
  });

  if (options.rateLimit !== false) {
    await app.register(rateLimit, {
      max: options.rateLimit?.max ?? 3000,
      timeWindow: options.rateLimit?.timeWindowMs ?? 60_000,
      // Per token (hashed, never kept in clear), else per client address.
      keyGenerator: (request) => {
        const token = bearer(request);
        return token ? `t:${hashToken(token)}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) =>
        new HttpError(429, { error: 'rate_limited', message: `rate limit of ${context.max} requests per ${context.after} exceeded`, retryAfterMs: context.ttl }),
    });
  }

  app.get('/health', async (_request, reply) => {
    try {
      await db.query('SELECT 1');
      return { ok: true };
    } catch {
      return reply.code(503).send({ ok: false });
    }
  });

  app.get('/metrics', async (request, reply) => {
    const token = bearer(request);
    if (token) {
      const principal = await principalOf(db, token);
      if (principal?.role !== 'admin') throw principal ? forbidden('metrics need the admin token') : unauthorized();
    } else if (!isLoopback(request.ip)) {
      throw unauthorized('metrics need the admin token or a loopback client');
    }
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.render(db));
  });

  app.post('/v1/enrollment-tokens', async (request, reply) => {
    await authorize(db, request, ['admin']);
    const body = parse(EnrollmentTokenBody, request.body ?? {}, 'body');
    const token = newToken('enr');
    const expiresAt = new Date(Date.now() + body.ttlMinutes * 60_000).toISOString();
    await db.query('INSERT INTO enrollment_tokens (hash, expires_at) VALUES ($1, $2)', [hashToken(token), expiresAt]);
    return reply.code(201).send({ enrollmentToken: token, expiresAt });
  });

  // Not in the protocol table: how auditor (and further admin) tokens come to exist.
  app.post('/v1/tokens', async (request, reply) => {
    await authorize(db, request, ['admin']);
    const body = parse(TokenBody, request.body, 'body');
    return reply.code(201).send({ token: await createUserToken(db, body.role, body.label ?? null), role: body.role });
  });

  app.post('/v1/devices', async (request, reply) => {
    const body = parse(DeviceBody, request.body, 'body');
    const publicKey = ed25519Spki(body.publicKey);
    const deviceId = body.deviceId ?? `dev_${ulid()}`;
    const deviceToken = newToken('dev');
    const revokedKey = await db.query<{ id: string }>('SELECT id FROM devices WHERE public_key = $1 AND revoked_at IS NOT NULL LIMIT 1', [publicKey]);
    if (revokedKey.rows[0]) throw new HttpError(403, { error: 'key_revoked', message: `this public key belongs to revoked device ${revokedKey.rows[0].id}; a revoked key is never enrolled again: generate a new key pair` });
    const enrolled = await db.transaction(async (tx) => {
      const used = await tx.query(
        'UPDATE enrollment_tokens SET used_at = now(), device_id = $2 WHERE hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING hash',
        [hashToken(body.enrollmentToken), deviceId],
      );
      if (used.rows.length === 0) throw new HttpError(401, { error: 'invalid_enrollment_token', message: 'the enrollment token is unknown, expired or already used' });
      const inserted = await tx.query(
        'INSERT INTO devices (id, name, public_key, token_hash, ack_hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id',
        [deviceId, body.name, publicKey, hashToken(deviceToken), GENESIS_HASH],
      );
      if (inserted.rows.length === 0) throw new HttpError(409, { error: 'device_exists', message: `device ${deviceId} is already enrolled` });
      return appendLogEntry(tx, serverKey, { kind: 'enroll', deviceId, publicKeySha256: publicKeySha256(publicKey) });
    });
    logHead.note(enrolled);
    return reply.code(201).send({ deviceId, deviceToken, serverPublicKey: serverKey.publicKeyPem });
  });

  app.get('/v1/devices/:id/ack', async (request) => {
    const principal = await authorize(db, request, ['device']);
    const { id } = parse(DeviceParams, request.params, 'path');
    if (principal.role !== 'device' || principal.deviceId !== id) throw forbidden('a device may read only its own ack');
    const result = await db.query<{ ack_seq: unknown; ack_hash: string }>('SELECT ack_seq, ack_hash FROM devices WHERE id = $1', [id]);
    const row = result.rows[0];
    if (!row) throw notFound(`no device ${id}`);
    return { seq: toNumber(row.ack_seq), hash: row.ack_hash };
  });

  // A batch joins its device's lane as soon as its headers are in, keyed by the device's token:
  // while its body is still arriving or it is being authorised it already counts as on its way
  // (see DeviceLanes). However the request ends, its ticket is left (leave() is idempotent).
  const laneTickets = new WeakMap<FastifyRequest, LaneTicket>();
  const joinLane = (request: FastifyRequest): LaneTicket => {
    const token = bearer(request);
    const ticket = lanes.arrive(token ? hashToken(token) : '');
    laneTickets.set(request, ticket);
    return ticket;
  };
  const leaveLane = (request: FastifyRequest): void => laneTickets.get(request)?.leave();
  const ingestHooks = {
    onRequest(request: FastifyRequest, _reply: unknown, done: () => void) {
      joinLane(request);
      done();
    },
    onResponse(request: FastifyRequest, _reply: unknown, done: () => void) {
      leaveLane(request);
      done();
    },
    onRequestAbort(request: FastifyRequest, done: () => void) {
      leaveLane(request);
      done();
    },
  };
  // The batch body arrives as bytes: it is parsed where it is checked (verify-pool.ts), with the
  // same refusals as Fastify's JSON parser (batch-prepare.ts parseJsonBody).
  await app.register((scope, _options, registered) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post('/v1/ingest', ingestHooks, async (request) => {
      const lane = laneTickets.get(request) ?? joinLane(request);
      try {
        const device = await authorizeDevice(db, request);
        const started = process.hrtime.bigint();
        try {
          // The body's bytes are handed over (to a verification worker, when there is one), not kept here.
          const body = request.body;
          request.body = undefined;
          if (!Buffer.isBuffer(body)) throw new HttpError(415, { error: 'unsupported_media_type', message: 'send the batch as JSON with content-type application/json' });
          const result = await ingestBody(db, device, body, lane, pool, issueReceipt);
          if (result.receipt) logHead.note(result.receipt);
          metrics.inc('audit_ingest_batches_total', { result: result.accepted > 0 ? 'accepted' : 'duplicate' });
          metrics.inc('audit_ingest_records_total', { outcome: 'accepted' }, result.accepted);
          metrics.inc('audit_ingest_records_total', { outcome: 'duplicate' }, result.duplicates);
          metrics.inc('audit_ingest_seconds_total', {}, Number(process.hrtime.bigint() - started) / 1e9);
          return result;
        } catch (error) {
          const kind = error instanceof HttpError ? error.body.error : 'error';
          const result = ['gap', 'conflict', 'bad_signature'].includes(kind) ? kind : error instanceof HttpError && error.status === 400 ? 'invalid' : 'rejected';
          metrics.inc('audit_ingest_batches_total', { result });
          throw error;
        }
      } finally {
        lane.leave();
      }
    });
    registered();
  });
  if (ownPool) app.addHook('onClose', async () => ownPool.close());
  app.addHook('onClose', (_instance, done) => {
    logHead.flush();
    done();
  });

  app.get('/v1/runs', async (request) => {
    await authorize(db, request, ['admin', 'auditor']);
    return listRuns(db, parse(RunsQuery, request.query, 'query'));
  });

  app.get('/v1/runs/:runId/records', async (request) => {
    await authorize(db, request, ['admin', 'auditor']);
    const { runId } = parse(RunParams, request.params, 'path');
    const records = await runRecords(db, runId);
    if (records.length === 0) throw notFound(`no records for run ${runId}`);
    return { runId, records };
  });

  app.get('/v1/devices', async (request) => {
    await authorize(db, request, ['admin', 'auditor']);
    parse(NoQuery, request.query, 'query');
    return { devices: await withRevocations(db, await listDevices(db)) };
  });

  app.get('/v1/devices/:id/verify', async (request) => {
    await authorize(db, request, ['admin', 'auditor']);
    const { id } = parse(DeviceParams, request.params, 'path');
    const verdict = await verifyDevice(db, serverKey, id, logHead);
    if (!verdict) throw notFound(`no device ${id}`);
    return { deviceId: id, ...verdict };
  });

  app.get('/v1/export', async (request, reply) => {
    await authorize(db, request, ['admin', 'auditor']);
    const query = parse(ExportQuery, request.query, 'query');
    const records = exportRecords(db, query);
    async function* lines(): AsyncGenerator<string> {
      if (query.format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
      for await (const record of records) yield query.format === 'csv' ? csvLine(record) : `${canonicalJson(record)}\n`;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return reply
      .type(query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${stamp}.${query.format}"`)
      .send(Readable.from(lines()));
  });

  registerRetentionRoutes(app, db, serverKey, options.retentionDays);
  registerRevocationRoutes(app, db, serverKey, logHead);
  registerProofRoutes(app, db, serverKey);
  registerUpdateRoutes(app, db, options.updatesDir);
  registerQueueRoutes(app, db, { beforeBriefAnswers: options.queueBeforeBriefAnswers === true });
  await registerScreenshotRoutes(app, db);
  registerScreenshotReadRoutes(app, db);
  await registerConsole(app);
  return app;
}
