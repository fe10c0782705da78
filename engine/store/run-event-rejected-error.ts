// Raised by RunStore.record() when an event contradicts what the store already holds.
import type { RunEvent } from '../events.js';

/**
 * A distinct class so the runner can tell "this event is wrong" (a bug, or a run
 * already marked interrupted) from I/O failures of the store itself.
 */
export class RunEventRejectedError extends Error {
  override readonly name = 'RunEventRejectedError';
  readonly runId: string;
  readonly seq: number;
  readonly eventType: RunEvent['type'];

  constructor(event: RunEvent, reason: string) {
    super(`run event ${event.type} (run ${event.runId}, seq ${event.seq}) rejected: ${reason}`);
    this.runId = event.runId;
    this.seq = event.seq;
    this.eventType = event.type;
  }
}
