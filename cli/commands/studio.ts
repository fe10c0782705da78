// rpa studio [--port N] [--no-open] [--workspace DIR] [--demo]: serves the studio UI on
// 127.0.0.1 with a random session token and prints its URL; Ctrl+C stops it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD, startDemoSystem } from '../../assets/demo-system/server.js';

const DEMO_PORT = 4780;
import { Engine } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { startStudioServer, type StudioServer } from '../../engine/transport/http.js';
import { StudioService } from '../../engine/transport/studio-service.js';
import { Workspace } from '../../engine/transport/workspace.js';
import { startRecording } from '../../recorder/api.js';
import { warmOcr } from '../../engine/ocr/tesseract.js';
import { parseOrUsage } from '../args.js';

const USAGE = 'rpa studio [--port N] [--no-open] [--workspace DIR] [--demo]';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

export interface RunningStudio {
  server: StudioServer;
  service: StudioService;
  engine: Engine;
  close(): Promise<void>;
}

/** Opens the engine and serves the studio; used by `rpa studio`, `npm start` and the tests. */
export async function serveStudio(options: { port?: number; workspace?: string; env?: NodeJS.ProcessEnv; token?: string } = {}): Promise<RunningStudio> {
  const engine = Engine.open(options.env ? { env: options.env } : {});
  const workspace = new Workspace([
    options.workspace ? { name: 'workspace', dir: path.resolve(options.workspace) } : { name: 'examples', dir: path.join(REPO_ROOT, 'automations', 'examples') },
    { name: 'mine', dir: path.join(engine.home.dir, 'automations') },
  ]);
  const service = new StudioService({
    engine,
    workspace,
    startRecording: async (o) => {
      const session = await startRecording(o);
      return { ended: session.ended, steps: () => session.steps(), stop: () => session.stop(), page: session.page };
    },
  });
  // The first scanned page would otherwise pay the OCR worker's start-up; in the background, never delaying start.
  void warmOcr();
  const server = await startStudioServer({ service, rendererDir: RENDERER_DIR, ...(options.port !== undefined ? { port: options.port } : {}), ...(options.token ? { token: options.token } : {}) });
  return {
    server,
    service,
    engine,
    close: async () => {
      await server.close();
      await service.close();
      await engine.flush();
      engine.close();
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
  const studio = await serveStudio({ port, ...(values.workspace ? { workspace: values.workspace } : {}) });
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
