// The tamper suite: someone with write access to the audit database (but not to the server's key
// file nor to any device's key) changes it by direct SQL, one way per case, each on a fresh
// schema; GET /v1/devices/:id/verify must say not ok and name the device and the seq where the
// tampering starts. Each case states that seq (`at`); where the best verify can do is the start of
// the batch or receipt whose proof was destroyed, the case says so (`locatedAt`) and is counted as
// located to its range, not exactly. The summary (detected / located exactly) is printed at the end.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { canonicalJson, generateDeviceKeys, sealLogEntry, sealRecord, signBatch, type AuditRecord } from '../audit/index.js';
import type { SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

interface Scene {
  db: SqlClient;
  app: FastifyInstance;
  /** The device tampered with: batches 1-8, 9-16, 17-24; runs r1…r6 of 4 records (started, 2 steps, finished). */
  a: FakeDevice;
  /** Another device, whose batch comes after a's in the server's log. */
  b: FakeDevice;
  sql: (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;
}

interface Case {
  name: string;
  /** Where the tampering starts (device a's seq). */
  at: number;
  /** Where verify can place it when it cannot do better than the range whose proof is gone. */
  locatedAt?: number;
  /** Retention deleted a's records 1-8 (anchor 8) before the tampering. */
  retention?: boolean;
  /** The tampering removes the other device's proofs too (its verdict is not ok for a reason of its own). */
  touchesOther?: boolean;
  tamper: (scene: Scene) => Promise<void>;
}

const OLD = '2015-06-01T10:00:00.000Z';

async function scene(retention: boolean): Promise<Scene & { drop: () => Promise<void> }> {
  const { db, drop } = await freshPostgres();
  const app = await testServer(db);
  const a = await new FakeDevice().enroll(app);
  const b = await new FakeDevice().enroll(app);
  const old = retention ? { ts: OLD } : {};
  const batches = [
    [...a.run('r1', 'passed', 2, old), ...a.run('r2', 'failed', 2, old)],
    [...a.run('r3', 'passed'), ...a.run('r4', 'failed')],
    [...a.run('r5', 'passed'), ...a.run('r6', 'cancelled')],
  ];
  for (const records of batches) assert.equal((await a.ingest(app, records)).status, 200);
  assert.equal((await b.ingest(app, b.run('b1', 'passed'))).status, 200);
  if (retention) {
    await db.query('UPDATE audit_records SET received_at = ts_at WHERE ts_at < $1', ['2020-01-01T00:00:00Z']);
    const applied = await call(app, 'POST', '/v1/retention/apply', ADMIN, {});
    assert.equal(applied.status, 200, applied.text);
    assert.equal((await db.query('SELECT 1 FROM audit_records WHERE device_id = $1 AND seq <= 8', [a.deviceId])).rows.length, 0);
  }
  const sql = async (text: string, params: unknown[] = []) => (await db.query<Record<string, unknown>>(text, params)).rows;
  return { db, app, a, b, sql, drop: async () => (await app.close(), await drop()) };
}

const verify = async (s: Scene, device: FakeDevice) => (await call(s.app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN)).body;

/** Re-seals a's records from `from` on with edit applied to record `from`, writes them over the stored ones and moves the ack hash: every link checks out again. */
async function rechain(s: Scene, from: number, edit: (record: AuditRecord) => Partial<AuditRecord>, options: { upTo?: number } = {}): Promise<AuditRecord[]> {
  const written = s.a.written;
  const upTo = options.upTo ?? written.length;
  let previous = from > 1 ? { seq: from - 1, hash: written[from - 2]!.hash } : undefined;
  const forged: AuditRecord[] = [];
  for (const original of written.slice(from - 1, upTo)) {
    const changed = original.seq === from ? { ...original, ...edit(original) } : original;
    const record = sealRecord({ id: changed.id, deviceId: changed.deviceId, ts: changed.ts, type: changed.type, automation: changed.automation, runId: changed.runId, user: changed.user, payload: changed.payload }, previous);
    await s.db.query('UPDATE audit_records SET payload = $3::jsonb, user_name = $4, prev_hash = $5, hash = $6 WHERE device_id = $1 AND seq = $2', [
      s.a.deviceId,
      record.seq,
      JSON.stringify(record.payload),
      record.user,
      record.prevHash,
      record.hash,
    ]);
    forged.push(record);
    previous = { seq: record.seq, hash: record.hash };
  }
  if (upTo === written.length) await s.db.query('UPDATE devices SET ack_hash = $2 WHERE id = $1', [s.a.deviceId, previous!.hash]);
  return [...written.slice(0, from - 1), ...forged];
}

const passedInstead = (record: AuditRecord) => ({ payload: { ...record.payload, status: 'passed' } });

const CASES: Case[] = [
  // --- records edited in place ---
  { name: 'edit a record payload', at: 11, tamper: (s) => s.db.query(`UPDATE audit_records SET payload = jsonb_set(payload, '{durationMs}', '1') WHERE device_id = $1 AND seq = 11`, [s.a.deviceId]).then(() => undefined) },
  { name: 'edit a record type', at: 14, tamper: (s) => s.db.query(`UPDATE audit_records SET type = 'log' WHERE device_id = $1 AND seq = 14`, [s.a.deviceId]).then(() => undefined) },
  { name: 'edit the user a record names', at: 3, tamper: (s) => s.db.query(`UPDATE audit_records SET user_name = 'mallory' WHERE device_id = $1 AND seq = 3`, [s.a.deviceId]).then(() => undefined) },
  { name: 'edit a record time (ts)', at: 19, tamper: (s) => s.db.query(`UPDATE audit_records SET ts = '2020-01-01T00:00:00.000Z' WHERE device_id = $1 AND seq = 19`, [s.a.deviceId]).then(() => undefined) },
  { name: 'edit the automation version a record names', at: 6, tamper: (s) => s.db.query(`UPDATE audit_records SET automation_version = '9.9.9' WHERE device_id = $1 AND seq = 6`, [s.a.deviceId]).then(() => undefined) },
  { name: 'overwrite a stored hash', at: 12, tamper: (s) => s.db.query(`UPDATE audit_records SET hash = $2 WHERE device_id = $1 AND seq = 12`, [s.a.deviceId, 'f'.repeat(64)]).then(() => undefined) },
  // --- records deleted, swapped, added ---
  { name: 'delete a record in the middle', at: 10, tamper: (s) => s.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq = 10', [s.a.deviceId]).then(() => undefined) },
  { name: 'delete the last records (ack left alone)', at: 21, tamper: (s) => s.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq >= 21', [s.a.deviceId]).then(() => undefined) },
  {
    name: 'swap two records (their seqs)',
    at: 4,
    tamper: (s) =>
      s.db.transaction(async (tx) => {
        await tx.query('UPDATE audit_records SET seq = -1 WHERE device_id = $1 AND seq = 4', [s.a.deviceId]);
        await tx.query('UPDATE audit_records SET seq = 4 WHERE device_id = $1 AND seq = 7', [s.a.deviceId]);
        await tx.query('UPDATE audit_records SET seq = 7 WHERE device_id = $1 AND seq = -1', [s.a.deviceId]);
      }),
  },
  {
    name: 'swap two records\' contents (seqs kept)',
    at: 13,
    tamper: (s) =>
      s.db
        .query(
          `UPDATE audit_records x SET payload = y.payload, type = y.type FROM audit_records y
           WHERE x.device_id = $1 AND y.device_id = $1 AND ((x.seq = 13 AND y.seq = 14) OR (x.seq = 14 AND y.seq = 13))`,
          [s.a.deviceId],
        )
        .then(() => undefined),
  },
  {
    name: 'add a well-chained record after the acknowledged one',
    at: 25,
    tamper: async (s) => {
      const extra = sealRecord({ id: 'forged', deviceId: s.a.deviceId, ts: new Date().toISOString(), type: 'log', automation: null, runId: 'r6', user: 'robot', payload: { message: 'x' } }, { seq: 24, hash: s.a.written[23]!.hash });
      await s.db.query(
        `INSERT INTO audit_records (device_id, seq, id, ts, ts_at, type, run_id, user_name, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $11::timestamptz, $5, $6, $7, $8::jsonb, $9, $10)`,
        [s.a.deviceId, extra.seq, extra.id, extra.ts, extra.type, extra.runId, extra.user, JSON.stringify(extra.payload), extra.prevHash, extra.hash, extra.ts],
      );
    },
  },
  // --- chains rewritten (hashes redone) ---
  { name: 're-chain from an edited record (hashes and ack redone)', at: 16, tamper: (s) => rechain(s, 16, passedInstead).then(() => undefined) },
  {
    name: 're-chain, then delete the device\'s batch rows from that batch on',
    at: 10,
    tamper: async (s) => {
      await rechain(s, 10, (r) => ({ user: 'mallory', payload: r.payload }));
      await s.db.query('DELETE FROM audit_batches WHERE device_id = $1 AND last_seq >= 10', [s.a.deviceId]);
    },
  },
  {
    name: 're-chain everything and delete all the device\'s batch rows',
    at: 2,
    tamper: async (s) => {
      await rechain(s, 2, (r) => ({ payload: { ...r.payload, headless: false } }));
      await s.db.query('DELETE FROM audit_batches WHERE device_id = $1', [s.a.deviceId]);
    },
  },
  {
    name: 'replace the device key, re-chain and re-sign every batch with the new key',
    at: 18,
    tamper: async (s) => {
      const forged = await rechain(s, 18, (r) => ({ payload: { ...r.payload, durationMs: 1 } }));
      const mallory = generateDeviceKeys();
      await s.db.query('UPDATE devices SET public_key = $2 WHERE id = $1', [s.a.deviceId, mallory.publicKeyPem]);
      for (const [first, last] of [[1, 8], [9, 16], [17, 24]] as const) {
        const batch = signBatch(s.a.deviceId, forged.slice(first - 1, last), mallory.privateKeyPem);
        await s.db.query('UPDATE audit_batches SET signature = $4 WHERE device_id = $1 AND first_seq = $2 AND last_seq = $3', [s.a.deviceId, first, last, batch.signature]);
      }
    },
  },
  {
    name: 're-chain and rewrite the receipts\' record hashes to match',
    at: 10,
    locatedAt: 9,
    tamper: async (s) => {
      const forged = await rechain(s, 10, passedInstead);
      for (const [first, last] of [[9, 16], [17, 24]] as const) {
        await s.db.query('UPDATE server_log SET record_hashes = $4 WHERE device_id = $1 AND first_seq = $2 AND last_seq = $3', [s.a.deviceId, first, last, forged.slice(first - 1, last).map((r) => r.hash).join('')]);
      }
    },
  },
  // --- batch rows ---
  {
    name: 'swap a batch signature for another batch\'s',
    at: 9,
    tamper: (s) =>
      s.db.query(`UPDATE audit_batches SET signature = (SELECT signature FROM audit_batches WHERE device_id = $1 AND first_seq = 17) WHERE device_id = $1 AND first_seq = 9`, [s.a.deviceId]).then(() => undefined),
  },
  { name: 'delete one batch row', at: 9, tamper: (s) => s.db.query('DELETE FROM audit_batches WHERE device_id = $1 AND first_seq = 9', [s.a.deviceId]).then(() => undefined) },
  { name: 'shift a batch row\'s range', at: 9, tamper: (s) => s.db.query('UPDATE audit_batches SET first_seq = 10 WHERE device_id = $1 AND first_seq = 9', [s.a.deviceId]).then(() => undefined) },
  // --- anchors (retention) ---
  {
    name: 'fake retention: delete the first records and write an anchor row',
    at: 1,
    tamper: async (s) => {
      await s.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq <= 8', [s.a.deviceId]);
      await s.db.query('INSERT INTO chain_anchors (device_id, seq, hash) VALUES ($1, 8, $2)', [s.a.deviceId, s.a.written[7]!.hash]);
      await s.db.query(`DELETE FROM runs WHERE device_id = $1 AND run_id IN ('r1', 'r2')`, [s.a.deviceId]);
    },
  },
  {
    name: 'fake retention with a forged anchor entry in the server\'s log (signed with another key)',
    at: 1,
    tamper: async (s) => {
      await s.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq <= 8', [s.a.deviceId]);
      await s.db.query('INSERT INTO chain_anchors (device_id, seq, hash) VALUES ($1, 8, $2)', [s.a.deviceId, s.a.written[7]!.hash]);
      await s.db.query(`DELETE FROM runs WHERE device_id = $1 AND run_id IN ('r1', 'r2')`, [s.a.deviceId]);
      const head = (await s.sql('SELECT n, hash FROM server_log_head'))[0]!;
      const n = Number(head['n']) + 1;
      const entry = sealLogEntry(
        { v: 1, n, prevHash: String(head['hash']), at: new Date().toISOString(), kind: 'anchor', deviceId: s.a.deviceId, fromSeq: 1, anchorSeq: 8, anchorHash: s.a.written[7]!.hash, retentionId: 1 },
        generateKeyPairSync('ed25519').privateKey,
      );
      const { hash, signature, ...body } = entry;
      await s.db.query('INSERT INTO server_log (n, kind, device_id, first_seq, last_seq, body, hash, signature) VALUES ($1, $2, $3, 1, 8, $4, $5, $6)', [n, 'anchor', s.a.deviceId, canonicalJson(body), hash, signature]);
      await s.db.query('UPDATE server_log_head SET n = $1, hash = $2', [n, hash]);
    },
  },
  {
    name: 'after retention, move the anchor forward over more records',
    at: 9,
    retention: true,
    tamper: async (s) => {
      await s.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq <= 12', [s.a.deviceId]);
      await s.db.query('UPDATE chain_anchors SET seq = 12, hash = $2 WHERE device_id = $1', [s.a.deviceId, s.a.written[11]!.hash]);
      await s.db.query(`DELETE FROM runs WHERE device_id = $1 AND run_id = 'r3'`, [s.a.deviceId]);
    },
  },
  {
    name: 'after retention, delete the anchor entry from the server\'s log',
    at: 1,
    retention: true,
    tamper: (s) => s.db.query(`DELETE FROM server_log WHERE device_id = $1 AND kind = 'anchor'`, [s.a.deviceId]).then(() => undefined),
  },
  {
    name: 'after retention, edit the anchor entry in the server\'s log (anchor hash)',
    at: 1,
    retention: true,
    tamper: (s) =>
      s.db.query(`UPDATE server_log SET body = replace(body, $2, $3) WHERE device_id = $1 AND kind = 'anchor'`, [s.a.deviceId, s.a.written[7]!.hash, 'e'.repeat(64)]).then(() => undefined),
  },
  // --- truncation ---
  {
    name: 'truncate the tail and roll back the acknowledgement (and the batch rows and runs)',
    at: 17,
    tamper: async (s) => {
      await s.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq >= 17', [s.a.deviceId]);
      await s.db.query('DELETE FROM audit_batches WHERE device_id = $1 AND first_seq >= 17', [s.a.deviceId]);
      await s.db.query(`DELETE FROM runs WHERE device_id = $1 AND run_id IN ('r5', 'r6')`, [s.a.deviceId]);
      await s.db.query('UPDATE devices SET ack_seq = 16, ack_hash = $2 WHERE id = $1', [s.a.deviceId, s.a.written[15]!.hash]);
    },
  },
  {
    name: 'truncate the tail, roll back the acknowledgement and delete the receipts from the server\'s log',
    at: 17,
    tamper: async (s) => {
      await s.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq >= 17', [s.a.deviceId]);
      await s.db.query('DELETE FROM audit_batches WHERE device_id = $1 AND first_seq >= 17', [s.a.deviceId]);
      await s.db.query(`DELETE FROM runs WHERE device_id = $1 AND run_id IN ('r5', 'r6')`, [s.a.deviceId]);
      await s.db.query('UPDATE devices SET ack_seq = 16, ack_hash = $2 WHERE id = $1', [s.a.deviceId, s.a.written[15]!.hash]);
      await s.db.query(`DELETE FROM server_log WHERE device_id = $1 AND kind = 'batch' AND first_seq >= 17`, [s.a.deviceId]);
    },
  },
  {
    name: 'truncate the tail, roll back the acknowledgement and cut the end of the server\'s log (its last receipt and all after it)',
    at: 17,
    touchesOther: true,
    tamper: async (s) => {
      await s.db.query('DELETE FROM audit_records WHERE device_id = $1 AND seq >= 17', [s.a.deviceId]);
      await s.db.query('DELETE FROM audit_batches WHERE device_id = $1 AND first_seq >= 17', [s.a.deviceId]);
      await s.db.query(`DELETE FROM runs WHERE device_id = $1 AND run_id IN ('r5', 'r6')`, [s.a.deviceId]);
      await s.db.query('UPDATE devices SET ack_seq = 16, ack_hash = $2 WHERE id = $1', [s.a.deviceId, s.a.written[15]!.hash]);
      const cut = (await s.sql(`SELECT n FROM server_log WHERE device_id = $1 AND kind = 'batch' AND first_seq = 17`, [s.a.deviceId]))[0]!['n'];
      await s.db.query('DELETE FROM server_log WHERE n >= $1', [cut]);
      const last = (await s.sql('SELECT n, hash FROM server_log ORDER BY n DESC LIMIT 1'))[0]!;
      await s.db.query('UPDATE server_log_head SET n = $1, hash = $2', [last['n'], last['hash']]);
    },
  },
  { name: 'move the acknowledged hash', at: 24, tamper: (s) => s.db.query('UPDATE devices SET ack_hash = $2 WHERE id = $1', [s.a.deviceId, s.a.written[22]!.hash]).then(() => undefined) },
  // --- derived tables ---
  { name: 'edit a run\'s status in the runs table', at: 16, tamper: (s) => s.db.query(`UPDATE runs SET status = 'passed' WHERE device_id = $1 AND run_id = 'r4'`, [s.a.deviceId]).then(() => undefined) },
  { name: 'delete a run from the runs table', at: 9, tamper: (s) => s.db.query(`DELETE FROM runs WHERE device_id = $1 AND run_id = 'r3'`, [s.a.deviceId]).then(() => undefined) },
  {
    name: 'add a run to the runs table',
    at: 5,
    tamper: (s) =>
      s.db
        .query(`INSERT INTO runs (device_id, run_id, user_name, status, started_at, record_count, first_seq, last_seq) VALUES ($1, 'ghost', 'robot', 'passed', now(), 4, 5, 8)`, [s.a.deviceId])
        .then(() => undefined),
  },
  { name: 'edit a run\'s record count', at: 20, tamper: (s) => s.db.query(`UPDATE runs SET record_count = 3 WHERE device_id = $1 AND run_id = 'r5'`, [s.a.deviceId]).then(() => undefined) },
  { name: 'edit a record\'s indexed time (ts_at)', at: 22, tamper: (s) => s.db.query(`UPDATE audit_records SET ts_at = ts_at - interval '10 years' WHERE device_id = $1 AND seq = 22`, [s.a.deviceId]).then(() => undefined) },
  // --- the server's log (receipts) and revocation ---
  {
    name: 'edit a receipt in the server\'s log (its range)',
    at: 9,
    tamper: (s) => s.db.query(`UPDATE server_log SET body = replace(body, '"lastSeq":16', '"lastSeq":15') WHERE device_id = $1 AND first_seq = 9`, [s.a.deviceId]).then(() => undefined),
  },
  { name: 'delete a receipt from the server\'s log', at: 9, tamper: (s) => s.db.query(`DELETE FROM server_log WHERE device_id = $1 AND kind = 'batch' AND first_seq = 9`, [s.a.deviceId]).then(() => undefined) },
  {
    name: 'undo a revocation in the database',
    at: 25,
    tamper: async (s) => {
      assert.equal((await call(s.app, 'POST', `/v1/devices/${s.a.deviceId}/revoke`, ADMIN, { reason: 'laptop stolen' })).status, 200);
      await s.db.query('UPDATE devices SET revoked_at = NULL, revoked_by = NULL, revoked_reason = NULL WHERE id = $1', [s.a.deviceId]);
    },
  },
];

describe('tamper suite: verify finds and locates direct database edits (PostgreSQL)', () => {
  const outcomes: Array<{ name: string; detected: boolean; exact: boolean; seq: number | undefined }> = [];
  after(() => {
    const detected = outcomes.filter((o) => o.detected).length;
    const exact = outcomes.filter((o) => o.exact).length;
    console.log(`tamper suite: ${outcomes.length} kinds, ${detected} detected, ${exact} located to the exact seq, ${detected - exact} to the start of the batch or receipt whose proof was destroyed`);
  });

  it('has at least 20 kinds of tampering', () => assert.ok(CASES.length >= 20, `${CASES.length}`));

  for (const tamperCase of CASES) {
    it(tamperCase.name, async () => {
      const s = await scene(tamperCase.retention ?? false);
      try {
        const before = await verify(s, s.a);
        assert.equal(before.ok, true, `intact before tampering: ${JSON.stringify(before)}`);
        await tamperCase.tamper(s);
        const verdict = await verify(s, s.a);
        const seq = verdict.ok ? undefined : verdict.firstBroken.seq;
        outcomes.push({ name: tamperCase.name, detected: verdict.ok === false, exact: seq === tamperCase.at, seq });
        assert.equal(verdict.ok, false, `not detected: ${JSON.stringify(verdict)}`);
        assert.equal(verdict.deviceId, s.a.deviceId);
        assert.equal(verdict.firstBroken.seq, tamperCase.locatedAt ?? tamperCase.at, JSON.stringify(verdict.problems, null, 1));
        // The other device is untouched by most kinds; where the tampering broke the server's log
        // itself, its verdict says so too (the log can no longer vouch for it).
        const other = await verify(s, s.b);
        if (!other.ok && !tamperCase.touchesOther) assert.equal((other.firstBroken as { kind?: string }).kind, 'log', JSON.stringify(other));
      } finally {
        await s.drop();
      }
    });
  }
});
