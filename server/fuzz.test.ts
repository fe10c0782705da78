// Hostile and odd input against every route of the audit server, with real tokens of each role:
// paths, query strings, headers and bodies from a seeded PRNG (FUZZ_SEED=<n> reproduces a run;
// FUZZ_REQUESTS=<n> changes the count). Nothing may answer 5xx, the server must still serve
// afterwards, and its memory must stay bounded. Correctly signed batches with odd field values
// go through ingest too, so what the device's signature vouches for is what reaches PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { GENESIS_HASH, hashRecord, signBatch, type AuditRecord } from '../audit/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgliteClient, type SqlClient } from './db.js';
import { ADMIN, call, FakeDevice, freshPostgres, testServer } from './test-support.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 16_2026);
const REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 3_000);
/** RSS growth allowed between the end of the warm-up and the end of the run. */
const RSS_LIMIT_MB = 200;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\t\n\r',
  '\ud800',
  'x\udfffy',
  '🙂',
  '𝄞é\u2028\u202e',
  '\\N',
  "' OR 1=1 --",
  '"; DROP TABLE runs; --',
  '../../etc/passwd',
  '%00',
  '%',
  'null',
  'true',
  '[]',
  '{}',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '99999999999999999999999999999',
  '0000-01-01T00:00:00Z',
  '0000-01-01',
  '+275760-09-13T00:00:00Z',
  '+275760-09-13',
  '-271821-04-20T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00Z',
  '0001-01-01T00:00:00+14:00',
  '2026-02-30T00:00:00Z',
  '2026-12-05T24:00:00Z',
  '2026-12-31T23:59:60Z',
  '2026-12-05T10:00:00+99:00',
  '2026-12-05',
  '2026-12-05T10:00:00.123456789Z',
  'Dec 25 2026',
  '12/31/1999',
  '1',
  'eyJhIjoxfQ',
  Buffer.from(JSON.stringify(['0000-01-01T00:00:00Z', 'd', 'r'])).toString('base64url'),
  Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'd\u0000', 'r'])).toString('base64url'),
  Buffer.from(JSON.stringify(['+275760-09-13', 'd', 'r'])).toString('base64url'),
  Buffer.from(JSON.stringify(['2026-02-30T00:00:00Z', 'd', 'r'])).toString('base64url'),
  Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'd', 'r'])).toString('base64url'),
];

const ODD_TIMES = ODD_STRINGS.filter((s) => /\d{4}|\d+\/|Dec/.test(s));

const QUERY_KEYS = ['device', 'user', 'automation', 'status', 'from', 'to', 'cursor', 'limit', 'format', 'run', 'type', 'ttlMinutes', 'x', '__proto__', 'constructor', ''];

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

