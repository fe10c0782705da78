// rpa show RUN_ID
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RunDetail } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { parseOrUsage } from '../args.js';
import { withEngine } from '../engine-api.js';
import { color, formatRunReport } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('show');

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } }), USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one run id\nusage: ${USAGE}`);
  // Through the running engine host when there is one; else from the store itself.
  const { run, storeFile } = await withEngine('rpa show', 'rpa show', async ({ api, storeFile }) => ({ run: (await api.call('cli.runs.show', { run: positionals[0]! })) as RunDetail | null, storeFile }));
  if (!run) {
    console.error(`rpa show: no run ${positionals[0]} in ${path.dirname(storeFile)} (see: rpa runs)`);
    return 1;
  }
  console.log(values.json ? JSON.stringify(run, null, 2) : formatRunReport(run));
  const healed = run.steps.filter((step) => step.locator?.healed);
  if (!values.json && healed.length) {
    console.log(`\n${color.bold('Healed')}  ${color.dim(`(write them into the file: rpa heal ${run.automationFile ?? 'FILE'} --run ${run.id})`)}`);
    for (const step of healed) console.log(`  ${step.path.padEnd(10)} ${step.locator!.healed!.from} → ${step.locator!.description}  (score ${step.locator!.healed!.score.toFixed(2)})`);
  }
  return 0;
}
