// rpa enroll URL TOKEN: registers this machine with the audit server (a new Ed25519 key).
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { parseOrUsage } from '../args.js';
import { withEngine } from '../engine-api.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('enroll');

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' }, policy: { type: 'boolean' } } }), USAGE);
  if (values.policy) return enrollByPolicy();
  if (positionals.length !== 2) throw new UsageError(`expected the server URL and an enrollment token\nusage: ${USAGE}`);
  const [url, token] = positionals as [string, string];
  try {
    new URL(url);
  } catch {
    throw new UsageError(`${url} is not a URL`);
  }
  // Through the engine host when one runs: its upload loop starts with the new enrollment at once.
  return await withEngine('rpa enroll', 'rpa sync status', async ({ api, hostPid }) => {
    const config = (await api.call('cli.sync.enroll', { url, token, force: values.force ?? false })) as { serverUrl: string; deviceId: string; pending: number };
    const uploads = hostPid !== undefined ? `the engine host (pid ${hostPid}) uploads them now` : 'rpa sync now, or run rpa agent';
    console.log(`enrolled with ${config.serverUrl} as device ${config.deviceId}; ${config.pending} audit record(s) waiting to upload (${uploads})`);
    return 0;
  });
}

/** rpa enroll --policy: the server and enrollment token from the machine policy. */
async function enrollByPolicy(): Promise<number> {
  return await withEngine('rpa enroll --policy', 'rpa sync status', async ({ api }) => {
    const config = (await api.call('cli.sync.enrollFromPolicy', {})) as { serverUrl: string; deviceId: string };
    console.log(`enrolled with ${config.serverUrl} as device ${config.deviceId} (from the machine policy)`);
    return 0;
  });
}
