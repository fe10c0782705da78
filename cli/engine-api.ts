// How the CLI's state commands (and rpa run / rpa review's runs) reach the store: through the engine host of this RPA_HOME when
// one runs (rpa agent, rpa studio, the desktop app) — over its 0600 socket with its session
// token, so the host's one connection, scheduler and policy see every change at once — and by
// opening the store in this process only when none runs. The same API either way
// (engine/host/cli-api.ts).
import { Engine } from '../engine/api.js';
import { RpaError } from '../engine/errors.js';
import { resolveHome } from '../engine/home.js';
import { cliMethodRuns, cliMethodWrites, type CliApi, type CliCallOptions, type CliMethod, type CliRequest } from '../engine/host/cli-api.js';
import { CliService } from '../engine/host/cli-service.js';
import { HostClient, HostGoneError } from '../engine/host/socket.js';

/** The host stopped after the command was sent and before it answered: done or not is unknown. */
export class HostStoppedError extends RpaError {}

export interface EngineAccess {
  api: CliApi;
  /** The host's pid when the command goes through a running host. */
  hostPid: number | undefined;
  /** Where the store is, for messages. */
  storeFile: string;
  /** What opening the store found (runs of a process that is gone, marked interrupted). */
  notes: string[];
}

/**
 * Runs `work` with the CLI API: the running host's, or this process's own over the store.
 * `command` names the command in the message when the host stops before answering, and `check`
 * says how to see whether it took effect.
 */
export async function withEngine<T>(command: string, check: string, work: (access: EngineAccess) => Promise<T>): Promise<T> {
  const home = resolveHome();
  // The CLI sends its display with each run it asks for, not at hello.
  const attached = await HostClient.attach(home, { pushes: false, display: {} });
  if (attached) {
    const api: CliApi = {
      call: async <M extends CliMethod>(method: M, request: CliRequest<M>, options: CliCallOptions = {}) => {
        // The run this call runs, if it started: named when the host stops under it.
        let runId: string | undefined;
        const onEvent = options.onEvent;
        const watched: CliCallOptions = {
          ...options,
          onEvent: (event) => {
            if (event.type === 'run.started' || event.type === 'run.resumed') runId = event.runId;
            onEvent?.(event);
          },
        };
        try {
          return await attached.call(method, request, watched);
        } catch (error) {
          if (!(error instanceof HostGoneError)) throw error;
          if (cliMethodRuns(method) && runId !== undefined) {
            throw new HostStoppedError(
              `the engine host (pid ${attached.pid}) stopped while it ran ${command}'s run ${runId}: the run did not finish (cancelled when the host stopped gracefully, marked interrupted when it was killed) — check with rpa show ${runId}, then run it again (with no host running, the command runs the bot itself)`,
            );
          }
          throw new HostStoppedError(
            `the engine host (pid ${attached.pid}) stopped before it answered ${command}: ${cliMethodWrites(method) ? 'the change may or may not have been made' : 'nothing was changed'} — check with ${check}, then try again (with no host running, the command opens the store itself)`,
          );
        }
      },
    };
    try {
      return await work({ api, hostPid: attached.pid, storeFile: home.storeFile, notes: [] });
    } finally {
      attached.close();
    }
  }
  const engine = Engine.open();
  const service = new CliService({ engine });
  try {
    const notes = engine.interruptedAtOpen.map((id) => `run ${id} was left running by a process that is gone; marked interrupted`);
    return await work({ api: service, hostPid: undefined, storeFile: home.storeFile, notes });
  } finally {
    service.close();
    await engine.flush();
    engine.close();
  }
}
