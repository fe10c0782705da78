// rpa sync status | rpa sync now | rpa sync verify
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { verifyServerHoldings } from '../../engine/sync/device-verify.js';
import { ReceiptStore } from '../../engine/sync/receipts.js';
import { readSyncConfig, SyncClient } from '../../engine/sync/sync-client.js';
import { parseOrUsage } from '../args.js';
import { formatTime } from '../format.js';

const USAGE = 'rpa sync status [--json] | rpa sync now | rpa sync verify [--json]';

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } }), USAGE);
  const sub = positionals[0];
  if (sub !== 'status' && sub !== 'now' && sub !== 'verify') throw new UsageError(`expected status, now or verify\nusage: ${USAGE}`);
  const engine = Engine.open();
  try {
    const config = readSyncConfig(engine.home);
    const state = engine.outbox.state();
    const counts = engine.outbox.counts();
    if (sub === 'status') {
      const refused = engine.outbox.refusal() ?? null;
      const receipts = new ReceiptStore(engine.outbox.db);
      const incidents = receipts.incidents();
      const status = {
        enrolled: !!config,
        server: config?.serverUrl ?? null,
        deviceId: state.device_id,
        records: counts.total,
        uploaded: state.acked_seq,
        pending: counts.pending,
        receipted: receipts.lastReceiptedSeq(),
        lastSyncAt: state.last_sync_at,
        lastError: state.last_error,
        refused,
        incidents,
      };
      if (values.json) console.log(JSON.stringify(status));
      else {
        console.log(config ? `enrolled with ${config.serverUrl} as ${state.device_id}` : `not enrolled (device ${state.device_id}); records wait in the outbox until: rpa enroll URL TOKEN`);
        console.log(`audit records: ${counts.total} written, ${state.acked_seq} uploaded, ${counts.pending} pending; signed receipts up to ${status.receipted}; last sync ${formatTime(state.last_sync_at ?? undefined)}`);
        // A refusal for good blocks every later record: said first, whatever error came after it.
        if (refused) console.log(`UPLOAD BLOCKED since ${formatTime(refused.at)}: the server refused ${refused.firstSeq === refused.lastSeq ? `record ${refused.firstSeq}` : `records ${refused.firstSeq}-${refused.lastSeq}`} (${refused.status} ${refused.error}${refused.message ? `: ${refused.message}` : ''}); update this app or the audit server`);
        if (state.last_error) console.log(`last error: ${state.last_error}`);
        for (const incident of incidents) console.log(`incident ${incident.at}: ${incident.message}`);
      }
      return 0;
    }
    if (!config) throw new UsageError('not enrolled: run rpa enroll URL TOKEN first');
    if (sub === 'verify') {
      const result = await verifyServerHoldings(engine.outbox, config);
      if (values.json) console.log(JSON.stringify(result));
      else {
        console.log(
          result.ok
            ? `ok: ${result.server} holds every record it acknowledged to this device (${result.receipts} signed receipts up to record ${result.receiptedSeq}; ${result.compared} record hashes compared${result.anchorSeq ? `; records 1-${result.anchorSeq} deleted by a signed retention run` : ''})`
            : `NOT OK: ${result.server} does not hold everything it acknowledged to this device`,
        );
        for (const problem of result.problems) console.log(`  record ${problem.seq}: ${problem.reason}`);
        for (const incident of result.incidents) console.log(`  incident ${incident.at}: ${incident.message}`);
      }
      return result.ok ? 0 : 3;
    }
    const result = await new SyncClient(engine.home, engine.outbox, config).syncOnce();
    console.log(`uploaded ${result.sent} record(s); the server has this device's records up to ${result.ackSeq}`);
    return 0;
  } finally {
    engine.close();
  }
}
