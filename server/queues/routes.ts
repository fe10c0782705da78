// Central work queues over HTTP (docs/work-queues.md). Who may call what:
//   admin    creates queues and device groups, grants queues to devices or groups, adds items,
//            retries failed ones, reads everything;
//   auditor  reads queues, groups, items, their histories and a queue's recent activity;
//   device   (its enrolled token) adds to, leases from and settles items of the queues it was
//            granted, itself or through one of its groups (the queue_access view).
// The robot side is engine/queue/remote-work-queue.ts, which gives these routes the WorkQueue interface.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bearer, hashToken, revokedError, type Principal } from '../auth.js';
import type { Queryable, SqlClient } from '../db.js';
import { toNumber } from '../db.js';
import { forbidden, HttpError, notFound, parse, storableText, unauthorized } from '../http.js';
import {
  ACTIVITY_SQL,
  attemptsOf,
  completeItems,
  eventJson,
  extendLease,
  failItem,
  itemJson,
  settleAndLease,
  releaseItem,
  retryItem,
  sweepQueue,
  whyNotHeld,
  type EventRow,
  type ItemRow,
} from './queue-sql.js';

/** An item's output, like its payload, is a reference and a few facts, not a document. */
const MAX_OUTPUT_BYTES = 64 * 1024;
const ITEM_STATES = ['new', 'in_progress', 'done', 'failed', 'retrying', 'dead'] as const;
const QueueName = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'expected 1-100 letters, digits or _ . : -');
const QueueParams = z.strictObject({ queue: QueueName });
const ItemParams = z.strictObject({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
const GrantParams = z.strictObject({ queue: QueueName, deviceId: storableText(1, 64) });
const LeaseToken = z.uuid('expected the leaseToken the lease answered with');
const ErrorBody = z.strictObject({ name: storableText(1, 200), message: storableText(0, 4000) });

const CreateQueueBody = z.strictObject({
  name: QueueName,
  maxRetries: z.number().int().min(0).max(100).optional(),
  maxPayloadBytes: z.number().int().min(1).max(1024 * 1024).optional(),
  backoffBaseMs: z.number().int().min(0).max(3_600_000).optional(),
  backoffCapMs: z.number().int().min(0).max(7 * 86_400_000).optional(),
});
const GroupName = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'expected 1-100 letters, digits or _ . : -');
const GrantBody = z.union([z.strictObject({ deviceId: storableText(1, 64) }), z.strictObject({ group: GroupName })], { error: 'expected { "deviceId": … } or { "group": … }' });
const GroupGrantParams = z.strictObject({ queue: QueueName, group: GroupName });
const CreateGroupBody = z.strictObject({ name: GroupName });
const GroupParams = z.strictObject({ group: GroupName });
const MemberBody = z.strictObject({ deviceId: storableText(1, 64) });
const MemberParams = z.strictObject({ group: GroupName, deviceId: storableText(1, 64) });
const ActivityQuery = z.strictObject({ minutes: z.coerce.number().int().min(1).max(24 * 60).default(60) });
const AddBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        payload: z.unknown(),
        idempotencyKey: storableText(1, 200).optional(),
        maxRetries: z.number().int().min(0).max(100).optional(),
        priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
        /** Unix ms: an item not worked by then is dead (DeadlineExceededError). A business time, chosen by whoever adds. */
        deadline: z.number().int().min(0).max(8.64e15).optional(),
      }),
    )
    .min(1)
    .max(5000),
});
const Completions = z.array(z.strictObject({ id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), leaseToken: LeaseToken, output: z.unknown().optional() }));
/**
 * How much of each item the lease and complete routes answer with (queue-sql.ts LeaseAnswerForm):
 * items (the default, the routes' first version) or brief (what a robot works with). A robot
 * client asks for brief; an older client, which does not send it, gets the items as before.
 */
