// rpa keygen --out PREFIX: a publisher key pair for signing packages (PREFIX private, PREFIX.pub public).
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { generateKeyPair } from '../../engine/package/index.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('keygen');

export function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(() => parseArgs({ args, allowPositionals: true, options: { out: { type: 'string', short: 'o' } } }), USAGE);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]!}\nusage: ${USAGE}`);
  if (values.out === undefined) throw new UsageError(`missing --out PREFIX: where to write the private key (the public key goes to PREFIX.pub)\nusage: ${USAGE}`);
  const keys = generateKeyPair(values.out);
  console.log(`${color.green('✓')} key pair ${keys.keyId}`);
  console.log(`  private key  ${keys.privateKeyFile}  (mode 0600: keep it secret, sign with rpa sign PACKAGE --key ${keys.privateKeyFile})`);
  console.log(`  public key   ${keys.publicKeyFile}  (give this to the machines that run the packages)`);
  return Promise.resolve(0);
}