/** The same fuzz against each database the server runs on: PostgreSQL, and PGlite (fewer requests: its WASM engine is slower). */
const BACKENDS: Array<{ name: string; requests: number; open: () => Promise<{ db: SqlClient; drop: () => Promise<void> }> }> = [
  { name: 'PostgreSQL', requests: REQUESTS, open: freshPostgres },
  {
    name: 'PGlite',
    requests: Math.ceil(REQUESTS / 3),
    open: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'audit-fuzz-pglite-'));
      const db = await createPgliteClient(dir);
      return {
        db,
        drop: async () => {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

for (const backend of BACKENDS) describe(`audit server under hostile input (${backend.name})`, () => {
  const REQUESTS = backend.requests;
  let app: FastifyInstance;
  let db: SqlClient;
  let drop: () => Promise<void>;
  let device: FakeDevice;
  let auditor = '';

  before(async () => {
    ({ db, drop } = await backend.open());
    app = await testServer(db);
    device = await new FakeDevice().enroll(app);
    const made = await call(app, 'POST', '/v1/tokens', ADMIN, { role: 'auditor', label: 'fuzz' });
    assert.equal(made.status, 201, made.text);
    auditor = made.body.token;
    assert.equal((await device.ingest(app, device.run('seed-run', 'passed', 3))).status, 200);
  });
  after(async () => {
    await app.close();
    await drop();
  });

  it(`answers ${REQUESTS} random requests without a 5xx, stays up and keeps its memory bounded (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const chance = (p: number): boolean => random() < p;
    const int = (max: number): number => Math.floor(random() * max);

    const oddString = (): string => {
      const roll = random();
      if (roll < 0.6) return pick(ODD_STRINGS);
      if (roll < 0.7) return 'x'.repeat(pick([64, 65, 256, 257, 513, 5000]));
      if (roll < 0.8) return String.fromCharCode(...Array.from({ length: 1 + int(12) }, () => int(0x10000)));
      if (roll < 0.9) return pick(ODD_STRINGS) + pick(ODD_STRINGS);
      return `dev_${int(1000)}`;
    };
    const oddValue = (depth = 0): unknown => {
      const roll = random();
      if (roll < 0.35) return oddString();
      if (roll < 0.55) return pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER + 2, 60 * 24 * 30 + 1]);
      if (roll < 0.65) return pick([null, true, false]);
      if (roll < 0.8 && depth < 3) return Array.from({ length: int(4) }, () => oddValue(depth + 1));
      if (depth < 3) return Object.fromEntries(Array.from({ length: int(4) }, () => [pick([...QUERY_KEYS, 'role', 'label', 'name', 'publicKey', 'enrollmentToken', 'deviceId', oddString()]), oddValue(depth + 1)]));
      return oddString();
    };
    /** Percent-encodes text as UTF-8; a lone surrogate (which encodeURIComponent refuses) goes as the bytes of U+D800. */
    const encode = (value: string): string => {
      try {
        return encodeURIComponent(value);
      } catch {
        return value.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^A-Za-z0-9%._~-]/g, (c) => encodeURIComponent(c.replace(/[\ud800-\udfff]/g, '')) || '');
      }
    };
    const segment = (): string => (chance(0.15) ? pick(['%00', '%zz', '%', '%ff', '%C0%80', '..', '.', '%2F', '%2e%2e', '']) : encode(oddString()));
    const queryString = (keys: readonly string[]): string => {
      if (chance(0.1)) return pick(['', '?', '?&&', '?=', '?a', '?%00=%00', '?from=%zz', '?limit=1&limit=2']);
      const parts = Array.from({ length: int(4) }, () => {
        const key = chance(0.8) ? pick(keys) : encode(oddString());
        const value = chance(0.3) && /from|to/.test(key) ? pick(ODD_TIMES) : oddString();
        return `${encode(key)}=${encode(value)}`;
      });
      return parts.length ? `?${parts.join('&')}` : '';
    };

    /** A batch signed by the device over records with odd field values, starting at its ack. */
    let accepted: { seq: number; hash: string } = { seq: device.written.length, hash: device.written[device.written.length - 1]?.hash ?? GENESIS_HASH };
    const oddBatch = (): { body: unknown; sealed: AuditRecord[] } => {
      const count = 1 + int(3);
      const records: AuditRecord[] = [];
      let previous = accepted;
      for (let i = 0; i < count; i++) {
        const fields: Record<string, unknown> = {
          id: `rec_${previous.seq + 1}`,
          deviceId: device.deviceId,
          seq: previous.seq + 1,
          ts: new Date().toISOString(),
          type: pick(['run.started', 'step.succeeded', 'run.finished', 'log']),
          automation: { id: 'fuzz', version: '1', sha256: 'a'.repeat(64) },
          runId: `fuzz-${int(20)}`,
          user: 'robot',
          payload: { status: 'passed' },
          prevHash: previous.hash,
        };
        // One or two fields get an odd value: a string, a date, a wrong type.
        for (let n = 0; n < 1 + int(2); n++) {
          const field = pick(['ts', 'ts', 'ts', 'type', 'runId', 'user', 'payload', 'automation', 'id', 'seq']);
          fields[field] = field === 'ts' && chance(0.7) ? pick(ODD_TIMES) : field === 'payload' && chance(0.7) ? { status: oddString(), message: oddString(), [oddString()]: oddValue() } : oddValue();
        }
        let hash: string;
        try {
          hash = hashRecord(fields as Omit<AuditRecord, 'hash'>);
        } catch {
          hash = 'f'.repeat(64); // not canonicalisable (a number out of range): the server refuses it anyway
        }
        const record = { ...fields, hash } as AuditRecord;
        records.push(record);
        previous = { seq: Number(record.seq), hash };
      }
      let body: unknown;
      try {
        body = signBatch(device.deviceId, records, device.keys.privateKeyPem);
      } catch {
        body = { deviceId: device.deviceId, records, signature: 'AAAA' };
      }
      return { body, sealed: records };
    };

    const malformedBody = (): string => {
      return pick([
        '',
        '{',
        '[1,2',
        'null',
        '"x"',
        '1e999999',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '[]'.repeat(3),
        '['.repeat(20_000) + ']'.repeat(20_000),
        `{"deviceId":"${device.deviceId}","records":"x","signature":1}`,
        `{"deviceId":"${device.deviceId}","records":[{}],"signature":"AAAA"}`,
        '\u0000',
        '{"role":"admin","label":"\\u0000"}',
        '{"role":"auditor","label":"\\ud800"}',
        '{"ttlMinutes":1e400}',
        '{"ttlMinutes":"5"}',
        '{"enrollmentToken":"enr_x","name":"\\u0000","publicKey":"x"}',
        JSON.stringify({ a: 'x'.repeat(300_000) }),
      ]);
    };

    const tokens = () => pick([ADMIN, ADMIN, auditor, auditor, device.token, device.token, undefined, 'adm_nope', 'x'.repeat(600), '\u00e9\u00e9']);
    const routes: Array<() => { method: Method; url: string; ingest?: boolean }> = [
      () => ({ method: 'GET', url: `/v1/runs${queryString(QUERY_KEYS.slice(0, 8))}` }),
      () => ({ method: 'GET', url: `/v1/runs/${segment()}/records${chance(0.2) ? queryString(QUERY_KEYS) : ''}` }),
      () => ({ method: 'GET', url: `/v1/runs/seed-run/records${queryString(QUERY_KEYS)}` }),
      () => ({ method: 'GET', url: `/v1/devices${queryString(QUERY_KEYS)}` }),
      () => ({ method: 'GET', url: `/v1/devices/${chance(0.3) ? device.deviceId : segment()}/verify${chance(0.2) ? queryString(QUERY_KEYS) : ''}` }),
      () => ({ method: 'GET', url: `/v1/devices/${chance(0.3) ? device.deviceId : segment()}/ack${chance(0.2) ? queryString(QUERY_KEYS) : ''}` }),
      () => ({ method: 'GET', url: `/v1/export${queryString(QUERY_KEYS)}` }),
      () => ({ method: 'GET', url: `/v1/devices/${chance(0.3) ? device.deviceId : segment()}/receipts${queryString(['after', 'limit', ...QUERY_KEYS])}` }),
      () => ({ method: 'GET', url: `/v1/devices/${chance(0.3) ? device.deviceId : segment()}/proof${queryString(['from', 'to', ...QUERY_KEYS])}` }),
      () => ({ method: 'GET', url: `/v1/server-key${chance(0.2) ? queryString(QUERY_KEYS) : ''}` }),
      // Never the fuzzing device itself: revoking it would end the signed uploads this test checks.
      () => ({ method: 'POST', url: `/v1/devices/${segment()}/revoke` }),
      () => ({ method: 'GET', url: `/v1/retention/log${queryString(['limit', ...QUERY_KEYS])}` }),
      () => ({ method: 'GET', url: `/updates/${segment()}` }),
      () => ({ method: 'GET', url: pick(['/health', '/metrics', '/console', '/console/', `/console/${segment()}`]) }),
      () => ({ method: 'POST', url: '/v1/enrollment-tokens' }),
      () => ({ method: 'POST', url: '/v1/tokens' }),
      () => ({ method: 'POST', url: '/v1/devices' }),
      () => ({ method: 'POST', url: '/v1/retention/apply' }),
      () => ({ method: 'POST', url: '/v1/ingest', ingest: true }),
      () => ({ method: 'POST', url: '/v1/ingest', ingest: true }),
      () => ({ method: 'POST', url: '/v1/ingest', ingest: true }),
      () => ({ method: pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const), url: `/${Array.from({ length: int(5) }, segment).join('/')}${queryString(QUERY_KEYS)}` }),
    ];

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let signedAccepted = 0;
    let rssAfterWarmup = 0;
    const started = Date.now();
    for (let n = 0; n < REQUESTS; n++) {
      if (n === Math.floor(REQUESTS / 10)) rssAfterWarmup = process.memoryUsage().rss;
      const route = pick(routes)();
      let token = tokens();
      let payload: string | undefined;
      let contentType: string | undefined = 'application/json';
      let sealed: AuditRecord[] | undefined;
      if (route.method === 'POST') {
        const roll = random();
        if (route.ingest && roll < 0.55) {
          const batch = oddBatch();
          payload = JSON.stringify(batch.body);
          sealed = batch.sealed;
          token = chance(0.9) ? device.token : token;
        } else if (roll < 0.75) payload = malformedBody();
        else payload = JSON.stringify(oddValue());
        if (chance(0.08)) contentType = pick([undefined, 'text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']);
      }
      const headers: Record<string, string> = {};
      if (token !== undefined) headers['authorization'] = chance(0.05) ? `Basic ${token}` : `Bearer ${token}`;
      if (contentType && payload !== undefined) headers['content-type'] = contentType;
      const response = await app.inject({ method: route.method, url: route.url, headers, ...(payload === undefined ? {} : { payload }) });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      // invalid_value: PostgreSQL refused a value no schema caught (app.ts's last line of defence).
      if ((response.statusCode >= 500 || response.body.includes('"error":"invalid_value"')) && failures.length < 20) {
        failures.push(`#${n} ${route.method} ${route.url.slice(0, 200)} ${payload?.slice(0, 300) ?? ''} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
      if (sealed && response.statusCode === 200) {
        const last = sealed[sealed.length - 1]!;
        accepted = { seq: last.seq, hash: last.hash };
        signedAccepted++;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const rssGrowthMb = (process.memoryUsage().rss - rssAfterWarmup) / 2 ** 20;
    console.log(
      `fuzz (${backend.name}) seed ${SEED}: ${REQUESTS} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; ${signedAccepted} odd signed batches accepted; rss growth ${rssGrowthMb.toFixed(1)} MB`,
    );
    assert.deepEqual(failures, [], `responses ≥ 500 or values only PostgreSQL refused (reproduce with FUZZ_SEED=${SEED})`);
    assert.ok(rssGrowthMb < RSS_LIMIT_MB, `rss grew ${rssGrowthMb.toFixed(1)} MB (limit ${RSS_LIMIT_MB} MB)`);

    // Still alive and still correct: health, a normal upload, and the device's chain verifies.
    assert.equal((await call(app, 'GET', '/health')).status, 200);
    device.written.length = 0;
    const tail = device.run('after-fuzz', 'passed', 1);
    // Re-seal the run onto what the server accepted during the fuzz.
    let previous = accepted;
    const resealed = tail.map((record) => {
      const unsealed = { ...record, seq: previous.seq + 1, prevHash: previous.hash };
      delete (unsealed as Partial<AuditRecord>).hash;
      const hash = hashRecord(unsealed);
      previous = { seq: unsealed.seq, hash };
      return { ...unsealed, hash };
    });
    const reply = await device.ingest(app, resealed);
    assert.equal(reply.status, 200, reply.text);
    const verified = await call(app, 'GET', `/v1/devices/${device.deviceId}/verify`, ADMIN);
    assert.equal(verified.body.ok, true, verified.text);
  });
});
