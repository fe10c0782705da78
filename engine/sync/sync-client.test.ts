// The sync client against a scripted audit server (node:http), for what a real one does only by
// bad luck: the second batch in flight failing while the first is still awaited, a connection
// dropped mid-answer, and each kind of non-success answer sorted into "try again later" or
// "refused for good".
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateDeviceKeys } from '../../audit/index.js';
import { resolveHome, type RpaHome } from '../home.js';
import { FakeRun } from '../store/fake-run.js';
import { RunStore } from '../store/run-store.js';
import { SyncClient, SyncError, SyncRefusedError, type SyncConfig } from './sync-client.js';

/** firstSeq: the seq of the batch's first record (which batch it is, whatever order they arrive in). */
type Handler = (request: IncomingMessage, response: ServerResponse, firstSeq: number) => void;

async function scripted(onIngest: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url?.endsWith('/ack')) {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ seq: 0, hash: '0'.repeat(64) }));
      return;
    }
    // A server of before signed receipts: no key to pin (the client goes on without receipts).
    if (request.url !== '/v1/ingest') {
      response.statusCode = 404;
      response.end('{"error":"not_found"}');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => onIngest(request, response, (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records: Array<{ seq: number }> }).records[0]!.seq));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

/** A home with 1,500 records waiting (three batches) and a device key. */
function backlog(): { home: RpaHome; store: RunStore } {
  const home = resolveHome({ RPA_HOME: mkdtempSync(path.join(os.tmpdir(), 'rpa-sync-client-')) });
  writeFileSync(path.join(home.dir, 'device.key'), generateDeviceKeys().privateKeyPem);
  const store = RunStore.open(home.storeFile);
  const run = new FakeRun('r');
  store.record(run.started());
  for (let i = 0; i < 1_498; i++) store.record(run.next({ type: 'log', level: 'info', message: `line ${i}` }));
  store.record(run.finished());
  return { home, store };
}

const config = (url: string, store: RunStore): SyncConfig => ({ serverUrl: url, deviceId: store.outbox.state().device_id, deviceToken: 'dev_x', enrolledAt: new Date().toISOString() });

describe('sync client failures', () => {
  const { home, store } = backlog();
  const servers: Server[] = [];
  after(() => {
    store.close();
    for (const server of servers) server.close();
  });
  const upload = async (onIngest: Handler) => {
    const { url, server } = await scripted(onIngest);
    servers.push(server);
    return new SyncClient(home, store.outbox, config(url, store)).syncOnce();
  };

  it('handles the second batch failing while the first is still awaited (no unhandled rejection)', async () => {
    let unhandled: unknown;
    const onUnhandled = (reason: unknown) => (unhandled = reason);
    process.prependListener('unhandledRejection', onUnhandled);
    try {
      // Batch 1 is answered only after batch 2's connection was dropped.
      let answerFirst: (() => void) | undefined;
      const error = await upload((_request, response, firstSeq) => {
        if (firstSeq === 1) {
          answerFirst = () => response.destroy();
          return;
        }
        response.destroy();
        setTimeout(() => answerFirst?.(), 200);
      }).catch((caught: unknown) => caught);
      assert.ok(error instanceof SyncError, String(error));
      assert.match((error as Error).message, /^audit server http:\/\/127\.0\.0\.1:\d+ unreachable: other side closed/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(unhandled, undefined, `unhandled rejection: ${String(unhandled)}`);
      assert.equal(store.outbox.counts().pending, 1_500, 'nothing marked as uploaded');
    } finally {
      process.removeListener('unhandledRejection', onUnhandled);
    }
  });

  it('says so when the server goes away in the middle of its answer', async () => {
    const error = await upload((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"ackSeq":');
      setTimeout(() => response.destroy(), 20);
    }).catch((caught: unknown) => caught);
    assert.ok(error instanceof SyncError);
    assert.match((error as Error).message, /went away while answering \(200\)/);
  });

  for (const [status, body, refused] of [
    [500, { error: 'internal', message: 'internal server error' }, false],
    [503, {}, false],
    [401, { error: 'unauthorized', message: 'missing or unknown bearer token' }, false],
    [403, { error: 'forbidden', message: 'x' }, false],
    [429, { error: 'rate_limited', message: 'slow down' }, false],
    [400, { error: 'invalid_batch', message: 'records.0.ts: expected an RFC 3339 date-time' }, true],
    [409, { error: 'conflict', message: 'seq 1 was already accepted with another hash', seq: 1 }, true],
    [413, { error: 'fst_err_ctp_body_too_large', message: 'Request body is too large' }, true],
  ] as const) {
    it(`${status} ${'error' in body ? body.error : ''}: ${refused ? 'refused for good, narrowed to one record' : 'tried again later'}`, async () => {
      let requests = 0;
      const error = await upload((_request, response) => {
        requests++;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      }).catch((caught: unknown) => caught);
      assert.ok(error instanceof SyncError);
      assert.equal(error instanceof SyncRefusedError, refused, error.message);
      assert.doesNotMatch(error.message, /\n/, 'one line');
      if (error instanceof SyncRefusedError) {
        assert.deepEqual([error.refusal.firstSeq, error.refusal.lastSeq, error.refusal.status], [1, 1, status]);
        assert.deepEqual(store.outbox.refusal()?.firstSeq, 1);
        assert.ok(requests >= 9, `halved from 500 records to 1: ${requests} requests`);
      } else {
        assert.equal(store.outbox.refusal(), undefined);
        assert.match(store.outbox.state().last_error ?? '', new RegExp(`\\(${status}\\)`));
      }
      store.outbox.markSynced(0, new Date().toISOString()); // clears the refusal for the next case
    });
  }
});
