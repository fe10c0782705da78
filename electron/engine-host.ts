// The engine host in its own process (Electron utilityProcess): a crashing bot takes down this
// process, never the tray. It is the same host `rpa agent` runs (engine/host/host.ts): the
// store on one connection, the scheduler, folder triggers, queue workers, review resumption,
// the audit upload loop, the warm OCR worker and the studio API, also served on the per-user
// socket so `rpa studio` attaches to it. Answers studio API calls from the main process over
// parentPort and forwards pushed messages.
import { readFileSync } from 'node:fs';
import { AgentAlreadyRunningError } from '../engine/agent/lock.js';
import { serializeError } from '../engine/errors.js';
import { EngineHost } from '../engine/host/host.js';
import { startRecording } from '../recorder/api.js';
import type { HostMessage, HostRequest } from './channels.js';

interface ParentPort {
  on(event: 'message', listener: (event: { data: HostRequest }) => void): void;
  postMessage(message: HostMessage): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('engine-host runs inside an Electron utilityProcess');

/** Exit code when another host already runs for this RPA_HOME: the main process attaches to it instead. */
const HOST_ALREADY_RUNNING = 3;

// Listening first: requests that come while the host starts wait for it.
let resolveHost: (host: EngineHost) => void = () => undefined;
const ready = new Promise<EngineHost>((resolve) => (resolveHost = resolve));
port.on('message', ({ data }) => {
  const answer = async (): Promise<unknown> => {
    const { service } = await ready;
    return 'artifact' in data ? readFileSync(service.artifactFile(data.artifact.runId, data.artifact.name)) : service.call(data.method, data.request);
  };
  answer().then(
    (value) => port.postMessage({ id: data.id, ok: true, value }),
    (error: unknown) => port.postMessage({ id: data.id, ok: false, error: serializeError(error) }),
  );
});

let host: EngineHost;
try {
  host = await EngineHost.start({
    log: (level, message) => console.log(`${new Date().toISOString()} ${level.padEnd(5)} ${message}`),
    startRecording: async (options) => {
      const session = await startRecording(options);
      return { ended: session.ended, page: session.page, steps: () => session.steps(), stop: () => session.stop() };
    },
  });
} catch (error) {
  console.error(`the engine host did not start: ${(error as Error).message}`);
  process.exit(error instanceof AgentAlreadyRunningError ? HOST_ALREADY_RUNNING : 1);
}
host.service.onPush((push) => port.postMessage({ push }));
resolveHost(host);
// The main process kills this process when the app quits: stop gracefully (bots get their grace period).
process.once('SIGTERM', () => void host.close().then(() => process.exit(0)));
