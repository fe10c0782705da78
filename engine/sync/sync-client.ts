// Uploads the audit outbox to the audit server: signed batches from the server's
// acknowledged seq on. Server down or machine offline → the outbox grows, nothing is
// lost; re-sending is harmless (the server ignores records it already has).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDeviceKeys, MAX_BATCH, signBatch, type AuditRecord } from '../../audit/index.js';
import { z } from 'zod';
import { RpaError } from '../errors.js';
import type { RpaHome } from '../home.js';
import { failureScreenshotsUploadAllowed, normalizeUrl } from '../policy/effective.js';
import { loadPolicy, type Policy } from '../policy/policy.js';
import { pinServerKey } from './device-verify.js';
import type { AuditOutbox, BatchRefusal } from './outbox.js';
import { ReceiptStore } from './receipts.js';
import { uploadScreenshots, type ScreenshotSyncResult } from './screenshot-upload.js';

export interface SyncConfig {
  serverUrl: string;
  deviceId: string;
  deviceToken: string;
  enrolledAt: string;
}

/** An upload that did not happen (server unreachable, gone mid-answer, failing, refusing credentials): tried again later. */
export class SyncError extends RpaError {}

/**
 * The server refused a batch for good: a 4xx that is not about credentials (401/403), a gap
 * (409 gap) or the rate limit (429). Sending it again gets the same answer, and every later
 * record waits behind it, so it is kept on the outbox's state and said loudly.
 */
export class SyncRefusedError extends SyncError {
  constructor(
    message: string,
    readonly refusal: BatchRefusal,
  ) {
    super(message, { ...refusal });
  }
}

/** What one sync did: records newly on the server, and (when there were any) the failure screenshots sent after them. */
export interface SyncResult {
  sent: number;
  ackSeq: number;
  screenshots?: ScreenshotSyncResult;
}

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

/** fetch's own message ("fetch failed", "terminated") says little; its cause says what happened (ECONNREFUSED, other side closed). */
function reason(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One request to the audit server. Rejects only with a SyncError: the server could not be reached, or went away before its answer was in. */
async function call(url: string, init: RequestInit & { token?: string }): Promise<Answer> {
  const origin = new URL(url).origin;
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new SyncError(`audit server ${origin} unreachable: ${reason(error)}`);
  }
  let raw: string;
  try {
    raw = await response.text();
  } catch (error) {
    throw new SyncError(`audit server ${origin} went away while answering (${response.status}): ${reason(error)}`);
  }
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { error: raw.slice(0, 200) };
  } catch {
    body = { error: raw.slice(0, 200) };
  }
  return { status: response.status, body };
}

const serverSays = (body: Record<string, unknown>): string => `${text(body['error']) || 'no reason given'}${body['message'] ? `: ${text(body['message'])}` : ''}`;

/** A SyncError for an answer that is not a success: one to try again later, or (refusedRange given) a refusal for good. */
function failureOf(what: string, answer: Answer, refusedRange?: { firstSeq: number; lastSeq: number }): SyncError {
  const { status, body } = answer;
  if (status === 401 || status === 403) {
    return new SyncError(`audit server refused this device's credentials for ${what} (${status}): ${serverSays(body)}; if the device was removed there, enroll again with rpa enroll URL TOKEN`);
  }
  if (status === 429) return new SyncError(`audit server is rate-limiting this device (429) at ${what}: ${serverSays(body)}`);
  if (refusedRange && status >= 400 && status < 500 && status !== 408 && body['error'] !== 'gap') {
    const refusal: BatchRefusal = { ...refusedRange, status, error: text(body['error']) || `http_${status}`, message: text(body['message']), at: new Date().toISOString() };
    const which = refusal.firstSeq === refusal.lastSeq ? `record ${refusal.firstSeq}` : `records ${refusal.firstSeq}-${refusal.lastSeq}`;
    return new SyncRefusedError(
      `audit server refused ${which} for good (${status}): ${serverSays(body)}. It stays in the outbox and every later record waits behind it: update this app or the audit server (its admin has the server's log); rpa sync status shows this until an upload succeeds`,
      refusal,
    );
  }
  return new SyncError(`audit server failed ${what} (${status}): ${serverSays(body)}`);
}

const AckReply = z.object({ seq: z.number().int().min(0) });
const IngestReply = z.object({ ackSeq: z.number().int().min(0) });

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

/** A batch on its way: its answer, or the SyncError it became. The promise never rejects, so it may wait unawaited. */
interface InFlight {
  /** What was sent: a receipt for the batch is checked against these records' hashes. */
  records: AuditRecord[];
  firstSeq: number;
  lastSeq: number;
  outcome: Promise<{ answer: Answer } | { error: SyncError }>;
}

