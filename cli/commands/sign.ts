// rpa sign PACKAGE --key KEYFILE [--signer NAME]: adds the publisher's Ed25519 signature.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../../engine/errors.js';
import { signPackage } from '../../engine/package/index.js';
import { parseOrUsage } from '../args.js';
import { color } from '../format.js';
import { usageOf } from '../usage.js';

const USAGE = usageOf('sign');

export function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage(
    () => parseArgs({ args, allowPositionals: true, options: { key: { type: 'string', short: 'k' }, signer: { type: 'string' } } }),
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`expected one package file\nusage: ${USAGE}`);
  if (values.key === undefined) throw new UsageError(`missing --key: the private key file from rpa keygen\nusage: ${USAGE}`);
  const privateKey = readKey(values.key);
  const { keyId } = signPackage(positionals[0]!, privateKey, { ...(values.signer !== undefined && { signer: values.signer }) });
  console.log(`${color.green('✓')} signed ${positionals[0]!}`);
  console.log(`  keyId   ${keyId}`);
  if (values.signer !== undefined) console.log(`  signer  ${values.signer}`);
  return Promise.resolve(0);
}

function readKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `key file not found: ${file} (create a key pair with rpa keygen --out PREFIX)` : `key file ${file} cannot be read (${code ?? String(error)})`);
  }
}
