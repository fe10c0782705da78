// Uploads the audit outbox to the audit server: signed batches from the server's
// acknowledged seq on. Server down or machine offline → the outbox grows, nothing is
// lost; re-sending is harmless (the server ignores records it already has).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDeviceKeys, MAX_BATCH, signBatch, type AuditRecord } from '../../audit/index.js';
import { RpaError } from '../errors.js';
import type { RpaHome } from '../home.js';
import { normalizeUrl } from '../policy/effective.js';
import type { Policy } from '../policy/policy.js';
import type { AuditOutbox } from './outbox.js';
import { ReceiptStore } from './receipts.js';
import { pinServerKey } from './device-verify.js';

export interface SyncConfig {
  serverUrl: string;
  deviceId: string;
  deviceToken: string;
  enrolledAt: string;
}

export class SyncError extends RpaError {}

/** Batches sent before the first answer is awaited. */
const IN_FLIGHT = 2;

const configFile = (home: RpaHome): string => path.join(home.dir, 'sync.json');
const keyFile = (home: RpaHome): string => path.join(home.dir, 'device.key');

export function readSyncConfig(home: RpaHome): SyncConfig | undefined {
  if (!existsSync(configFile(home))) return undefined;
  return JSON.parse(readFileSync(configFile(home), 'utf8')) as SyncConfig;
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

async function call(url: string, init: RequestInit & { token?: string }): Promise<{ status: number; body: Record<string, unknown> }> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new SyncError(`audit server ${new URL(url).origin} unreachable: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`);
  }
  const raw = await response.text();
  let body: Record<string, unknown>;
  try {
    body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    body = { error: raw.slice(0, 200) };
  }
  return { status: response.status, body };
}

/** Registers this device's public key with an enrollment token from the server's admin. */
export async function enroll(home: RpaHome, outbox: AuditOutbox, serverUrl: string, enrollmentToken: string): Promise<SyncConfig> {
  const base = serverUrl.replace(/\/+$/, '');
  const keys = generateDeviceKeys();
  const deviceId = outbox.state().device_id;
  const { status, body } = await call(`${base}/v1/devices`, { method: 'POST', body: JSON.stringify({ enrollmentToken, name: os.hostname(), publicKey: keys.publicKeyPem, deviceId }) });
  if (status !== 200 && status !== 201) throw new SyncError(`enrollment refused (${status}): ${text(body['error'] ?? body['message'] ?? 'no reason given')}`);
  const config: SyncConfig = { serverUrl: base, deviceId: text(body['deviceId'] ?? deviceId), deviceToken: text(body['deviceToken']), enrolledAt: new Date().toISOString() };
  if (config.deviceId !== deviceId) throw new SyncError(`the server assigned device id ${config.deviceId}, but this device's records carry ${deviceId}`);
  writePrivate(keyFile(home), keys.privateKeyPem);
  writePrivate(configFile(home), JSON.stringify(config, null, 2));
  // The key the server signs its receipts with, pinned now (receipts.ts).
  if (typeof body['serverPublicKey'] === 'string') new ReceiptStore(outbox.db).pin(base, body['serverPublicKey']);
  return config;
}

