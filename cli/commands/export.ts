// rpa export FILE --to playwright [--out OUT]: a standalone playwright-core script of an automation.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { loadAutomation } from '../../engine/format/load.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { exportPlaywright } from '../export-playwright.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('export');

export function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { to: { type: 'string' }, out: { type: 'string', short: 'o' } } }), USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one automation file\nusage: ${USAGE}`);
  if (values.to !== 'playwright') throw new UsageError(`${values.to === undefined ? 'missing --to' : `unknown target "${values.to}"`}: the only export is --to playwright\nusage: ${USAGE}`);
  const automation = loadAutomation(positionals[0]!);
  const script = exportPlaywright(automation);
  const out = path.resolve(values.out ?? `${automation.file.replace(/\.json$/i, '')}.playwright.ts`);
  const temporary = `${out}.tmp-${process.pid}`;
  writeFileSync(temporary, script);
  renameSync(temporary, out);
  console.log(`${color.green('✓')} ${path.relative(process.cwd(), out) || out}: ${automation.doc.steps.length} steps as a playwright-core script (compile with tsc, run with node)`);
  return Promise.resolve(0);
}