const asSyncError = (error: unknown): SyncError => (error instanceof SyncError ? error : new SyncError(`audit upload failed: ${error instanceof Error ? error.message : String(error)}`));

export class SyncClient {
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private running: Promise<unknown> | undefined;
  /** The refusal last logged, so the agent's log says each one once, not at every retry. */
  private loggedRefusal = '';

  constructor(
    private readonly home: RpaHome,
    private readonly outbox: AuditOutbox,
    private readonly config: SyncConfig,
    private readonly options: {
      intervalMs?: number;
      maxBackoffMs?: number;
      log?: (level: 'info' | 'warn' | 'error', message: string) => void;
      /** Whether the machine policy lets failure screenshots go now (asked at every sync); default: the policy file in effect. */
      screenshotsAllowed?: () => boolean;
    } = {},
  ) {}

  /**
   * Uploads everything pending once. Returns how many records the server newly has. Two
   * batches are kept in flight: the server verifies the next while it writes the current one,
   * and places a device's batches in order. Anything unexpected stops the upload; what was
   * not acknowledged stays in the outbox for the next attempt, and the failure is kept as the
   * outbox's last error (rpa sync status, the studio) until an upload succeeds; a batch the
   * server refuses for good is kept as the outbox's refusal too. Rejects only with a SyncError.
   */
  async syncOnce(): Promise<SyncResult> {
    try {
      return await this.upload();
    } catch (caught) {
      const error = asSyncError(caught);
      try {
        if (error instanceof SyncRefusedError) this.outbox.markRefused(error.refusal, error.message);
        else this.outbox.markError(error.message);
      } catch {
        // The store is closing (the agent stops): the error is still the answer.
      }
      throw error;
    }
  }

  private async upload(): Promise<SyncResult> {
    let privateKey: string;
    try {
      privateKey = readFileSync(keyFile(this.home), 'utf8');
    } catch (error) {
      throw new SyncError(`this device's signing key ${keyFile(this.home)} cannot be read (${(error as Error).message}); enroll again with rpa enroll URL TOKEN`);
    }
    const base = this.config.serverUrl;
    const ack = await call(`${base}/v1/devices/${encodeURIComponent(this.config.deviceId)}/ack`, { method: 'GET', token: this.config.deviceToken });
    if (ack.status !== 200) throw failureOf('the ack request', ack);
    const ackBody = AckReply.safeParse(ack.body);
    if (!ackBody.success) throw new SyncError(`audit server ${new URL(base).origin} answered the ack request with no seq: is ${base} an audit server?`);
    let ackSeq = ackBody.data.seq;
    // Receipts (receipts.ts): an ack behind them means the server lost records it signed for.
    const receipts = new ReceiptStore(this.outbox.db);
    const lost = receipts.noteServerAck(ackSeq);
    if (lost) this.options.log?.('warn', lost.message);
    // A server too old to sign receipts has no key to pin; its answers carry no receipts either.
    await pinServerKey(receipts, this.config).catch((error: unknown) => this.options.log?.('warn', `audit server signing key not pinned: ${(error as Error).message}`));
    let sent = 0;
    let nextFrom = ackSeq;
    const inFlight: InFlight[] = [];
    // Halved while a batch is refused for good, down to the one record refused: the records
    // before it still reach the server, and the refusal names the record.
    let batchSize = MAX_BATCH;
    const send = (records: AuditRecord[]): InFlight => {
      const batch = signBatch(this.config.deviceId, records, privateKey);
      return {
        records,
        firstSeq: records[0]!.seq,
        lastSeq: records[records.length - 1]!.seq,
        // Handled from the start: a batch still on its way while an earlier one fails (the server
        // died mid-upload) must not become an unhandled rejection, which ends the process.
        outcome: call(`${base}/v1/ingest`, { method: 'POST', body: JSON.stringify(batch), token: this.config.deviceToken }).then(
          (answer) => ({ answer }),
          (error: unknown) => ({ error: asSyncError(error) }),
        ),
      };
    };
    try {
      for (;;) {
        while (inFlight.length < IN_FLIGHT) {
          const records = this.outbox.pending(nextFrom, batchSize);
          if (!records.length) break;
          inFlight.push(send(records));
          nextFrom = records[records.length - 1]!.seq;
        }
        const next = inFlight.shift();
        if (!next) break;
        const outcome = await next.outcome;
        if ('error' in outcome) throw outcome.error;
        const { answer } = outcome;
        if (answer.status === 409 && answer.body['error'] === 'gap' && typeof answer.body['expectedSeq'] === 'number') {
          await settle(inFlight);
          ackSeq = answer.body['expectedSeq'] - 1; // resume from what the server has
          nextFrom = ackSeq;
          continue;
        }
        if (answer.status !== 200) {
          const failure = failureOf(`records ${next.firstSeq}-${next.lastSeq}`, answer, { firstSeq: next.firstSeq, lastSeq: next.lastSeq });
          if (!(failure instanceof SyncRefusedError) || next.firstSeq === next.lastSeq) throw failure;
          await settle(inFlight);
          batchSize = Math.ceil((next.lastSeq - next.firstSeq + 1) / 2);
          nextFrom = ackSeq;
          continue;
        }
        const reply = IngestReply.safeParse(answer.body);
        if (!reply.success) throw new SyncError(`audit server accepted records ${next.firstSeq}-${next.lastSeq} without saying up to where it has them (no ackSeq)`);
        if (answer.body['receipt'] !== undefined) receipts.accept(answer.body['receipt'], this.config.deviceId, next.records);
        const newAck = reply.data.ackSeq;
        sent += Math.max(0, newAck - ackSeq);
        ackSeq = Math.max(ackSeq, newAck);
        this.outbox.markSynced(ackSeq, new Date().toISOString());
      }
    } finally {
      // However the loop ended, the batches still on their way are waited for: the upload is
      // over only when nothing of it can still arrive (their outcomes never reject).
      await settle(inFlight);
    }
    this.outbox.markSynced(ackSeq, new Date().toISOString());
    // The failure screenshots of records the server now has; one that cannot go now waits for the next sync.
    const screenshots = await uploadScreenshots(this.outbox.db, { url: base, deviceId: this.config.deviceId, deviceToken: this.config.deviceToken }, ackSeq, this.screenshotsAllowed());
    if (screenshots.error) this.options.log?.('warn', `${screenshots.error}; it is sent again at the next sync`);
    if (screenshots.refused) this.options.log?.('warn', `${screenshots.refused} failure screenshot(s) refused for good: rpa sync status says why`);
    const anyScreenshots = screenshots.sent + screenshots.pending + screenshots.refused > 0 || screenshots.error !== undefined;
    return { sent, ackSeq, ...(anyScreenshots ? { screenshots } : {}) };
  }

