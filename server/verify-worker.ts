// A verification worker (see verify-pool.ts): parses a batch body and runs every check of it
// that needs no database, then writes its COPY text, off the server thread. Answers each job with
// the prepared batch (the COPY text's memory transferred) or the HttpError it earned.
import { parentPort } from 'node:worker_threads';
import { BufferPool, parseJsonBody, prepareBatch } from './batch-prepare.js';
import { HttpError } from './http.js';
import type { VerifyJob, VerifyReply } from './verify-pool.js';

// COPY texts come back here when the server thread is done with them (see VerifyPool.giveBack).
const buffers = new BufferPool(8, 1024 * 1024);

parentPort?.on('message', (message: VerifyJob | { giveBack: Uint8Array }) => {
  if ('giveBack' in message) {
    buffers.give(message.giveBack);
    return;
  }
  void answer(message).then(
    ({ reply, transfer }) => parentPort?.postMessage(reply, transfer),
    (error: unknown) => parentPort?.postMessage({ id: message.id, ok: false, status: 500, body: { error: 'internal', message: error instanceof Error ? error.message : String(error) } } satisfies VerifyReply),
  );
});

async function answer(job: VerifyJob): Promise<{ reply: VerifyReply; transfer: ArrayBuffer[] }> {
  try {
    // Nothing else runs on this thread: no need to slice the checks for the event loop.
    const prepared = await prepareBatch(parseJsonBody(job.body), job.deviceId, job.publicKey, { useCopy: true, buffers, sliced: false });
    return { reply: { id: job.id, ok: true, prepared }, transfer: prepared.copy ? [prepared.copy.text.buffer as ArrayBuffer] : [] };
  } catch (error) {
    if (error instanceof HttpError) return { reply: { id: job.id, ok: false, status: error.status, body: error.body }, transfer: [] };
    throw error;
  }
}
