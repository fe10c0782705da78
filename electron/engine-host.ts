// The engine in its own process (Electron utilityProcess): a crashing bot takes down this
// process, never the tray. Answers studio API calls from the main process over parentPort
// and forwards pushed messages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../engine/api.js';
import { serializeError } from '../engine/errors.js';
import { StudioService } from '../engine/transport/studio-service.js';
import { Workspace } from '../engine/transport/workspace.js';
import { startRecording } from '../recorder/api.js';
import type { HostMessage, HostRequest } from './channels.js';

interface ParentPort {
  on(event: 'message', listener: (event: { data: HostRequest }) => void): void;
  postMessage(message: HostMessage): void;
}

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('engine-host runs inside an Electron utilityProcess');

const examples = fileURLToPath(new URL('../../automations/examples/', import.meta.url));
const engine = Engine.open();
const service = new StudioService({
  engine,
  workspace: new Workspace([
    { name: 'examples', dir: examples },
    { name: 'mine', dir: path.join(engine.home.dir, 'automations') },
  ]),
  startRecording: async (options) => {
    const session = await startRecording(options);
    return { ended: session.ended, page: session.page, steps: () => session.steps(), stop: () => session.stop() };
  },
});
service.onPush((push) => port.postMessage({ push }));

port.on('message', ({ data }) => {
  const answer = async (): Promise<unknown> => ('artifact' in data ? readFileSync(service.artifactFile(data.artifact.runId, data.artifact.name)) : service.call(data.method, data.request));
  answer().then(
    (value) => port.postMessage({ id: data.id, ok: true, value }),
    (error: unknown) => port.postMessage({ id: data.id, ok: false, error: serializeError(error) }),
  );
});