const AnswerForm = z.enum(['items', 'brief'], { error: 'expected "items" (whole items, the default) or "brief" (ids, payloads and leases)' });
const LeaseBody = z.strictObject({
  worker: storableText(1, 200),
  leaseMs: z.number().int().min(100).max(86_400_000),
  max: z.number().int().min(1).max(1000).default(1),
  /** Items of an earlier lease to complete first, in the same statement (the combined call). */
  completions: Completions.max(1000).optional(),
  answer: AnswerForm.default('items'),
});
const CompleteBody = z.strictObject({
  completions: Completions.min(1).max(1000),
  answer: AnswerForm.default('items'),
});
const FailBody = z.strictObject({ leaseToken: LeaseToken, kind: z.enum(['business', 'application']), error: ErrorBody });
const ReleaseBody = z.strictObject({ leaseToken: LeaseToken, reason: ErrorBody });
const HeartbeatBody = z.strictObject({ leaseToken: LeaseToken, leaseMs: z.number().int().min(100).max(86_400_000) });
const ListQuery = z.strictObject({
  queue: QueueName.optional(),
  state: z.enum(ITEM_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const NoQuery = z.strictObject({});

interface Caller {
  principal: Principal;
  /** How events name the caller: device:ID, admin, auditor. */
  actor: string;
  /** For a queue route: whether the queue exists, its payload limit, and whether a device caller is granted it. */
  queue?: { exists: boolean; granted: boolean; maxPayloadBytes: number };
}

/**
 * The caller and, for a queue route, the queue as the caller may see it — in one round trip
 * (the lease and complete routes are the fleet's hot path). 401 without a known token; 403 for
 * a revoked device or a role not allowed; 404 for a queue that does not exist; 403 for a device
 * not granted the queue.
 */
async function caller(db: Queryable, request: FastifyRequest, allowed: readonly Principal['role'][], queue?: string): Promise<Caller> {
  const token = bearer(request);
  if (!token) throw unauthorized();
  const rows = (
    await db.query<{ role: Principal['role']; device_id: string | null; revoked_at: unknown; revoked_by: string | null; revoked_reason: string | null; queue_exists: boolean; granted: boolean; max_payload_bytes: number | null }>(
      `SELECT 'device' AS role, d.id AS device_id, d.revoked_at, d.revoked_by, d.revoked_reason,
              q.name IS NOT NULL AS queue_exists, EXISTS (SELECT 1 FROM queue_access g WHERE g.queue = $2 AND g.device_id = d.id) AS granted, q.max_payload_bytes
       FROM devices d LEFT JOIN queues q ON q.name = $2
       WHERE d.token_hash = $1
       UNION ALL
       SELECT t.role, NULL, NULL, NULL, NULL, q.name IS NOT NULL, false, q.max_payload_bytes
       FROM tokens t LEFT JOIN queues q ON q.name = $2 WHERE t.hash = $1`,
      [hashToken(token), queue ?? null],
      'queue_caller',
    )
  ).rows;
  const row = rows[0];
  if (!row) throw unauthorized();
  let principal: Principal;
  if (row.role === 'device') {
    const deviceId = row.device_id!;
    if (row.revoked_at !== null && row.revoked_at !== undefined) {
      throw revokedError(deviceId, { at: new Date(row.revoked_at as string).toISOString(), by: row.revoked_by, reason: row.revoked_reason });
    }
    principal = { role: 'device', deviceId };
  } else {
    principal = { role: row.role };
  }
  if (!allowed.includes(principal.role)) throw forbidden(`a ${principal.role} token may not ${request.method} ${request.routeOptions.url ?? request.url}`);
  const actor = principal.role === 'device' ? `device:${principal.deviceId}` : principal.role;
  if (queue === undefined) return { principal, actor };
  if (!row.queue_exists) throw notFound(`no queue ${queue} (an admin creates it with POST /v1/queues)`);
  if (principal.role === 'device' && !row.granted) {
    throw forbidden(`device ${principal.deviceId} is not granted queue ${queue}: an admin grants it with POST /v1/queues/${queue}/grants`);
  }
  return { principal, actor, queue: { exists: true, granted: row.granted, maxPayloadBytes: row.max_payload_bytes ?? 0 } };
}

const deviceOf = (who: Caller): string => (who.principal.role === 'device' ? who.principal.deviceId : '');

const leaseLost = (message: string) => new HttpError(409, { error: 'lease_lost', message });

async function leaseLostOrMissing(db: Queryable, id: number, deviceId: string): Promise<HttpError> {
  const why = await whyNotHeld(db, id, deviceId);
  return why === undefined ? notFound(`queue item ${id} does not exist`) : leaseLost(why);
}

/** The item, if the caller may read it: admins and auditors any; a device only of a queue it is granted. */
async function readableItem(db: Queryable, who: Caller, id: number): Promise<ItemRow> {
  const row = (await db.query<ItemRow>('SELECT * FROM queue_items WHERE id = $1', [id])).rows[0];
  // A device learns nothing about items of queues it is not granted: the same 404 as for no item.
  if (!row) throw notFound(`queue item ${id} does not exist`);
  if (who.principal.role === 'device') {
    const granted = await db.query('SELECT 1 FROM queue_access WHERE queue = $1 AND device_id = $2', [row.queue, who.principal.deviceId]);
    if (granted.rows.length === 0) throw notFound(`queue item ${id} does not exist`);
  }
  return row;
}

function jsonText(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new HttpError(400, { error: 'invalid_request', message: `${what} must be JSON` });
  return text;
}

/**
 * Leases that ran out are swept before a lease, but not before every one: at most every
 * SWEEP_EVERY_MS per queue and process (a fleet leases many times a second; an expired item then
 * waits at most that much longer). Each server process keeps its own clock of this, which is
 * only an optimisation: the sweep itself is safe from any number of processes at once.
 */
const SWEEP_EVERY_MS = 250;

class Sweeps {
  private readonly last = new Map<string, number>();
  constructor(private readonly db: Queryable) {}

  async sweepIfDue(queue: string): Promise<void> {
    const now = performance.now();
    if (now - (this.last.get(queue) ?? -Infinity) < SWEEP_EVERY_MS) return;
    this.last.set(queue, now);
    if (this.last.size > 10_000) this.last.clear();
    await sweepQueue(this.db, queue);
  }
}

/** 404 for no such device, 409 for a revoked one. */
async function activeDevice(db: Queryable, deviceId: string, what: string): Promise<void> {
  const device = (await db.query<{ revoked_at: unknown }>('SELECT revoked_at FROM devices WHERE id = $1', [deviceId])).rows[0];
  if (!device) throw notFound(`no device ${deviceId} (enroll it first)`);
  if (device.revoked_at !== null) throw new HttpError(409, { error: 'device_revoked', message: `device ${deviceId} is revoked: it cannot be ${what}` });
}

/** When a device works a queue through groups only, the 404 of removing its own grant says so. */
async function groupsNote(db: Queryable, queue: string, deviceId: string): Promise<string> {
  const groups = (await db.query<{ via_group: string }>('SELECT via_group FROM queue_access WHERE queue = $1 AND device_id = $2 AND via_group IS NOT NULL ORDER BY via_group', [queue, deviceId])).rows;
  return groups.length === 0 ? '' : ` (it works the queue through device group ${groups.map((g) => g.via_group).join(', ')}: remove it from the group, or the group's grant)`;
}

async function groupSummary(db: Queryable, name: string): Promise<Record<string, unknown>> {
  const devices = (await db.query<{ device_id: string }>('SELECT device_id FROM device_group_members WHERE group_name = $1 ORDER BY device_id', [name])).rows.map((row) => row.device_id);
  const queues = (await db.query<{ queue: string }>('SELECT queue FROM queue_group_grants WHERE group_name = $1 ORDER BY queue', [name])).rows.map((row) => row.queue);
  return { name, devices, queues };
}

/** Checked completions: no item twice, no output past MAX_OUTPUT_BYTES (413, nothing completed). */
function completionEntries(completions: ReadonlyArray<{ id: number; leaseToken: string; output?: unknown }>): Array<{ id: number; leaseToken: string; output: string | null }> {
  if (new Set(completions.map((c) => c.id)).size !== completions.length) {
    throw new HttpError(400, { error: 'invalid_request', message: 'invalid body: completions name the same item twice' });
  }
  return completions.map((c, index) => {
    const output = c.output === undefined ? null : jsonText(c.output, `output of item ${c.id}`);
    if (output !== null && Buffer.byteLength(output, 'utf8') > MAX_OUTPUT_BYTES) {
      throw new HttpError(413, {
        error: 'output_too_large',
        message: `completions[${index}].output (item ${c.id}) is ${Buffer.byteLength(output, 'utf8')} bytes; an item's output takes at most ${MAX_OUTPUT_BYTES}: keep what the run produced where it belongs (a file, the run store) and put its reference in the output. Nothing was completed.`,
      });
    }
    return { id: c.id, leaseToken: c.leaseToken, output };
  });
}

/** The settled entry of a completion that did not hold: why, in the words of the local queue. */
async function notSettled(db: Queryable, id: number, deviceId: string): Promise<{ id: number; ok: false; error: { name: string; message: string } }> {
  const why = await whyNotHeld(db, id, deviceId);
  return { id, ok: false, error: why === undefined ? { name: 'QueueItemNotFoundError', message: `queue item ${id} does not exist` } : { name: 'LeaseLostError', message: why } };
}

export function registerQueueRoutes(app: FastifyInstance, db: SqlClient, options: { beforeBriefAnswers?: boolean } = {}): void {
  const sweeps = new Sweeps(db);
  // A server from before brief answers (tests only): strict bodies without the field refuse it.
  const leaseBody: z.ZodType<z.infer<typeof LeaseBody>> = options.beforeBriefAnswers ? LeaseBody.omit({ answer: true }).transform((body) => ({ ...body, answer: 'items' as const })) : LeaseBody;
  const completeBody: z.ZodType<z.infer<typeof CompleteBody>> = options.beforeBriefAnswers ? CompleteBody.omit({ answer: true }).transform((body) => ({ ...body, answer: 'items' as const })) : CompleteBody;
  app.post('/v1/queues', async (request, reply) => {
    const who = await caller(db, request, ['admin']);
    const body = parse(CreateQueueBody, request.body, 'body');
    const created = await db.query<{ name: string }>(
      `INSERT INTO queues (name, max_retries, max_payload_bytes, backoff_base_ms, backoff_cap_ms, created_by)
       VALUES ($1, COALESCE($2, 3), COALESCE($3, 16384), COALESCE($4, 1000), COALESCE($5, 300000), $6)
       ON CONFLICT (name) DO NOTHING RETURNING name`,
      [body.name, body.maxRetries ?? null, body.maxPayloadBytes ?? null, body.backoffBaseMs ?? null, body.backoffCapMs ?? null, who.actor],
    );
    if (created.rows.length === 0) throw new HttpError(409, { error: 'queue_exists', message: `queue ${body.name} already exists` });
    return reply.code(201).send(await queueSummary(db, body.name));
  });

  app.get('/v1/queues', async (request) => {
    const who = await caller(db, request, ['admin', 'auditor', 'device']);
    parse(NoQuery, request.query, 'query');
    const names = (
      who.principal.role === 'device'
        ? await db.query<{ name: string }>('SELECT DISTINCT queue AS name FROM queue_access WHERE device_id = $1 ORDER BY queue', [who.principal.deviceId])
        : await db.query<{ name: string }>('SELECT name FROM queues ORDER BY name')
    ).rows;
    return { queues: await Promise.all(names.map((row) => queueSummary(db, row.name))) };
  });

  app.get('/v1/queues/:queue', async (request) => {
    const { queue } = parse(QueueParams, request.params, 'path');
    await caller(db, request, ['admin', 'auditor', 'device'], queue);
    return queueSummary(db, queue);
  });

  /** A device, or a device group (every device in it, now and later), may add to and work the queue. */
  app.post('/v1/queues/:queue/grants', async (request, reply) => {
    const { queue } = parse(QueueParams, request.params, 'path');
    const who = await caller(db, request, ['admin'], queue);
    const body = parse(GrantBody, request.body, 'body');
    if ('group' in body) {
      const granted = await db.query(
        `INSERT INTO queue_group_grants (queue, group_name, granted_by) SELECT $1, name, $3 FROM device_groups WHERE name = $2
         ON CONFLICT DO NOTHING RETURNING group_name`,
        [queue, body.group, who.actor],
      );
      if (granted.rows.length === 0 && (await db.query('SELECT 1 FROM device_groups WHERE name = $1', [body.group])).rows.length === 0) {
        throw notFound(`no device group ${body.group} (an admin creates it with POST /v1/device-groups)`);
      }
      return reply.code(201).send({ queue, group: body.group });
    }
    const { deviceId } = body;
    await activeDevice(db, deviceId, 'granted a queue');
    await db.query('INSERT INTO queue_grants (queue, device_id, granted_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [queue, deviceId, who.actor]);
    return reply.code(201).send({ queue, deviceId });
  });

  app.delete('/v1/queues/:queue/grants/:deviceId', async (request) => {
    const { queue, deviceId } = parse(GrantParams, request.params, 'path');
    await caller(db, request, ['admin'], queue);
    const removed = await db.query('DELETE FROM queue_grants WHERE queue = $1 AND device_id = $2 RETURNING device_id', [queue, deviceId]);
    if (removed.rows.length === 0) throw notFound(`device ${deviceId} is not granted queue ${queue} itself${await groupsNote(db, queue, deviceId)}`);
    return { queue, deviceId, revoked: true };
  });

  app.delete('/v1/queues/:queue/group-grants/:group', async (request) => {
    const { queue, group } = parse(GroupGrantParams, request.params, 'path');
    await caller(db, request, ['admin'], queue);
    const removed = await db.query('DELETE FROM queue_group_grants WHERE queue = $1 AND group_name = $2 RETURNING group_name', [queue, group]);
    if (removed.rows.length === 0) throw notFound(`device group ${group} is not granted queue ${queue}`);
    return { queue, group, revoked: true };
  });

  app.post('/v1/device-groups', async (request, reply) => {
    const who = await caller(db, request, ['admin']);
    const { name } = parse(CreateGroupBody, request.body, 'body');
    const created = await db.query('INSERT INTO device_groups (name, created_by) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name', [name, who.actor]);
    if (created.rows.length === 0) throw new HttpError(409, { error: 'group_exists', message: `device group ${name} already exists` });
    return reply.code(201).send(await groupSummary(db, name));
  });

  app.get('/v1/device-groups', async (request) => {
    await caller(db, request, ['admin', 'auditor']);
    parse(NoQuery, request.query, 'query');
    const names = (await db.query<{ name: string }>('SELECT name FROM device_groups ORDER BY name')).rows;
    return { groups: await Promise.all(names.map((row) => groupSummary(db, row.name))) };
  });

  app.post('/v1/device-groups/:group/members', async (request, reply) => {
    const { group } = parse(GroupParams, request.params, 'path');
    const who = await caller(db, request, ['admin']);
    const { deviceId } = parse(MemberBody, request.body, 'body');
    if ((await db.query('SELECT 1 FROM device_groups WHERE name = $1', [group])).rows.length === 0) throw notFound(`no device group ${group} (an admin creates it with POST /v1/device-groups)`);
    await activeDevice(db, deviceId, 'added to a group');
    await db.query('INSERT INTO device_group_members (group_name, device_id, added_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [group, deviceId, who.actor]);
    return reply.code(201).send(await groupSummary(db, group));
  });

  app.delete('/v1/device-groups/:group/members/:deviceId', async (request) => {
    const { group, deviceId } = parse(MemberParams, request.params, 'path');
    await caller(db, request, ['admin']);
    const removed = await db.query('DELETE FROM device_group_members WHERE group_name = $1 AND device_id = $2 RETURNING device_id', [group, deviceId]);
    if (removed.rows.length === 0) throw notFound(`device ${deviceId} is not in device group ${group}`);
    return groupSummary(db, group);
  });

  /**
   * What the queue did in the last `minutes` (default 60), from its items' events: per minute,
   * items done, failed (business), retried (application errors), abandoned (leases that ran out)
   * and dead. For the console; it reads the events table, not the hot path.
   */
  app.get('/v1/queues/:queue/activity', async (request) => {
    const { queue } = parse(QueueParams, request.params, 'path');
    await caller(db, request, ['admin', 'auditor'], queue);
    const { minutes } = parse(ActivityQuery, request.query, 'query');
    const rows = (
      await db.query<{ minute: Date | string; done: string; failed: string; retried: string; abandoned: string; dead: string }>(
        ACTIVITY_SQL,
        [queue, minutes],
      )
    ).rows;
    const perMinute = rows.map((row) => ({
      minute: row.minute instanceof Date ? row.minute.toISOString() : new Date(row.minute).toISOString(),
      done: toNumber(row.done),
      failed: toNumber(row.failed),
      retried: toNumber(row.retried),
      abandoned: toNumber(row.abandoned),
      dead: toNumber(row.dead),
    }));
    const total = (key: 'done' | 'failed' | 'retried' | 'abandoned' | 'dead') => perMinute.reduce((sum, m) => sum + m[key], 0);
    return { queue, minutes, totals: { done: total('done'), failed: total('failed'), retried: total('retried'), abandoned: total('abandoned'), dead: total('dead') }, perMinute };
  });

  app.post('/v1/queues/:queue/items', async (request, reply) => {
    const { queue } = parse(QueueParams, request.params, 'path');
    const who = await caller(db, request, ['admin', 'device'], queue);
    const { items } = parse(AddBody, request.body, 'body');
    const limit = who.queue!.maxPayloadBytes;
    const payloads = items.map((item, index) => {
      const text = jsonText(item.payload ?? {}, `items[${index}].payload`);
      const size = Buffer.byteLength(text, 'utf8');
      if (size > limit) {
        throw new HttpError(413, {
          error: 'payload_too_large',
          message: `items[${index}].payload is ${size} bytes; queue ${queue} takes at most ${limit}. An item carries references to documents (a path, a URL, a document id), not the documents themselves: store the file where the robots can read it and add its reference.`,
          index,
          bytes: size,
          limit,
        });
      }
      return text;
    });
    const added = await addItems(db, queue, who.actor, items, payloads);
    return reply.code(added.some((item) => !item['duplicate']) ? 201 : 200).send({ items: added });
  });

  /**
   * Leases up to max due items; with completions, first completes the items of an earlier lease
   * — one call per batch for a robot working item after item. One statement on the database
   * (settleAndLease), all or nothing: when the token may not work the queue, nothing is
   * completed and the answer says why (401, 403, 404) as for any queue route.
   */
  app.post('/v1/queues/:queue/lease', async (request, reply) => {
    const { queue } = parse(QueueParams, request.params, 'path');
    const token = bearer(request);
    if (!token) throw unauthorized();
    const parsed = leaseBody.safeParse(request.body);
    if (!parsed.success) {
      // Who is asking is answered first, as on every queue route: a stranger learns nothing of the body's rules.
      await caller(db, request, ['device'], queue);
      parse(leaseBody, request.body, 'body');
    }
    const body = parsed.data!;
    const entries = completionEntries(body.completions ?? []);
    await sweeps.sweepIfDue(queue);
    const run = () => settleAndLease(db, hashToken(token), queue, body.worker, body.leaseMs, body.max, entries, body.answer);
    let result = await run();
    if (!result.authorized) {
      // Throws the precise refusal (unknown token, revoked, auditor, no queue, not granted) …
      await caller(db, request, ['device'], queue);
      // … unless a grant arrived in between: then once more.
      result = await run();
      if (!result.authorized) throw forbidden(`this token may not lease from queue ${queue}`);
    }
    let settledJson = result.doneJson;
    if (result.notDone.length > 0) {
      const done = new Map((JSON.parse(result.doneJson) as Array<{ id: number }>).map((entry) => [entry.id, entry]));
      const settled = [];
      for (const { id } of entries) settled.push(done.get(id) ?? (await notSettled(db, id, result.deviceId ?? '')));
      settledJson = JSON.stringify(settled);
    }
    return reply.type('application/json; charset=utf-8').send(`{"settled":${settledJson},"items":${result.leasedJson}}`);
  });

  app.post('/v1/queue-items/complete', async (request) => {
    const who = await caller(db, request, ['device']);
    const { completions, answer } = parse(completeBody, request.body, 'body');
    const entries = completionEntries(completions);
    const done = new Map((await completeItems(db, deviceOf(who), entries)).map((row) => [toNumber(row.id), row]));
    const settled = [];
    for (const { id } of completions) {
      const row = done.get(id);
      settled.push(row ? (answer === 'brief' ? { id, ok: true } : { id, ok: true, item: itemJson(row) }) : await notSettled(db, id, deviceOf(who)));
    }
    return { settled };
  });

  app.post('/v1/queue-items/:id/fail', async (request) => {
    const who = await caller(db, request, ['device']);
    const { id } = parse(ItemParams, request.params, 'path');
    const body = parse(FailBody, request.body, 'body');
    const error = JSON.stringify({ kind: body.kind, name: body.error.name, message: body.error.message });
    const row = await failItem(db, deviceOf(who), id, body.leaseToken, body.kind, error);
    if (!row) throw await leaseLostOrMissing(db, id, deviceOf(who));
    return itemJson(row);
  });

  app.post('/v1/queue-items/:id/release', async (request) => {
    const who = await caller(db, request, ['device']);
    const { id } = parse(ItemParams, request.params, 'path');
    const body = parse(ReleaseBody, request.body, 'body');
    const why = JSON.stringify({ kind: 'application', name: body.reason.name, message: `released untried: ${body.reason.message}` });
    const row = await releaseItem(db, deviceOf(who), id, body.leaseToken, why);
    if (!row) throw await leaseLostOrMissing(db, id, deviceOf(who));
    return itemJson(row);
  });

  app.post('/v1/queue-items/:id/heartbeat', async (request) => {
    const who = await caller(db, request, ['device']);
    const { id } = parse(ItemParams, request.params, 'path');
    const body = parse(HeartbeatBody, request.body, 'body');
    const row = await extendLease(db, deviceOf(who), id, body.leaseToken, body.leaseMs);
    if (!row) throw await leaseLostOrMissing(db, id, deviceOf(who));
    return itemJson(row);
  });

  app.post('/v1/queue-items/:id/retry', async (request) => {
    const who = await caller(db, request, ['admin', 'device']);
    const { id } = parse(ItemParams, request.params, 'path');
    const item = await readableItem(db, who, id);
    const row = await retryItem(db, id, who.actor);
    if (!row) throw new HttpError(409, { error: 'invalid_state', message: `queue item ${id} is ${item.state}: only failed or dead items can be retried` });
    return itemJson(row);
  });

  app.get('/v1/queue-items/:id', async (request) => {
    const who = await caller(db, request, ['admin', 'auditor', 'device']);
    const { id } = parse(ItemParams, request.params, 'path');
    parse(NoQuery, request.query, 'query');
    const row = await readableItem(db, who, id);
    const events = (await db.query<EventRow>('SELECT ts, from_state, to_state, attempt, actor, worker, error FROM queue_item_events WHERE item_id = $1 ORDER BY id', [id])).rows;
    return { item: itemJson(row), history: events.map(eventJson), attempts: attemptsOf(events) };
  });

  app.get('/v1/queue-items', async (request) => {
    const who = await caller(db, request, ['admin', 'auditor', 'device']);
    const query = parse(ListQuery, request.query, 'query');
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (query.queue !== undefined) conditions.push(`queue = $${params.push(query.queue)}`);
    if (query.state !== undefined) conditions.push(`state = $${params.push(query.state)}`);
    if (who.principal.role === 'device') conditions.push(`queue IN (SELECT queue FROM queue_access WHERE device_id = $${params.push(who.principal.deviceId)})`);
    const rows = await db.query<ItemRow>(`SELECT * FROM queue_items ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.push(query.limit)}`, params);
    return { items: rows.rows.map(itemJson) };
  });

  /** Leases that ran out go back now rather than at the next lease (the robot's requeueExpired()). */
  app.post('/v1/queues/:queue/sweep', async (request) => {
    const { queue } = parse(QueueParams, request.params, 'path');
    await caller(db, request, ['admin', 'device'], queue);
    return { requeued: await sweepQueue(db, queue) };
  });
}

async function queueSummary(db: Queryable, name: string): Promise<Record<string, unknown>> {
  const queue = (
    await db.query<{ name: string; max_retries: number; max_payload_bytes: number; backoff_base_ms: number; backoff_cap_ms: number; created_at: Date; created_by: string }>(
      'SELECT * FROM queues WHERE name = $1',
      [name],
    )
  ).rows[0];
  if (!queue) throw notFound(`no queue ${name}`);
  const stats = Object.fromEntries(ITEM_STATES.map((state) => [state, 0])) as Record<string, number>;
  for (const row of (await db.query<{ state: string; n: string }>('SELECT state, count(*) AS n FROM queue_items WHERE queue = $1 GROUP BY state', [name])).rows) stats[row.state] = toNumber(row.n);
  const devices = (await db.query<{ device_id: string }>('SELECT device_id FROM queue_grants WHERE queue = $1 ORDER BY device_id', [name])).rows.map((row) => row.device_id);
  const groups = (await db.query<{ group_name: string }>('SELECT group_name FROM queue_group_grants WHERE queue = $1 ORDER BY group_name', [name])).rows.map((row) => row.group_name);
  return {
    name: queue.name,
    maxRetries: queue.max_retries,
    maxPayloadBytes: queue.max_payload_bytes,
    backoffBaseMs: queue.backoff_base_ms,
    backoffCapMs: queue.backoff_cap_ms,
    createdAt: queue.created_at instanceof Date ? queue.created_at.toISOString() : queue.created_at,
    createdBy: queue.created_by,
    /** Devices granted the queue themselves. */
    devices,
    /** Device groups granted the queue: every device in them works it too. */
    groups,
    stats,
  };
}

/**
 * Inserts the items in one statement; an item whose idempotency key the queue already holds (in
 * any state, done included) — or that an earlier entry of the same call carries — is not added:
 * the earlier item comes back, flagged duplicate.
 */
async function addItems(
  db: SqlClient,
  queue: string,
  actor: string,
  items: ReadonlyArray<{ idempotencyKey?: string | undefined; maxRetries?: number | undefined; priority?: number | undefined; deadline?: number | undefined }>,
  payloads: string[],
): Promise<Array<Record<string, unknown>>> {
  return db.transaction(async (tx) => {
    const inserted = (
      await tx.query<ItemRow>(
        `WITH input AS (
           SELECT * FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::float8[]) WITH ORDINALITY AS t(payload, key, priority, max_retries, deadline_ms, n)
         ), ins AS (
           INSERT INTO queue_items (queue, payload, state, priority, idempotency_key, max_retries, deadline)
           SELECT $1, input.payload, 'new', COALESCE(input.priority, 0), input.key, COALESCE(input.max_retries, q.max_retries),
                  CASE WHEN input.deadline_ms IS NULL THEN NULL ELSE to_timestamp(input.deadline_ms / 1000.0) END
           FROM input JOIN queues q ON q.name = $1 ORDER BY input.n
           ON CONFLICT (queue, idempotency_key) DO NOTHING
           RETURNING *
         ), logged AS (
           INSERT INTO queue_item_events (item_id, from_state, to_state, attempt, actor) SELECT id, NULL, 'new', 0, $7 FROM ins
         )
         SELECT * FROM ins ORDER BY id`,
        [
          queue,
          payloads,
          items.map((item) => item.idempotencyKey ?? null),
          items.map((item) => item.priority ?? null),
          items.map((item) => item.maxRetries ?? null),
          items.map((item) => item.deadline ?? null),
          actor,
        ],
        'queue_add',
      )
    ).rows;
    const byKey = new Map(inserted.filter((row) => row.idempotency_key !== null).map((row) => [row.idempotency_key!, row]));
    const keyless = inserted.filter((row) => row.idempotency_key === null);
    const missingKeys = [...new Set(items.map((item) => item.idempotencyKey).filter((key): key is string => key !== undefined && !byKey.has(key)))];
    const existing = new Map(
      missingKeys.length === 0
        ? []
        : (await tx.query<ItemRow>('SELECT * FROM queue_items WHERE queue = $1 AND idempotency_key = ANY($2::text[])', [queue, missingKeys])).rows.map((row) => [row.idempotency_key!, row]),
    );
    const claimed = new Set<string>();
    let nextKeyless = 0;
    return items.map((item) => {
      const key = item.idempotencyKey;
      if (key === undefined) return { ...itemJson(keyless[nextKeyless++]!), duplicate: false };
      const fresh = byKey.get(key);
      if (fresh && !claimed.has(key)) {
        claimed.add(key);
        return { ...itemJson(fresh), duplicate: false };
      }
      return { ...itemJson((fresh ?? existing.get(key))!), duplicate: true };
    });
  });
}
