// rpa pack DIR [--out FILE] [--automation REL]: one .rpapkg of an automation and its files.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { packDirectory } from '../../engine/package/index.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('pack');

export function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () => parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', short: 'o' }, automation: { type: 'string' } } }),
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one folder\nusage: ${USAGE}`);
  const packed = packDirectory(positionals[0]!, { ...(values.out !== undefined && { out: values.out }), ...(values.automation !== undefined && { automation: values.automation }) });
  const bytes = packed.manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`${color.green('✓')} ${path.relative(process.cwd(), packed.file) || packed.file}`);
  console.log(`  automation    ${packed.manifest.name} (${packed.manifest.id} ${packed.manifest.version})  ${packed.manifest.automation}`);
  console.log(`  package hash  ${packed.sha256}`);
  console.log(`  files         ${packed.manifest.files.length} (${bytes} bytes)`);
  console.log(color.dim('  unsigned: sign it with rpa sign PACKAGE --key KEYFILE'));
  return Promise.resolve(0);
}