  private screenshotsAllowed(): boolean {
    if (this.options.screenshotsAllowed) return this.options.screenshotsAllowed();
    return failureScreenshotsUploadAllowed(loadPolicy());
  }

  start(): void {
    this.stopped = false;
    const tick = (): void => {
      if (this.stopped) return;
      const work = this.syncOnce()
        .then(
          (result) => {
            if (this.failures) this.options.log?.('info', `audit sync resumed: ${result.sent} record(s) uploaded, server has up to ${result.ackSeq}`);
            this.failures = 0;
            this.loggedRefusal = '';
            return this.options.intervalMs ?? 5_000;
          },
          (error: unknown) => this.failed(error),
        )
        // A log that throws must not end the loop (or the process).
        .catch(() => this.options.maxBackoffMs ?? 300_000);
      this.running = work;
      void work.then((delay) => {
        if (!this.stopped) this.timer = setTimeout(tick, delay);
      });
    };
    tick();
  }

  /** Logs a failed upload and says when to try again. */
  private failed(error: unknown): number {
    this.failures++;
    const ceiling = Math.min(this.options.maxBackoffMs ?? 300_000, 1_000 * 2 ** Math.min(this.failures, 16));
    if (error instanceof SyncRefusedError) {
      const key = `${error.refusal.firstSeq}:${error.refusal.status}:${error.refusal.error}:${error.refusal.message}`;
      if (key !== this.loggedRefusal) this.options.log?.('error', `audit upload blocked: ${error.message}`);
      this.loggedRefusal = key;
      // The same batch gets the same answer: ask again only now and then (a server upgraded meanwhile may take it).
      return this.options.maxBackoffMs ?? 300_000;
    }
    if (this.failures === 1) this.options.log?.('warn', `audit sync failed; the outbox keeps growing until the server is back: ${(error as Error).message}`);
    // Exponential backoff with jitter, so a fleet of robots does not stampede a recovering server.
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  status(): unknown {
    return { server: this.config.serverUrl, failures: this.failures, ...this.outbox.counts(), refused: this.outbox.refusal() ?? null };
  }
}

/** Waits for every batch still on its way (their outcomes never reject). */
async function settle(inFlight: InFlight[]): Promise<void> {
  await Promise.all(inFlight.splice(0).map((batch) => batch.outcome));
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
