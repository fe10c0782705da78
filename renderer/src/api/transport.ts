// How the renderer reaches the engine: one interface, two implementations (HTTP + WebSocket
// for `rpa studio`, IPC through the Electron preload bridge). Screens only see this.
import type { Method, Pushed, RequestOf, ResponseOf } from '../../../engine/transport/messages.js';

export type { Method, Pushed, RequestOf, ResponseOf };

export interface Transport {
  call<M extends Method>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  /** Pushed messages (run events, debugger pauses, recording steps). Returns the unsubscribe function. */
  subscribe(listener: (message: Pushed) => void): () => void;
  /** A URL the page can show (an object URL) for a run's artifact. */
  artifactUrl(runId: string, name: string): Promise<string>;
  /**
   * Calls `listener` once this page's session has ended for good (the studio restarted with a
   * new token): nothing this page asks will be answered again. Returns the unsubscribe function.
   */
  onExpired?(listener: () => void): () => void;
}

/** The error of every call made after the session ended. */
export const SESSION_EXPIRED = 'SessionExpiredError';

/** An error from the engine, rebuilt on this side of the boundary. */
export class ApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
    readonly status?: number,
  ) {
    super(message);
  }

  /** Validation issues, when the engine refused an invalid automation. */
  get issues(): Array<{ file: string; path: string; message: string }> {
    return (this.details?.['issues'] as Array<{ file: string; path: string; message: string }> | undefined) ?? [];
  }
}
