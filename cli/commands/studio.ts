// rpa studio [--port N] [--no-open] [--workspace DIR] [--demo]: serves the studio UI on
// 127.0.0.1 with a random session token and prints its URL; Ctrl+C stops it. It attaches to
// the engine host of this RPA_HOME when one runs (rpa agent, the desktop app), else it runs
// the host itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD, startDemoSystem } from '../../assets/demo-system/server.js';

const DEMO_PORT = 4780;
import type { AgentLog } from '../../engine/agent/agent.js';
import { AgentAlreadyRunningError } from '../../engine/agent/lock.js';
import { UsageError } from '../../engine/errors.js';
import { resolveHome } from '../../engine/home.js';
import type { EngineHost } from '../../engine/host/host.js';
import { HostClient } from '../../engine/host/socket.js';
import { startStudioServer, type StudioServer } from '../../engine/transport/http.js';
import type { StudioApi } from '../../engine/transport/studio-service.js';
import { parseOrUsage } from '../args.js';
import { startEngineHost } from '../host.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('studio');
const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

export interface RunningStudio {
  server: StudioServer;
  /** The studio API the server serves: this process's host's, or the attached host's. */
  service: StudioApi;
  /** The engine host, when this process started it (none ran for this RPA_HOME). */
  host: EngineHost | undefined;
  /** The running host this studio attached to, when there was one. */
  attached: HostClient | undefined;
  close(): Promise<void>;
}

const quietLog: AgentLog = (level, message) => {
  if (level !== 'info') process.stderr.write(`${level}: ${message}\n`);
};

/**
 * Attaches to the engine host of this RPA_HOME when one runs (rpa agent, the desktop app,
 * another rpa studio), else starts one in this process; then serves the studio over HTTP.
 * Used by `rpa studio`, `npm start` and the tests.
 */
export async function serveStudio(options: { port?: number; workspace?: string; env?: NodeJS.ProcessEnv; token?: string; log?: AgentLog } = {}): Promise<RunningStudio> {
  const env = options.env ?? process.env;
  const home = resolveHome(env);
  let attached = await HostClient.attach(home);
  let host: EngineHost | undefined;
  if (!attached) {
    try {
      host = await startEngineHost({ env, log: options.log ?? quietLog, ...(options.workspace ? { workspace: options.workspace } : {}) });
    } catch (error) {
      // Another host took the lock meanwhile (started together): attach to it once it listens.
      if (!(error instanceof AgentAlreadyRunningError)) throw error;
      const deadline = Date.now() + 15_000;
      while (!(attached = await HostClient.attach(home)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      if (!attached) throw error;
    }
  }
  const service: StudioApi = attached ?? host!.service;
  const server = await startStudioServer({ service, rendererDir: RENDERER_DIR, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.token ? { token: options.token } : {}) });
  return {
    server,
    service,
    host,
    attached,
    close: async () => {
      await server.close();
      attached?.close();
      await host?.close();
    },
  };
}

function openInBrowser(url: string): void {
  const [command, args]: [string, string[]] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write('could not open a browser; open the URL above yourself\n'));
  child.unref();
}

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () => parseArgs({ args, allowPositionals: true, options: { port: { type: 'string' }, 'no-open': { type: 'boolean' }, workspace: { type: 'string' }, demo: { type: 'boolean' } } }),
    USAGE,
  );
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}\nusage: ${USAGE}`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port}: expected a port number from 0 to 65535\nusage: ${USAGE}`);
  // The demo system on the examples' default baseUrl port when it is free, so they run as they are.
  const demo = values.demo ? await startDemoSystem({ port: DEMO_PORT, host: '127.0.0.1' }).catch(() => startDemoSystem({ port: 0, host: '127.0.0.1' })) : undefined;
  // The demo's sign-in is public test data (README); only a demo session gets it, and a value
  // the user configured wins.
  if (demo && !process.env['RPA_SECRET_PORTALPASSWORD']) process.env['RPA_SECRET_PORTALPASSWORD'] = DEMO_PASSWORD;
  const log: AgentLog = (level, message) => process.stdout.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  const studio = await serveStudio({ port, log, ...(values.workspace ? { workspace: values.workspace } : {}) });
  if (studio.attached) {
    console.log(`Attached to the engine host (pid ${studio.attached.pid}) that already runs for this RPA_HOME: its schedules, workspace and audit sync; closing this studio leaves it running.`);
    if (values.workspace) console.log(`--workspace ${values.workspace} is not used: the running host serves its own workspace`);
    studio.attached.onClose(() => {
      process.stderr.write('the engine host stopped; start rpa studio again (it starts a host when none runs)\n');
      process.exit(1);
    });
  } else {
    console.log('Engine host started in this process: schedules, folder triggers, queues and audit sync run while it runs (rpa agent keeps them running without the studio).');
  }
  if (demo) console.log(`Demo claims system: ${demo.url}${demo.url.endsWith(`:${DEMO_PORT}`) ? '  (the examples\' default baseUrl)' : `  (run the examples with input baseUrl=${demo.url})`}`);
  console.log(`RPA Studio: ${studio.server.url}`);
  console.log('Press Ctrl+C to stop.');
  if (!values['no-open']) openInBrowser(studio.server.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await studio.close();
  await demo?.close();
  return 0;
}
