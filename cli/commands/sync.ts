// rpa sync status | rpa sync now | rpa sync verify
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import type { SyncStatus } from '../../engine/host/cli-api.js';
import type { DeviceVerifyResult } from '../../engine/sync/device-verify.js';
import type { SyncResult } from '../../engine/sync/sync-client.js';
import { parseOrUsage } from '../args.js';
import { withEngine } from '../engine-api.js';
import { formatTime } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('sync');

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } }), USAGE);
  const sub = positionals[0];
  if (sub !== 'status' && sub !== 'now' && sub !== 'verify') throw new UsageError(`expected status, now or verify\nusage: ${USAGE}`);
  // Through the running engine host when there is one (its outbox, its upload loop's last error); else the store itself.
  return await withEngine(`rpa sync ${sub}`, 'rpa sync status', async ({ api }) => {
    if (sub === 'status') {
      const status = (await api.call('cli.sync.status', {})) as SyncStatus;
      if (values.json) console.log(JSON.stringify(status));
      else {
        console.log(status.enrolled ? `enrolled with ${status.server} as ${status.deviceId}` : `not enrolled (device ${status.deviceId}); records wait in the outbox until: rpa enroll URL TOKEN`);
        console.log(`audit records: ${status.records} written, ${status.uploaded} uploaded, ${status.pending} pending; signed receipts up to ${status.receipted}; last sync ${formatTime(status.lastSyncAt ?? undefined)}`);
        // A refusal for good blocks every later record: said first, whatever error came after it.
        const refused = status.refused;
        if (refused) console.log(`UPLOAD BLOCKED since ${formatTime(refused.at)}: the server refused ${refused.firstSeq === refused.lastSeq ? `record ${refused.firstSeq}` : `records ${refused.firstSeq}-${refused.lastSeq}`} (${refused.status} ${refused.error}${refused.message ? `: ${refused.message}` : ''}); update this app or the audit server`);
        if (status.lastError) console.log(`last error: ${status.lastError}`);
        const shots = status.screenshots;
        if (shots.pending + shots.uploaded + shots.refused + shots.missing > 0 || shots.allowed) {
          const waiting = shots.pending ? `, ${shots.pending} waiting${shots.allowed ? '' : ' (the machine policy keeps them here: failureScreenshots.upload is off)'}` : '';
          console.log(`failure screenshots: ${shots.uploaded} uploaded${waiting}${shots.refused ? `, ${shots.refused} refused` : ''}${shots.missing ? `, ${shots.missing} missing` : ''}${shots.lastProblem ? `; last problem: ${shots.lastProblem}` : ''}`);
        }
        for (const incident of status.incidents) console.log(`incident ${incident.at}: ${incident.message}`);
      }
      return 0;
    }
    if (sub === 'verify') {
      const result = (await api.call('cli.sync.verify', {})) as DeviceVerifyResult;
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
    const result = (await api.call('cli.sync.now', {})) as SyncResult;
    console.log(`uploaded ${result.sent} record(s); the server has this device's records up to ${result.ackSeq}`);
    const shots = result.screenshots;
    if (shots) console.log(`failure screenshots: ${shots.sent} uploaded, ${shots.pending} waiting${shots.refused ? `, ${shots.refused} refused (rpa sync status says why)` : ''}${shots.error ? `; ${shots.error}` : ''}`);
    return 0;
  });
}
