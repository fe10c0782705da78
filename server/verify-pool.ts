// Verification workers for POST /v1/ingest on PostgreSQL. A batch's checks (parse 330 KiB of
// JSON, canonical JSON and SHA-256 of 500 records, the signature, COPY text) are ~10 ms of CPU;
// on the server thread they shared one core with HTTP and the database driver. Here they run on
// worker threads, and the COPY text of each slice of records comes back as soon as it is written,
// so PostgreSQL inserts the first records while the worker still checks the last (ingest.ts
// placeStaged; nothing commits before the whole batch is verified).
// A worker that dies fails only the batches it held (500, the device re-sends) and is replaced.
import { Worker } from 'node:worker_threads';
import type { PreparedBatch, PreparedChunk } from './batch-prepare.js';
import { HttpError } from './http.js';
import { PendingBatch } from './pending-batch.js';

export interface VerifyJob {
  id: number;
  body: Uint8Array;
  deviceId: string;
  publicKey: string | undefined;
}

export type VerifyReply =
  | { id: number; chunk: PreparedChunk }
  | { id: number; ok: true; prepared: PreparedBatch }
  | { id: number; ok: false; status: number; body: { error: string; message: string } & Record<string, unknown> };

class VerifyWorker {
  readonly worker: Worker;
  readonly pending = new Map<number, PendingBatch>();
  dead = false;

  constructor(onGone: (slot: VerifyWorker) => void) {
    this.worker = new Worker(new URL('./verify-worker.js', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (reply: VerifyReply) => {
      const batch = this.pending.get(reply.id);
      if ('chunk' in reply) {
        if (batch) batch.add(reply.chunk);
        else this.giveBack(reply.chunk.text);
        return;
      }
      if (!batch) return;
      this.pending.delete(reply.id);
      if (reply.ok) batch.resolve(reply.prepared);
      // A worker's own failure is logged and answered as any 500 is (no internals to the caller).
      else batch.reject(reply.status >= 500 ? new Error(`batch verification failed: ${reply.body.message}`) : new HttpError(reply.status, reply.body));
    });
    const fail = (error: Error) => {
      if (this.dead) return;
      this.dead = true;
      for (const batch of this.pending.values()) batch.reject(new Error(`the verification worker stopped: ${error.message}`));
      this.pending.clear();
      onGone(this);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  /** COPY text goes back to the worker that wrote it, for its next batch. */
  giveBack(text: Uint8Array): void {
    if (this.dead || text.buffer.byteLength === 0) return;
    try {
      this.worker.postMessage({ giveBack: text }, [text.buffer as ArrayBuffer]);
    } catch {
      // the worker is going away; the memory is simply dropped
    }
  }
}

export class VerifyPool {
  private readonly workers: VerifyWorker[] = [];
  private nextId = 1;
  private closed = false;

  /** size: worker threads (at least 1). */
  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a verification pool needs at least one worker, not ${size}`);
  }

  /**
   * Parses and checks a batch body on a worker (see prepareBatch); returns at once. The body's
   * memory goes to the worker when the body owns it whole, else it is copied.
   */
  prepare(body: Uint8Array, deviceId: string, publicKey: string | undefined): PendingBatch {
    const slot = this.closed ? undefined : this.leastBusy();
    const batch = new PendingBatch((text) => slot?.giveBack(text), true);
    if (!slot) {
      batch.reject(new Error('the verification pool is closed'));
      return batch;
    }
    const id = this.nextId++;
    const owned = body.byteOffset === 0 && body.buffer instanceof ArrayBuffer && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body);
    slot.pending.set(id, batch);
    try {
      slot.worker.postMessage({ id, body: owned, deviceId, publicKey } satisfies VerifyJob, [owned.buffer as ArrayBuffer]);
    } catch (error) {
      slot.pending.delete(id);
      batch.reject(error);
    }
    return batch;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((slot) => slot.worker.terminate()));
  }

  /** Batches being checked now. */
  get busy(): number {
    return this.workers.reduce((sum, slot) => sum + slot.pending.size, 0);
  }

  /** Workers now running (a dead one is replaced on the next batch). */
  get running(): number {
    return this.workers.length;
  }

  /** For tests: ends a worker as a crash would. */
  async killOne(): Promise<void> {
    await this.workers[0]?.worker.terminate();
  }

  private leastBusy(): VerifyWorker {
    while (this.workers.length < this.size) {
      this.workers.push(
        new VerifyWorker((gone) => {
          const index = this.workers.indexOf(gone);
          if (index >= 0) this.workers.splice(index, 1);
        }),
      );
    }
    let best = this.workers[0]!;
    for (const slot of this.workers) if (slot.pending.size < best.pending.size) best = slot;
    return best;
  }
}
