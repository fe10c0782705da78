// A verification worker (see verify-pool.ts): parses a batch body and runs every check of it
// that needs no database, sending the COPY text of each slice of records as it is written, then
// the verdict: the prepared batch or the HttpError it earned. COPY text memory is transferred
// both ways (it comes back once written, for the next batch).
import { parentPort } from 'node:worker_threads';
import { BufferPool, parseJsonBody, prepareBatch } from './batch-prepare.js';
import { HttpError } from './http.js';
import type { VerifyJob, VerifyReply } from './verify-pool.js';

const buffers = new BufferPool(16, 256 * 1024);

const send = (reply: VerifyReply, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(reply, transfer);

parentPort?.on('message', (message: VerifyJob | { giveBack: Uint8Array }) => {
  if ('giveBack' in message) {
    buffers.give(message.giveBack);
    return;
  }
  void answer(message);
});

async function answer(job: VerifyJob): Promise<void> {
  try {
    // Nothing else runs on this thread: no need to slice the checks for the event loop.
    const prepared = await prepareBatch(parseJsonBody(job.body), job.deviceId, job.publicKey, {
      useCopy: true,
      detailAsJson: true,
      buffers,
      sliced: false,
      onChunk: (chunk) => send({ id: job.id, chunk }, [chunk.text.buffer as ArrayBuffer]),
    });
    send({ id: job.id, ok: true, prepared });
  } catch (error) {
    if (error instanceof HttpError) send({ id: job.id, ok: false, status: error.status, body: error.body });
    else send({ id: job.id, ok: false, status: 500, body: { error: 'internal', message: error instanceof Error ? error.message : String(error) } });
  }
}
