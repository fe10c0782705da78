// rpa run FILE [--input k=v ...] [--headed] [--json]
import { parseArgs } from 'node:util';
import { Engine } from '../../engine/api.js';
import { UsageError } from '../../engine/errors.js';
import { parseInputs, parseOrUsage } from '../args.js';
import { formatRunReport } from '../format.js';
import { ProgressPrinter } from '../progress.js';

const USAGE = 'rpa run FILE [--input name=value ...] [--headed] [--json]';


export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: { input: { type: 'string', short: 'i', multiple: true }, headed: { type: 'boolean' }, json: { type: 'boolean' } },
      }),
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one automation file, got ${positionals.length}\nusage: ${USAGE}`);
  const inputs = parseInputs(values.input ?? [], USAGE);
  const engine = Engine.open();
  const controller = new AbortController();
  const stopSignals = (): void => {
    if (controller.signal.aborted) process.exit(130); // second Ctrl+C: leave now
    process.stderr.write('\ncancelling… (press Ctrl+C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', stopSignals);
  process.on('SIGTERM', stopSignals);
  const progress = values.json ? undefined : new ProgressPrinter();
  try {
    for (const id of engine.interruptedAtOpen) process.stderr.write(`note: run ${id} was left running by a process that is gone; marked interrupted\n`);
    const result = await engine.run({ file: positionals[0]!, inputs, headed: values.headed ?? false, signal: controller.signal }, (event) => {
      if (values.json) process.stdout.write(`${JSON.stringify(event)}\n`);
      else progress?.onEvent(event);
    });
    if (!values.json) {
      const detail = engine.getRun(result.runId);
      if (detail) process.stdout.write(`\n${formatRunReport(detail)}\n`);
    }
    return result.status === 'passed' ? 0 : result.status === 'cancelled' ? 130 : 1;
  } finally {
    progress?.stop();
    await engine.flush();
    process.off('SIGINT', stopSignals);
    process.off('SIGTERM', stopSignals);
    engine.close();
  }
}
