// The engine host as the CLI starts it (rpa agent, rpa studio): with the browser recorder,
// which engine/ may not import itself.
import { EngineHost, type EngineHostOptions } from '../engine/host/host.js';
import { startRecording } from '../recorder/api.js';

export function startEngineHost(options: Omit<EngineHostOptions, 'startRecording'> = {}): Promise<EngineHost> {
  return EngineHost.start({
    ...options,
    startRecording: async (o) => {
      const session = await startRecording(o);
      return { ended: session.ended, steps: () => session.steps(), stop: () => session.stop(), page: session.page };
    },
  });
}
