// AUDIT_TLS_CERT / AUDIT_TLS_KEY: the real server entry point (main.js, on an in-memory PGlite)
// started with a throw-away self-signed certificate made by openssl, /health fetched over HTTPS.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

function which(command: string): string | undefined {
  try {
    return execFileSync('which', [command], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const openssl = which('openssl');

/** Starts main.js; resolves with the port it printed, or rejects with its output if it exits first. */
function startServer(env: Record<string, string>): { child: ChildProcess; listening: Promise<{ scheme: string; port: number }>; output: () => string } {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', AUDIT_DATA_DIR: 'memory://', LOG_LEVEL: 'warn', AUDIT_ADMIN_TOKEN: 'adm_tls_test_token_0123456789', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listening = new Promise<{ scheme: string; port: number }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (https?):\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve({ scheme: match[1]!, port: Number(match[2]) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, listening, output: () => output };
}

function getHttps(port: number, path: string): Promise<{ status: number; body: string; encrypted: boolean }> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, rejectUnauthorized: false, timeout: 10_000 }, (response) => {
      let body = '';
      const encrypted = (response.socket as TLSSocket).encrypted === true;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, encrypted }));
    });
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error('timed out')));
  });
}

describe('HTTPS via AUDIT_TLS_CERT / AUDIT_TLS_KEY', { skip: openssl ? false : 'openssl is not installed: cannot make a self-signed certificate' }, () => {
  let dir: string;
  let cert: string;
  let key: string;
  const children: ChildProcess[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-tls-'));
    cert = join(dir, 'cert.pem');
    key = join(dir, 'key.pem');
    execFileSync(openssl!, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  });
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /health over https', { timeout: 60_000 }, async () => {
    const server = startServer({ AUDIT_TLS_CERT: cert, AUDIT_TLS_KEY: key });
    children.push(server.child);
    const { scheme, port } = await server.listening;
    assert.equal(scheme, 'https');
    const reply = await getHttps(port, '/health');
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(JSON.parse(reply.body), { ok: true });
    assert.equal(reply.encrypted, true);
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  });

  it('refuses to start with only one of the two variables', { timeout: 60_000 }, async () => {
    const server = startServer({ AUDIT_TLS_CERT: cert });
    children.push(server.child);
    await assert.rejects(server.listening, /AUDIT_TLS_CERT and AUDIT_TLS_KEY must be set together/);
  });

  it('refuses to start when the key file cannot be read', { timeout: 60_000 }, async () => {
    const server = startServer({ AUDIT_TLS_CERT: cert, AUDIT_TLS_KEY: join(dir, 'missing.pem') });
    children.push(server.child);
    await assert.rejects(server.listening, /cannot read AUDIT_TLS_KEY/);
  });
});
