// rpa runs [--last N] [--json]
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RunSummary } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { parseOrUsage } from '../args.js';
import { withEngine } from '../engine-api.js';
import { formatDuration, formatTime, statusText } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('runs');

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { last: { type: 'string' }, json: { type: 'boolean' } } }), USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}\nusage: ${USAGE}`);
  const last = values.last === undefined ? 20 : Number(values.last);
  if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last expects a whole number above 0, got ${values.last}`);
  // Through the running engine host when there is one; else from the store itself.
  const { runs, storeFile } = await withEngine('rpa runs', 'rpa runs', async ({ api, storeFile }) => ({ runs: (await api.call('cli.runs.list', { last })) as RunSummary[], storeFile }));
  if (values.json) {
    for (const run of runs) {
      process.stdout.write(
        `${JSON.stringify({ id: run.id, automation: run.automationId, automationName: run.automationName, version: run.automationVersion, status: run.status, startedAt: run.startedAt, endedAt: run.endedAt ?? null, durationMs: run.durationMs ?? null, stepsPassed: run.stepsPassed, stepsFailed: run.stepsFailed, error: run.error ?? null })}\n`,
      );
    }
    return 0;
  }
  if (!runs.length) {
    console.log(`no runs yet in ${path.dirname(storeFile)}`);
    return 0;
  }
  console.log(`${'RUN'.padEnd(26)}  ${'STATUS'.padEnd(11)}  ${'STARTED'.padEnd(19)}  ${'TOOK'.padEnd(8)}  AUTOMATION`);
  for (const run of runs) {
    const status = statusText(run.status) + ' '.repeat(Math.max(0, 11 - run.status.length));
    console.log(`${run.id}  ${status}  ${formatTime(run.startedAt)}  ${formatDuration(run.durationMs).padEnd(8)}  ${run.automationId} ${run.automationVersion}`);
  }
  return 0;
}
