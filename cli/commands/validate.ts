// rpa validate FILE...
import { parseArgs } from 'node:util';
import { AutomationInvalidError, formatIssue, UsageError } from '../../engine/errors.js';
import { lintAutomation } from '../../engine/format/lint.js';
import { loadAutomation } from '../../engine/format/load.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('validate');

export function main(args: string[]): Promise<number> {
  const { positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: {} }), USAGE);
  if (!positionals.length) throw new UsageError(`expected at least one automation file\nusage: ${USAGE}`);
  let failed = false;
  for (const file of positionals) {
    try {
      const automation = loadAutomation(file);
      console.log(`${color.green('✓')} ${file}: ${automation.doc.name} (${automation.doc.id} ${automation.doc.version}), ${automation.doc.steps.length} steps`);
      // Valid, but visibly unable to replay as recorded: said, not refused.
      for (const warning of lintAutomation(automation)) console.log(`${color.yellow('!')} ${file}: step ${warning.path}: ${warning.message}`);
    } catch (error) {
      if (!(error instanceof AutomationInvalidError)) throw error;
      failed = true;
      for (const issue of error.issues) console.error(`${color.red('✗')} ${formatIssue(issue)}`);
    }
  }
  return Promise.resolve(failed ? 2 : 0);
}
