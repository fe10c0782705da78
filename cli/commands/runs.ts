// rpa runs [--last N] [--json]
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { parseOrUsage } from '../args.js';
import { formatDuration, formatTime, statusText } from '../format.js';

const USAGE = 'rpa runs [--last N] [--json]';

export function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { last: { type: 'string' }, json: { type: 'boolean' } } }), USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}\nusage: ${USAGE}`);
  const last = values.last === undefined ? 20 : Number(values.last);
  if (!Number.isInteger(last) || last < 1) throw new UsageError(`--last expects a whole number above 0, got ${values.last}`);
  const engine = Engine.open();
  try {
    const runs = engine.listRuns({ last });
    if (values.json) {
      for (const run of runs) {
        process.stdout.write(
          `${JSON.stringify({ id: run.id, automation: run.automationId, automationName: run.automationName, version: run.automationVersion, status: run.status, startedAt: run.startedAt, endedAt: run.endedAt ?? null, durationMs: run.durationMs ?? null, stepsPassed: run.stepsPassed, stepsFailed: run.stepsFailed, error: run.error ?? null })}\n`,
        );
      }
      return Promise.resolve(0);
    }
    if (!runs.length) {
      console.log(`no runs yet in ${engine.home.dir}`);
      return Promise.resolve(0);
    }
    console.log(`${'RUN'.padEnd(26)}  ${'STATUS'.padEnd(11)}  ${'STARTED'.padEnd(19)}  ${'TOOK'.padEnd(8)}  AUTOMATION`);
    for (const run of runs) {
      const status = statusText(run.status) + ' '.repeat(Math.max(0, 11 - run.status.length));
      console.log(`${run.id}  ${status}  ${formatTime(run.startedAt)}  ${formatDuration(run.durationMs).padEnd(8)}  ${run.automationId} ${run.automationVersion}`);
    }
    return Promise.resolve(0);
  } finally {
    engine.close();
  }
}
