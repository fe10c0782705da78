// rpa show RUN_ID
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { parseOrUsage } from '../args.js';
import { color, formatRunReport } from '../format.js';

const USAGE = 'rpa show RUN_ID [--json]';

export function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } }), USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one run id\nusage: ${USAGE}`);
  const engine = Engine.open();
  try {
    let run;
    try {
      run = engine.getRun(positionals[0]!);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (!run) {
      console.error(`rpa show: no run ${positionals[0]} in ${engine.home.dir} (see: rpa runs)`);
      return Promise.resolve(1);
    }
    console.log(values.json ? JSON.stringify(run, null, 2) : formatRunReport(run));
    const healed = run.steps.filter((step) => step.locator?.healed);
    if (!values.json && healed.length) {
      console.log(`\n${color.bold('Healed')}  ${color.dim(`(write them into the file: rpa heal ${run.automationFile ?? 'FILE'} --run ${run.id})`)}`);
      for (const step of healed) console.log(`  ${step.path.padEnd(10)} ${step.locator!.healed!.from} → ${step.locator!.description}  (score ${step.locator!.healed!.score.toFixed(2)})`);
    }
    return Promise.resolve(0);
  } finally {
    engine.close();
  }
}