export class SyncClient {
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly home: RpaHome,
    private readonly outbox: AuditOutbox,
    private readonly config: SyncConfig,
    private readonly options: { intervalMs?: number; maxBackoffMs?: number; log?: (level: 'info' | 'warn', message: string) => void } = {},
  ) {}

  /**
   * Uploads everything pending once. Returns how many records the server newly has. Two
   * batches are kept in flight: the server verifies the next while it writes the current one,
   * and places a device's batches in order. Anything unexpected stops the upload; what was
   * not acknowledged stays in the outbox for the next attempt, and the failure is kept as the
   * outbox's last error (rpa sync status, the studio) until an upload succeeds.
   */
  async syncOnce(): Promise<{ sent: number; ackSeq: number }> {
    try {
      return await this.upload();
    } catch (error) {
      this.outbox.markError(error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  private async upload(): Promise<{ sent: number; ackSeq: number }> {
    const privateKey = readFileSync(keyFile(this.home), 'utf8');
    const base = this.config.serverUrl;
    const ack = await call(`${base}/v1/devices/${encodeURIComponent(this.config.deviceId)}/ack`, { method: 'GET', token: this.config.deviceToken });
    if (ack.status !== 200) throw new SyncError(`audit server refused the ack request (${ack.status}): ${text(ack.body['error'])}${ack.body['message'] ? `: ${text(ack.body['message'])}` : ''}`);
    let ackSeq = Number(ack.body['seq'] ?? 0);
    // Receipts (receipts.ts): an ack behind them means the server lost records it signed for.
    const receipts = new ReceiptStore(this.outbox.db);
    const lost = receipts.noteServerAck(ackSeq);
    if (lost) this.options.log?.('warn', lost.message);
    // A server too old to sign receipts has no key to pin; its answers carry no receipts either.
    await pinServerKey(receipts, this.config).catch((error: unknown) => this.options.log?.('warn', `audit server signing key not pinned: ${(error as Error).message}`));
    let sent = 0;
    let nextFrom = ackSeq;
    const inFlight: Array<Promise<{ status: number; body: Record<string, unknown> }>> = [];
    const sentRecords: AuditRecord[][] = [];
    const settle = async (): Promise<void> => {
      sentRecords.splice(0);
      await Promise.allSettled(inFlight.splice(0));
    };
    for (;;) {
      while (inFlight.length < IN_FLIGHT) {
        const records = this.outbox.pending(nextFrom, MAX_BATCH);
        if (!records.length) break;
        const batch = signBatch(this.config.deviceId, records, privateKey);
        inFlight.push(call(`${base}/v1/ingest`, { method: 'POST', body: JSON.stringify(batch), token: this.config.deviceToken }));
        sentRecords.push(records);
        nextFrom = records[records.length - 1]!.seq;
      }
      const reply = inFlight.shift();
      const replyRecords = sentRecords.shift();
      if (!reply) break;
      let answer: { status: number; body: Record<string, unknown> };
      try {
        answer = await reply;
      } catch (error) {
        await settle();
        throw error;
      }
      const { status, body } = answer;
      if (status === 409 && body['error'] === 'gap' && typeof body['expectedSeq'] === 'number') {
        await settle();
        ackSeq = body['expectedSeq'] - 1; // resume from what the server has
        nextFrom = ackSeq;
        continue;
      }
      if (status !== 200) {
        await settle();
        throw new SyncError(`audit server refused a batch (${status}): ${text(body['error'])}${body['message'] ? `: ${text(body['message'])}` : ''}`);
      }
      if (body['receipt'] !== undefined) {
        try {
          receipts.accept(body['receipt'], this.config.deviceId, replyRecords);
        } catch (error) {
          await settle(); // the batch behind it must not be left to fail unobserved
          throw error;
        }
      }
      const newAck = Number(body['ackSeq']);
      sent += Math.max(0, newAck - ackSeq);
      ackSeq = Math.max(ackSeq, newAck);
      this.outbox.markSynced(ackSeq, new Date().toISOString());
    }
    this.outbox.markSynced(ackSeq, new Date().toISOString());
    return { sent, ackSeq };
  }

  start(): void {
    this.stopped = false;
    const tick = (): void => {
      if (this.stopped) return;
      const work = this.syncOnce().then(
        (result) => {
          if (this.failures) this.options.log?.('info', `audit sync resumed: ${result.sent} record(s) uploaded, server has up to ${result.ackSeq}`);
          this.failures = 0;
          return this.options.intervalMs ?? 5_000;
        },
        (error: unknown) => {
          this.failures++;
          if (this.failures === 1) this.options.log?.('warn', `audit sync failed; the outbox keeps growing until the server is back: ${(error as Error).message}`);
          // Exponential backoff with jitter, so a fleet of robots does not stampede a recovering server.
          const ceiling = Math.min(this.options.maxBackoffMs ?? 300_000, 1_000 * 2 ** Math.min(this.failures, 16));
          return ceiling / 2 + (Math.random() * ceiling) / 2;
        },
      );
      this.running = work;
      void work.then((delay) => {
        if (!this.stopped) this.timer = setTimeout(tick, delay);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  status(): unknown {
    return { server: this.config.serverUrl, failures: this.failures, ...this.outbox.counts() };
  }
}

/**
 * Enrolls this machine with the audit server its policy names, when the policy carries an
 * enrollment token and the machine is not enrolled there yet. Returns the config in effect.
 */
export async function enrollFromPolicy(home: RpaHome, outbox: AuditOutbox, policy: Policy | undefined): Promise<SyncConfig | undefined> {
  const existing = readSyncConfig(home);
  const server = policy?.auditServer;
  if (!server) return existing;
  if (existing && normalizeUrl(existing.serverUrl) === normalizeUrl(server.url)) return existing;
  if (!server.enrollmentToken) {
    throw new SyncError(`the machine policy sends run logs to ${server.url}${existing ? `, but this machine is enrolled with ${existing.serverUrl}` : ''}; the policy has no enrollment token, so enroll with rpa enroll ${server.url} TOKEN`);
  }
  return enroll(home, outbox, server.url, server.enrollmentToken);
}
