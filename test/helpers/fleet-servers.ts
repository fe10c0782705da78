// Real audit-server processes (dist/server/main.js) on one PostgreSQL schema, as a fleet runs
// them behind a load balancer; an admin who creates a queue, enrolls devices and grants them.
// Used by test/fleet and bench/fleet.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateDeviceKeys } from '../../audit/index.js';

/** A migrated schema's one device ('d1') with a queue ('invoices') it may lease from, for tests that drive the queue SQL directly. */
export async function seedInvoicesQueue(db: { query(sql: string): Promise<unknown> }): Promise<void> {
  await db.query(`INSERT INTO devices (id, name, public_key, token_hash, ack_hash) VALUES ('d1', 'robot', 'k', 'hash-1', '')`);
  await db.query(`INSERT INTO queues (name, created_by, backoff_base_ms) VALUES ('invoices', 'test', 0)`);
  await db.query(`INSERT INTO queue_grants (queue, device_id, granted_by) VALUES ('invoices', 'd1', 'test')`);
}

export const PG_URL = process.env.AUDIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/main.js');

/** A node of PostgreSQL's `EXPLAIN (FORMAT JSON)` plan, and every node under it: which indexes a query reads. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
export const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** A fresh schema on the test database; drop() removes it. */
export async function freshSchema(prefix = 'fleet', baseUrl = PG_URL): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  // application_name: bench/fleet finds the servers' own backends (pg_stat_activity) to measure their CPU.
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}&application_name=${schema}`;
  return {
    schema,
    url,
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** Starts one server process on databaseUrl; resolves once it listens. */
export async function startServer(databaseUrl: string, adminToken: string, dataDir: string, extraEnv: Record<string, string> = {}, nodeArgs: string[] = [], main = MAIN): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      AUDIT_ADMIN_TOKEN: adminToken,
      AUDIT_DATA_DIR: dataDir,
      AUDIT_RATE_LIMIT: 'off',
      LOG_LEVEL: 'warn',
      AUDIT_VERIFY_THREADS: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * n server processes on a fresh schema, with a temp dir for their shared key; close() stops them
 * and drops the schema. main: another build's server/main.js (bench/fleet's baseline);
 * databaseUrl: another PostgreSQL than the test database (the database-restart test's own cluster).
 */
export async function startFleetServers(
  n: number,
  extraEnv: Record<string, string> = {},
  nodeArgs: string[] = [],
  main = MAIN,
  databaseUrl = PG_URL,
): Promise<{ urls: string[]; servers: ServerProcess[]; admin: string; schema: string; restart: (i: number) => Promise<string>; close: () => Promise<void> }> {
  const { schema, url, drop } = await freshSchema('fleet', databaseUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rpa-fleet-'));
  const admin = `adm_fleet_${randomBytes(12).toString('hex')}`;
  const servers: ServerProcess[] = [];
  try {
    // One after the other: the first migrates and writes the server key the others then read.
    for (let i = 0; i < n; i++) servers.push(await startServer(url, admin, dir, extraEnv, nodeArgs, main));
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    await drop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    urls: servers.map((s) => s.url),
    servers,
    admin,
    schema,
    /** Stops server i and starts it again on the same database (on a new port, which it returns). */
    restart: async (i: number) => {
      await servers[i]!.stop();
      servers[i] = await startServer(url, admin, dir, extraEnv, nodeArgs, main);
      return servers[i].url;
    },
    close: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function api(base: string, method: string, route: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const parsed = ((): Record<string, unknown> => {
    try {
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return { text };
    }
  })();
  return { status: response.status, body: parsed };
}

/** Enrolls a device (its own key pair) and returns its id and token. */
export async function enrollDevice(base: string, admin: string, name: string): Promise<{ deviceId: string; token: string }> {
  const enrollment = await api(base, 'POST', '/v1/enrollment-tokens', admin, {});
  if (enrollment.status !== 201) throw new Error(`enrollment token: ${enrollment.status} ${JSON.stringify(enrollment.body)}`);
  const keys = generateDeviceKeys();
  const device = await api(base, 'POST', '/v1/devices', undefined, { enrollmentToken: enrollment.body['enrollmentToken'], name, publicKey: keys.publicKeyPem });
  if (device.status !== 201) throw new Error(`enroll: ${device.status} ${JSON.stringify(device.body)}`);
  return { deviceId: String(device.body['deviceId']), token: String(device.body['deviceToken']) };
}

/**
 * Enrolls the robot whose home is `home` through the real `rpa enroll` (its key pair and sync.json written by the CLI),
 * and makes an auditor token: what an end-to-end test of a robot's uploads needs.
 */
export async function enrollRobotWithCli(base: string, admin: string, home: string, rpa: (...args: string[]) => Promise<{ code: number | null; stderr: string }>): Promise<{ deviceId: string; auditor: string }> {
  const enrollment = await api(base, 'POST', '/v1/enrollment-tokens', admin, {});
  const enrolled = await rpa('enroll', base, String(enrollment.body['enrollmentToken']));
  if (enrolled.code !== 0) throw new Error(`rpa enroll exited ${enrolled.code}: ${enrolled.stderr}`);
  const { deviceId } = JSON.parse(readFileSync(path.join(home, 'sync.json'), 'utf8')) as { deviceId: string };
  const auditor = String((await api(base, 'POST', '/v1/tokens', admin, { role: 'auditor' })).body['token']);
  return { deviceId, auditor };
}

export async function createQueue(base: string, admin: string, name: string, options: Record<string, unknown> = {}): Promise<void> {
  const created = await api(base, 'POST', '/v1/queues', admin, { name, ...options });
  if (created.status !== 201) throw new Error(`create queue: ${created.status} ${JSON.stringify(created.body)}`);
}

export async function grant(base: string, admin: string, queue: string, deviceId: string): Promise<void> {
  const granted = await api(base, 'POST', `/v1/queues/${queue}/grants`, admin, { deviceId });
  if (granted.status !== 201) throw new Error(`grant: ${granted.status} ${JSON.stringify(granted.body)}`);
}
