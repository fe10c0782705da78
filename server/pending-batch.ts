// A batch on its way to being written: its checks may still be running (on a verification
// worker) while the COPY text of the records already checked comes in, chunk by chunk.
import type { PreparedBatch, PreparedChunk } from './batch-prepare.js';

export class PendingBatch {
  /** Chunks received so far, in order (all of them once verified). */
  readonly chunks: PreparedChunk[] = [];
  /** The prepared batch once every check passed; rejects with the HttpError of the check that failed. */
  readonly verified: Promise<PreparedBatch>;
  private outcome: { ok: true } | { ok: false; error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private released = false;
  private settle!: { resolve: (prepared: PreparedBatch) => void; reject: (error: unknown) => void };

  /** giveBack: takes a chunk's memory back once the batch is done with it. streamed: chunks come before the verdict. */
  constructor(
    private readonly giveBack: (text: Uint8Array) => void,
    readonly streamed: boolean,
  ) {
    this.verified = new Promise<PreparedBatch>((resolve, reject) => (this.settle = { resolve, reject }));
    // Whoever places the batch awaits this; a request that ended first must not leave it unhandled.
    this.verified.catch(() => undefined);
  }

  /** A batch checked in full already (on this thread). */
  static ready(prepared: PreparedBatch, giveBack: (text: Uint8Array) => void): PendingBatch {
    const pending = new PendingBatch(giveBack, false);
    for (const chunk of prepared.copy ?? []) pending.chunks.push(chunk);
    pending.resolve(prepared);
    return pending;
  }

  add(chunk: PreparedChunk): void {
    if (this.released) {
      this.giveBack(chunk.text);
      return;
    }
    this.chunks.push(chunk);
    this.poke();
  }

  resolve(prepared: PreparedBatch): void {
    if (this.outcome) return;
    this.outcome = { ok: true };
    this.settle.resolve(prepared);
    this.poke();
  }

  reject(error: unknown): void {
    if (this.outcome) return;
    this.outcome = { ok: false, error };
    this.settle.reject(error);
    this.poke();
  }

  /**
   * The COPY text, chunk by chunk as it comes; ends once the batch is verified and throws the
   * failed check's error otherwise, so a COPY fed from it fails (and its transaction rolls back)
   * rather than ever holding records that were not checked.
   */
  async *text(): AsyncGenerator<Uint8Array> {
    let next = 0;
    for (;;) {
      while (next < this.chunks.length) yield this.chunks[next++]!.text;
      const outcome = this.outcome;
      if (outcome) {
        if (!outcome.ok) throw outcome.error;
        while (next < this.chunks.length) yield this.chunks[next++]!.text;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Gives every chunk's memory back (call once every transaction that wrote it has settled). */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const chunk of this.chunks.splice(0)) this.giveBack(chunk.text);
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
