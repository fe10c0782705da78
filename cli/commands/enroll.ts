// rpa enroll URL TOKEN: registers this machine with the audit server (a new Ed25519 key).
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { assertAuditServerAllowed } from '../../engine/policy/effective.js';
import { requirePolicy } from '../../engine/policy/policy.js';
import { enroll, enrollFromPolicy, readSyncConfig } from '../../engine/sync/sync-client.js';
import { parseOrUsage } from '../args.js';
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
  const engine = Engine.open();
  try {
    // A machine policy that names the audit server allows no other.
    assertAuditServerAllowed(engine.policyState(), url);
    const existing = readSyncConfig(engine.home);
    if (existing && !values.force) throw new UsageError(`already enrolled with ${existing.serverUrl} as ${existing.deviceId} (use --force to enroll again)`);
    const config = await enroll(engine.home, engine.outbox, url, token);
    console.log(`enrolled with ${config.serverUrl} as device ${config.deviceId}; ${engine.outbox.counts().pending} audit record(s) waiting to upload (rpa sync now, or run rpa agent)`);
    return 0;
  } finally {
    engine.close();
  }
}

/** rpa enroll --policy: the server and enrollment token from the machine policy. */
async function enrollByPolicy(): Promise<number> {
  const engine = Engine.open();
  try {
    const state = engine.policyState();
    const policy = requirePolicy(state);
    if (!policy?.auditServer) throw new UsageError(`the machine policy (${state.file}) names no audit server; use rpa enroll SERVER_URL TOKEN`);
    const config = await enrollFromPolicy(engine.home, engine.outbox, policy);
    console.log(`enrolled with ${config!.serverUrl} as device ${config!.deviceId} (from the machine policy)`);
    return 0;
  } finally {
    engine.close();
  }
}
