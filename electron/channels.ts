// IPC channel names between the renderer's preload bridge and the main process (one list;
// preload.cts repeats the three strings because a sandboxed preload cannot import files).
export const Channel = {
  /** renderer → main: one studio API call; answered with { ok, value } or { ok: false, error }. */
  call: 'rpa:call',
  /** renderer → main: a run artifact's bytes. */
  artifact: 'rpa:artifact',
  /** main → renderer: a pushed message (run events, debugger pauses, recording steps, reviews). */
  pushed: 'rpa:pushed',
} as const;

/** Messages between the main process and the engine's utility process. */
export type HostRequest = { id: number; method: string; request: unknown } | { id: number; artifact: { runId: string; name: string } };
export type HostMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; details?: Record<string, unknown> } }
  | { push: unknown };
